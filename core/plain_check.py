"""Checking an adult's words before the bot posts them, and posting them so they can be carded.

Every announcement, invitation, quick poll and secret ballot an organiser writes goes through
``PlainCheck.hold`` before it is made. Plain words go out at once. Otherwise the text is kept as
a draft (one per author and forum) and the author sees what was found, with three ways on:
type the command again with plainer words (a new draft replaces the old), Add explanations
(the words they type join the forum's glossary), or Send anyway. Whatever goes out gets the
explanations the glossary has for its terms attached for young readers, is recorded with its
author, and carries the 🟥 button (``posted``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from core import texts
from core.ballots import new_token
from core.buttons import Action, ButtonId
from core.domain import Draft, Forum
from core.messages import Address, Button, Platform, Reply
from core.participants import participant_for
from core.plain_words import Findings, check, explain, tidy
from core.ports import ConcurrentChange, UnitOfWork
from core.red_cards import Author, record_message, with_red_card, word_is_fine

MAX_EXPLANATION = 500
"""The longest explanation of one word, in characters."""
_EXPLANATION_LINE = re.compile(r"^\s*(.+?)\s*(?:=|:|\s[-–—]\s)\s*(.+?)\s*$")


def explanations_for(words: str, terms: dict[str, str]) -> str:
    """What the glossary terms in the words mean, as a block to add to a message; "" if none."""
    found = explain(words, terms)
    if not found:
        return ""
    lines = [f"{term}: {explanation}" for term, explanation in found]
    return "\n".join([texts.WORDS_EXPLAINED, *lines])


def with_explanations(reply: Reply, words: str, terms: dict[str, str]) -> Reply:
    """The reply with what its terms mean added at the end, for young readers."""
    block = explanations_for(words, terms)
    return replace(reply, text=f"{reply.text}\n\n{block}") if block else reply


def parse_explanations(typed: str, wanted: list[str]) -> list[tuple[str, str]]:
    """``WORD = what it means`` lines (or ``:`` or `` - ``); a bare text explains a lone word.

    Empty if any line can't be read, or names a whole sentence, or explains at length.
    """
    lines = [line for line in typed.splitlines() if line.strip()]
    pairs: list[tuple[str, str]] = []
    for line in lines:
        match = _EXPLANATION_LINE.match(line)
        if match is None:
            if len(wanted) == 1 and len(lines) == 1:
                return [(wanted[0], line.strip())]
            return []
        pairs.append((tidy(match[1]), match[2]))
    fine = all(
        term and word_is_fine(term) and len(explanation) <= MAX_EXPLANATION
        for term, explanation in pairs
    )
    return pairs if fine else []


class PlainCheck:
    """The plain-words check of adults' posts, and their drafts, inside one unit of work."""

    def __init__(self, uow: UnitOfWork, now: datetime) -> None:
        self._uow = uow
        self._now = now

    async def hold(
        self, forum: Forum, address: Address, kind: str, argument: str, words: str
    ) -> Reply | None:
        """None when the words are plain and may go out now (an earlier draft is dropped).

        Otherwise the post is kept as the author's draft for this forum, in place of any
        earlier one, and the reply (for the author only) says what was found and what they can
        do.
        """
        terms = await self._uow.forum_terms.terms(forum.id)
        findings = check(words, terms)
        if findings.plain:
            known = await self._uow.participants.find_by_identity(address.platform, address.user_id)
            if known is not None:
                await self._uow.drafts.discard(known.id, forum.id)
            return None
        author = await participant_for(self._uow, address.platform, address.user_id, self._now)
        draft = await self._uow.drafts.put(
            Draft(
                id=0,
                token=new_token(),
                author_id=author.id,
                forum_id=forum.id,
                platform=str(address.platform),
                chat_id=address.chat_id,
                kind=kind,
                argument=argument,
                words=words,
                created_at=self._now,
            )
        )
        return _review(draft, findings, first=True)

    async def posted(
        self,
        forum: Forum,
        address: Address,
        kind: str,
        words: str,
        reply: Reply,
        subject: str | None = None,
    ) -> Reply:
        """The post as it goes out: with what its terms mean, recorded, and with the 🟥 button."""
        terms = await self._uow.forum_terms.terms(forum.id)
        message_id = await record_message(
            self._uow,
            self._now,
            forum_id=forum.id,
            author=Author.of(address),
            text=words,
            kind=kind,
            chat_id=address.chat_id,
            subject=subject,
        )
        return with_red_card(with_explanations(reply, words, terms), message_id)

    async def take_for_sending(self, address: Address, draft_id: int) -> Draft | Reply:
        """Send anyway (or Send): the draft, taken out of storage, if the presser wrote it.

        Otherwise a kind reply for the presser. Two presses at once send it once.
        """
        draft = await self._uow.drafts.get(draft_id)
        if draft is None:
            return Reply(texts.DRAFT_GONE, only_for_sender=True)
        if not await self._is_author(address, draft):
            return Reply(texts.DRAFT_NOT_YOURS, only_for_sender=True)
        if not await self._uow.drafts.delete(draft.id):
            raise ConcurrentChange(f"draft {draft.id} was sent meanwhile")
        return draft

    async def ask_for_words(self, address: Address, token: str) -> list[Reply]:
        """Add explanations (it opens a private chat): ask the author to type them."""
        draft = await self._uow.drafts.by_token(token)
        if draft is None:
            return [Reply(texts.DRAFT_GONE)]
        if not await self._is_author(address, draft):
            return [Reply(texts.DRAFT_NOT_YOURS)]
        await self._uow.drafts.ask_words(draft.id, draft.author_id)
        wanted = _to_explain(check(draft.words, await self._uow.forum_terms.terms(draft.forum_id)))
        example = texts.DRAFT_WORDS_EXAMPLE.format(word=wanted[0] if wanted else "word")
        text = texts.DRAFT_WORDS_HOW.format(example=example, words=", ".join(wanted))
        return [Reply(text, text_entry=texts.TEXT_BOX_WORDS)]

    async def take_words(self, author_id: int, typed: str) -> list[Reply] | None:
        """Typed explanations for the author's draft waiting for them; None if none waits.

        The explanations join the forum's glossary; the author sees the draft checked again,
        with a Send button.
        """
        draft = await self._uow.drafts.waiting_words(author_id)
        if draft is None:
            return None
        terms = await self._uow.forum_terms.terms(draft.forum_id)
        pairs = parse_explanations(typed, _to_explain(check(draft.words, terms)))
        if not pairs:
            return [Reply(texts.DRAFT_WORDS_BAD, text_entry=texts.TEXT_BOX_WORDS)]
        for term, explanation in pairs:
            await self._uow.forum_terms.add(draft.forum_id, term, explanation, self._now)
            terms[term] = explanation
        await self._uow.drafts.ask_words(0, author_id)
        findings = check(draft.words, terms)
        return [Reply(texts.DRAFT_WORDS_SAVED), _review(draft, findings, first=False)]

    async def _is_author(self, address: Address, draft: Draft) -> bool:
        if str(address.platform) != draft.platform:
            return False
        participant = await self._uow.participants.find_by_identity(
            Platform(draft.platform), address.user_id
        )
        return participant is not None and participant.id == draft.author_id


