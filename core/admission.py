"""Who may join: a platform's minimum age, and invite codes for children under 13.

Someone younger than a platform allows is turned away with nothing kept and told the other way
to take part. A child under 13 (where the platform allows them) joins only with an organiser's
invite code: the organiser gives it out once a parent or carer has agreed, outside the bot.
Codes are stored only as hashes, work once, and run out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from core import texts
from core.ballots import new_code, normalise_code
from core.domain import AgeBand, Participant
from core.erasure import erase
from core.messages import Platform, Reply
from core.ports import UnitOfWork
from core.privacy import PrivacyPolicy
from dialogs import engine
from dialogs.schema import Question

MAX_INVITE_CODES = 500


def invite_code_hash(code: str) -> str:
    """The one-way hash an invite code is stored as."""
    return hashlib.sha256(f"yousaid-invite-code:{code}".encode()).hexdigest()


def new_invite_codes(count: int) -> list[str]:
    """Fresh codes people can read and type, like ``ABCDE-FGHJK``."""
    return [new_code() for _ in range(count)]


@dataclass(frozen=True, slots=True)
class AskAgain:
    """The answer can't be taken: say why and ask the same question again."""

    text: str


@dataclass(frozen=True, slots=True)
class TurnedAway:
    """The person can't join: they were erased, and these replies say why."""

    replies: list[Reply]


Verdict = AskAgain | TurnedAway | None


class Admission:
    """Checks onboarding answers against the deployment's rules, inside one unit of work."""

    def __init__(self, uow: UnitOfWork, now: datetime, privacy: PrivacyPolicy) -> None:
        self._uow = uow
        self._now = now
        self._privacy = privacy

    async def check(
        self, participant: Participant, question: Question, step: engine.Answered
    ) -> Verdict:
        """None to go on; otherwise ask again, or turn the person away."""
        if question.profile == "age_band" and isinstance(step.value, str):
            return await self._age(participant, AgeBand(step.value.removeprefix("age_")))
        if question.profile == "invite_code":
            return await self._code(participant, step)
        return None

    async def needs_code(self, participant: Participant) -> TurnedAway | None:
        """A child under 13 who has no parent's or carer's agreement on record is turned away."""
        if participant.age_band != AgeBand.UNDER_13 or participant.guardian_agreed:
            return None
        return await self._turn_away(participant, texts.NEEDS_CODE)

    async def _age(self, participant: Participant, band: AgeBand) -> Verdict:
        platforms = {
            Platform(p) for p, _ in await self._uow.participants.identities(participant.id)
        }
        strict = [p for p in platforms if self._privacy.too_young(p, band)]
        if not strict:
            return None
        age = max(self._privacy.minimum_ages[p] for p in strict)
        return await self._turn_away(participant, texts.TOO_YOUNG.format(age=age))

    async def _code(self, participant: Participant, step: engine.Answered) -> Verdict:
        if step.skipped or not isinstance(step.value, str):
            return await self._turn_away(participant, texts.NEEDS_CODE)
        code = normalise_code(step.value)
        found = None if code is None else await self._uow.invites.find(invite_code_hash(code))
        if code is None or found is None:
            return AskAgain(texts.CODE_UNKNOWN)
        if found.used:
            return AskAgain(texts.INVITE_CODE_USED)
        if found.expires_at <= self._now:
            return AskAgain(texts.INVITE_CODE_EXPIRED)
        if not await self._uow.invites.use(invite_code_hash(code), participant.id, self._now):
            return AskAgain(texts.INVITE_CODE_USED)
        participant.guardian_agreed = True
        await self._uow.members.add(found.forum_id, participant.id, self._now.date())
        return None

    async def _turn_away(self, participant: Participant, why: str) -> TurnedAway:
        await erase(self._uow, participant.id)
        return TurnedAway([Reply(f"{why}\n\n{self._privacy.other_way}")])
