"""Red cards inside one unit of work: raising one, the adult's answer, chasing, statistics.

A young person raises a card on a recorded message (its 🟥 button, ``/redcard`` as a reply, or
a platform's message menu), optionally naming the word. The first card on a word asks the
message's author, privately through the outbox, to explain it; their next private message is
the answer. It is posted back where the card was raised and joins the forum's glossary. Cards
not answered in time are chased: the author is asked again and the forum's other organisers
are told. Nobody is ever told who raised a card.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from core import texts
from core.delivery import NORMAL, reply_to_payload
from core.domain import AdultMessage, CardStatus, Participant, RedCard
from core.messages import Address, Command, Quoted, Reply
from core.plain_words import Entry, find_entry, kind_of, tidy
from core.plain_words.glossary import pattern
from core.ports import ConcurrentChange, UnitOfWork
from core.red_card_stats import card_stats, duration_words, stats_text
from core.red_cards import (
    Author,
    MessageKind,
    raiser_key,
    record_message,
    red_card_target,
    word_is_fine,
)

log = logging.getLogger(__name__)

MAX_EXPLANATION = 1000
"""The longest answer to a red card, in characters."""
MAX_QUOTE = 300


def broadcast_key(card_id: int, what: str) -> str:
    """The outbox broadcast of one message about a card: ``redcard:<card>:<what>``."""
    return f"redcard:{card_id}:{what}"


class RedCardFlow:
    """Red-card use cases for one event (or one scheduled run)."""

    def __init__(self, uow: UnitOfWork, now: datetime) -> None:
        self._uow = uow
        self._now = now

    async def command(self, command: Command) -> list[Reply]:
        """``/redcard [word]`` answering a message (a reply, or a message menu)."""
        quoted, address = command.quoted, command.address
        word = tidy(command.argument)
        if quoted is None:
            return [_only(texts.REDCARD_HOW)]
        if quoted.gone:
            return [_only(texts.REDCARD_GONE)]
        if not word_is_fine(word):
            return [_only(texts.REDCARD_WORD_TOO_LONG)]
        if quoted.by_bot:
            target = red_card_target(quoted.button_ids)
            if target is None:
                return [_only(texts.REDCARD_BOT_WORDS)]
            message = await self._uow.red_cards.message(target)
        elif quoted.author_organiser and not address.private:
            message = await self._chat_message(address, quoted)
        else:
            return [_only(texts.REDCARD_NOT_ADULT)]
        return await self._raise(address, message, word, quoted.message_id)

    async def press(self, address: Address, target: int, message_id: str) -> list[Reply]:
        """A press on a message's 🟥 button: a card on the whole message."""
        message = await self._uow.red_cards.message(target)
        return await self._raise(address, message, "", message_id)

    async def _chat_message(self, address: Address, quoted: Quoted) -> AdultMessage:
        """An organiser's own message in the group, recorded the first time it is carded."""
        found = await self._uow.red_cards.message_at(
            str(address.platform), address.chat_id, quoted.message_id
        )
        if found is not None:
            return found
        group = address.group_id or address.chat_id
        forum = await self._uow.forums.register(address.platform, group, "", self._now)
        message_id = await record_message(
            self._uow,
            self._now,
            forum_id=forum.id,
            author=Author(address.platform, quoted.author_id),
            text=quoted.text,
            kind=MessageKind.CHAT,
            chat_id=address.chat_id,
            platform_message_id=quoted.message_id,
        )
        recorded = await self._uow.red_cards.message(message_id)
        assert recorded is not None
        return recorded

    async def _raise(
        self, address: Address, message: AdultMessage | None, word: str, seen_as: str
    ) -> list[Reply]:
        if message is None:
            return [_only(texts.REDCARD_GONE)]
        participant = await self._uow.participants.find_by_identity(
            address.platform, address.user_id
        )
        if not await self._in_forum(address, participant, message):
            log.info("refused a red card from outside the forum on %s", address.platform)
            return [_only(texts.REDCARD_NOT_IN_FORUM)]
        terms = await self._uow.forum_terms.terms(message.forum_id)
        entry = find_entry(word, terms) if word else None
        forms = {word, entry.term} if entry is not None else {word}
        if word and message.text and not any(_uses(message.text, form) for form in forms):
            return [_only(texts.REDCARD_WORD_NOT_THERE.format(word=word))]
        if seen_as and not address.private:
            await self._uow.red_cards.set_platform_message_id(message.id, seen_as)
        card, new = await self._uow.red_cards.card_for(
            message, entry.term if entry else word, self._now
        )
        counted = await self._uow.red_cards.add_raise(
            card.id,
            raiser_key(message.id, address.platform, address.user_id),
            None if address.private else address.chat_id,
            participant.id if address.private and participant is not None else None,
            self._now,
        )
        if new:
            await self._ask(card, message)
            log.info("red card %d raised on message %d", card.id, message.id)
        return [_only(_raised_text(card, counted, entry))]

    async def _in_forum(
        self, address: Address, participant: Participant | None, message: AdultMessage
    ) -> bool:
        """In the forum's own group, or sent the message privately (or a member of its forum)."""
        if str(address.platform) != message.platform:
            return False
        if not address.private:
            group = address.group_id or address.chat_id
            forum = await self._uow.forums.find(address.platform, group)
            return forum is not None and forum.id == message.forum_id
        if participant is None:
            return False
        if message.broadcast and await self._uow.deliveries.queued_for(
            message.broadcast, participant.id
        ):
            return True
        joined = await self._uow.members.forums_of(participant.id)
        return any(forum.id == message.forum_id for forum, _ in joined)

    async def explain(
        self, address: Address, author: Participant, typed: str
    ) -> list[Reply] | None:
        """The author's private message answering their oldest waiting card; None if none waits."""
        waiting = await self._uow.red_cards.waiting_for(author.id)
        if not waiting:
            return None
        card, explanation = waiting[0], typed.strip()
        if not explanation or len(explanation) > MAX_EXPLANATION:
            text = texts.REDCARD_EXPLANATION_HOW.format(most=MAX_EXPLANATION)
            return [Reply(text, text_entry=texts.TEXT_BOX_EXPLANATION)]
        if not await self._uow.red_cards.explain(card.id, explanation, self._now):
            raise ConcurrentChange(f"red card {card.id} was answered meanwhile")
        message = await self._uow.red_cards.message(card.message_id)
        assert message is not None
        if card.word:
            await self._uow.forum_terms.add(card.forum_id, card.word, explanation, self._now)
        log.info("red card %d answered", card.id)
        replies = await self._post_back(address, card, message, explanation)
        if len(waiting) > 1:
            replies += [Reply(texts.REDCARD_NEXT), await self._ask_reply(waiting[1])]
        return replies

    async def ask_again(self, author: Participant) -> list[Reply] | None:
        """The author's oldest waiting card, asked again (when they start a chat); None if none."""
        waiting = await self._uow.red_cards.waiting_for(author.id)
        return [await self._ask_reply(waiting[0])] if waiting else None

    async def _post_back(
        self, address: Address, card: RedCard, message: AdultMessage, explanation: str
    ) -> list[Reply]:
        """Thank the author, and post the answer where the card was raised.

        That is each group it was raised in, and the private chat of each person who raised it
        on a message sent to them.
        """
        if card.word:
            answer = texts.REDCARD_ANSWER.format(word=card.word, explanation=explanation)
            thanks = texts.REDCARD_THANK_YOU.format(word=card.word)
        else:
            answer = texts.REDCARD_ANSWER_MESSAGE.format(explanation=explanation)
            thanks = texts.REDCARD_THANK_YOU_MESSAGE
        chats, people = await self._uow.red_cards.raised_where(card.id)
        if people:
            await self._queue(broadcast_key(card.id, "answer"), people, Reply(answer))
        if chats and str(address.platform) != message.platform:
            return [Reply(texts.REDCARD_SAVED_HERE)]
        posts = [
            Reply(
                answer,
                chat=chat,
                reply_to=message.platform_message_id if chat == message.chat_id else None,
            )
            for chat in chats
        ]
        return [Reply(thanks), *posts]

    async def chase(self, older_than: timedelta) -> int:
        """Chase every card waiting ``older_than`` since its author was last asked.

        The author is asked again and the forum's other organisers are told. How many cards
        were chased.
        """
        chased = 0
        for card in await self._uow.red_cards.due(self._now - older_than):
            if not await self._uow.red_cards.mark_reminded(card.id, card.chases, self._now):
                continue
            message = await self._uow.red_cards.message(card.message_id)
            if message is None:
                continue
            round_number = card.chases + 1
            ago = duration_words(self._now - card.raised_at)
            reminder = await self._ask_reply(card, message)
            reminder = replace(
                reminder, text=f"{texts.REDCARD_REMINDER.format(ago=ago)}\n\n{reminder.text}"
            )
            await self._queue(
                broadcast_key(card.id, f"chase:{round_number}"), [message.author_id], reminder
            )
            organisers = [
                someone
                for someone in await self._uow.red_cards.authors_in(card.forum_id)
                if someone != message.author_id
            ]
            if organisers:
                told = await self._chase_text(card, message, ago)
                key = broadcast_key(card.id, f"organisers:{round_number}")
                await self._queue(key, organisers, Reply(told))
            else:
                log.info("red card %d chased; no other organiser of its forum is known", card.id)
            chased += 1
        if chased:
            log.warning("%d red card(s) waiting too long for an answer; chased", chased)
        return chased

    async def stats(self, address: Address) -> Reply:
        """``/redcards`` in a group: the forum's red cards, and the asking organiser's own."""
        group = address.group_id or address.chat_id
        forum = await self._uow.forums.register(address.platform, group, "", self._now)
        reports = await self._uow.red_cards.report(forum.id)
        if not reports:
            return Reply(texts.REDCARDS_NONE, only_for_sender=True)
        asking = await self._uow.participants.find_by_identity(address.platform, address.user_id)
        own = [r for r in reports if asking is not None and r.author_id == asking.id]
        title = forum.title or texts.MYDATA_UNNAMED_FORUM
        text = stats_text(title, card_stats(reports), card_stats(own) if own else None, self._now)
        return Reply(text, only_for_sender=True)

    async def _ask(self, card: RedCard, message: AdultMessage) -> None:
        """Ask the author privately, through the outbox, to explain a new card."""
        reply = await self._ask_reply(card, message)
        await self._queue(broadcast_key(card.id, "ask"), [message.author_id], reply)

    async def _ask_reply(self, card: RedCard, message: AdultMessage | None = None) -> Reply:
        message = message or await self._uow.red_cards.message(card.message_id)
        assert message is not None
        forum = await self._uow.forums.get(card.forum_id)
        title = (forum.title if forum is not None else "") or texts.MYDATA_UNNAMED_FORUM
        lines = [
            texts.REDCARD_ASK.format(word=card.word) if card.word else texts.REDCARD_ASK_MESSAGE,
            _where(title, message.text),
            texts.REDCARD_ASK_HOW,
        ]
        if card.word:
            lines.append(texts.REDCARD_ASK_WORDS)
        return Reply("\n\n".join(lines), text_entry=texts.TEXT_BOX_EXPLANATION)

    async def _chase_text(self, card: RedCard, message: AdultMessage, ago: str) -> str:
        forum = await self._uow.forums.get(card.forum_id)
        title = (forum.title if forum is not None else "") or texts.MYDATA_UNNAMED_FORUM
        word = f'"{card.word}"' if card.word else texts.REDCARD_CHASE_MESSAGE
        return texts.REDCARD_CHASE.format(
            forum=title, ago=ago, word=word, where=_where(title, message.text)
        )

    async def _queue(self, broadcast: str, participant_ids: list[int], reply: Reply) -> None:
        await self._uow.deliveries.queue(
            broadcast, participant_ids, reply_to_payload(reply), NORMAL, self._now
        )


