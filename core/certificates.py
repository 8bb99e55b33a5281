"""Certificates of contribution (seed 000, section 3.3): organisers give them, people get them.

An organiser types ``/award NAME`` in their forum's group: everyone who answered that
consultation gets a certificate (at most one each) and, if they still hear from us, a message
about it. ``/certificate [first name]`` in private then sends the certificates as images. The
name is drawn on the image and never stored.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from itertools import groupby

from core import texts
from core.certificate_image import MAX_NAME_LENGTH, CertificateText, certificate_png
from core.delivery import BIG_NEWS, NORMAL, reply_to_payload
from core.domain import Consultation, Forum, Participant
from core.messages import Reply
from core.ports import UnitOfWork

MAX_IMAGES = 3
"""At most this many certificates (one per forum that gave any) in one reply, newest first."""


def broadcast_key(consultation_id: int) -> str:
    """The outbox key of the messages telling people about a consultation's certificates."""
    return f"certificate:{consultation_id}"


class Certificates:
    """Giving and getting certificates, inside one unit of work."""

    def __init__(self, uow: UnitOfWork, now: datetime) -> None:
        self._uow = uow
        self._now = now

    async def award(self, forum: Forum, slug: str) -> Reply:
        """``/award NAME`` in a forum: certificates for everyone who answered that consultation.

        Only the forum's own consultations, or those shared by every forum, can be named.
        Running it again gives them only to people who answered since.
        """
        consultation = await self._uow.consultations.get_by_slug(slug.strip()) if slug else None
        if consultation is None or not _belongs(consultation, forum):
            return await self._how(forum)
        given = await self._uow.certificates.award(consultation.id, forum.id, self._now)
        if not given:
            held = await self._uow.certificates.count(consultation.id)
            text = texts.AWARD_ALREADY if held else texts.AWARD_NOBODY
            return Reply(text.format(title=consultation.title))
        hearing = set(await self._uow.outcomes.contributors(consultation.id, []))
        told = [participant for participant in given if participant in hearing]
        message = texts.CERTIFICATE_GIVEN.format(
            forum=forum.title or texts.CERTIFICATE_FORUM, title=consultation.title
        )
        payload = reply_to_payload(Reply(message)) | {"kind": BIG_NEWS}
        await self._uow.deliveries.queue(
            broadcast_key(consultation.id), told, payload, NORMAL, self._now
        )
        one = len(given) == 1
        shown = texts.AWARD_GIVEN_ONE if one else texts.AWARD_GIVEN
        return Reply(shown.format(count=len(given), title=consultation.title))

    async def mine(self, participant: Participant, name: str) -> list[Reply]:
        """``/certificate [first name]``: the person's certificates as images, one per forum."""
        held = await self._uow.certificates.of_participant(participant.id)
        if not held:
            return [Reply(texts.CERTIFICATE_NONE)]
        shown = clean_name(name)
        by_forum = sorted(held, key=lambda certificate: certificate.forum_id or 0)
        images = []
        for forum_id, group in groupby(by_forum, key=lambda certificate: certificate.forum_id):
            certificates = list(group)
            forum = await self._uow.forums.get(forum_id) if forum_id is not None else None
            titles = []
            for certificate in certificates:
                consultation = await self._uow.consultations.get(certificate.consultation_id)
                if consultation is not None:
                    titles.append(consultation.title)
            latest = max(certificate.issued_at for certificate in certificates)
            given_by = (forum.title if forum else "") or texts.CERTIFICATE_FORUM
            images.append((latest, CertificateText(shown, tuple(titles), given_by, latest.date())))
        images.sort(key=lambda item: item[0], reverse=True)
        return [
            Reply(texts.CERTIFICATE_HERE, image=certificate_png(text))
            for _, text in images[:MAX_IMAGES]
        ]

    async def _how(self, forum: Forum) -> Reply:
        names = [
            f"{consultation.slug} - {consultation.title}"
            for consultation in await self._uow.consultations.list_all()
            if _belongs(consultation, forum)
        ]
        example = names[0].split(" - ", 1)[0] if names else "name"
        listed = "\n".join(names) or texts.NONE_OPEN
        return Reply(texts.AWARD_HOW.format(example=example, names=listed), only_for_sender=True)


def clean_name(name: str) -> str:
    """A typed first name made safe to draw: printable letters only, spaces tidied, cut short."""
    kept = "".join(
        character if unicodedata.category(character)[0] in "LMNPZ" else " " for character in name
    )
    return " ".join(kept.split())[:MAX_NAME_LENGTH]


def _belongs(consultation: Consultation, forum: Forum) -> bool:
    return consultation.forum_id is None or consultation.forum_id == forum.id