def _to_explain(findings: Findings) -> list[str]:
    """The words an author may explain: unknown acronyms first, then the known terms."""
    return [a.acronym for a in findings.unknown_acronyms] + [t.term for t in findings.terms]


def _review(draft: Draft, findings: Findings, first: bool) -> Reply:
    """What was found in a draft, for its author, with Send and Add explanations buttons."""
    lines = [texts.DRAFT_HELD]
    lines += [
        texts.DRAFT_ACRONYM.format(word=acronym.acronym) for acronym in findings.unknown_acronyms
    ]
    lines += [
        texts.DRAFT_TERM.format(word=term.spans[0].text, explanation=term.explanation)
        for term in findings.terms
    ]
    lines += [
        texts.DRAFT_LONG.format(count=sentence.words, sentence=sentence.text)
        for sentence in findings.long_sentences
    ]
    if findings.too_hard:
        lines.append(texts.DRAFT_HARD.format(age=f"{findings.reading_age:g}"))
    choices = texts.DRAFT_CHOICES if first else texts.DRAFT_CHOICES_AGAIN
    lines += ["", choices.format(command=f"/{draft.kind}")]
    send = Button(
        ButtonId(Action.SEND_DRAFT, draft.id).encode(),
        texts.BUTTON_SEND_ANYWAY if first else texts.BUTTON_SEND,
        "send",
    )
    buttons: tuple[tuple[Button, ...], ...] = ((send,),)
    if first:
        add = Button(
            f"w:{draft.token}",
            texts.BUTTON_ADD_EXPLANATIONS,
            "explain",
            private_start=f"w{draft.token}",
        )
        buttons = ((send,), (add,))
    return Reply("\n".join(lines), buttons, only_for_sender=first)