def _only(text: str) -> Reply:
    return Reply(text, only_for_sender=True)


def _raised_text(card: RedCard, counted: bool, entry: Entry | None) -> str:
    """What the person who raised a card is told."""
    if card.status == CardStatus.EXPLAINED and card.explanation is not None:
        if card.word:
            return texts.REDCARD_EXPLAINED_BEFORE.format(
                word=card.word, explanation=card.explanation
            )
        return texts.REDCARD_EXPLAINED_BEFORE_MESSAGE.format(explanation=card.explanation)
    if not counted:
        if card.word:
            return texts.REDCARD_AGAIN.format(word=card.word)
        return texts.REDCARD_AGAIN_MESSAGE
    if not card.word:
        return texts.REDCARD_THANKS_MESSAGE
    text = texts.REDCARD_THANKS.format(word=card.word)
    if entry is not None:
        meanwhile = texts.REDCARD_MEANWHILE.format(term=entry.term, explanation=entry.explanation)
        text = f"{text}\n\n{meanwhile}"
    return text


def _where(forum: str, text: str) -> str:
    if not text.strip():
        return texts.REDCARD_ASKED_FORUM.format(forum=forum)
    quote = text if len(text) <= MAX_QUOTE else text[:MAX_QUOTE] + "…"
    return texts.REDCARD_ASKED_WHERE.format(forum=forum, quote=quote)


def _uses(text: str, word: str) -> bool:
    """Whether the text uses the word, in any of its forms."""
    return bool(pattern(Entry(word, "", kind_of(word))).search(text))
