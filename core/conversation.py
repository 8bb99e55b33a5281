"""One event, handled inside one unit of work: commands, typed text and button presses."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, tzinfo

from core import texts
from core.ballot_admin import BALLOT_COMMANDS, BallotAdmin
from core.ballot_flow import BallotFlow
from core.ballots import normalise_code, parse_start_payload
from core.buttons import Action, ButtonId, parse_button, parse_token_button
from core.certificates import Certificates
from core.commands import ORGANISER_ONLY
from core.dialog_flow import DialogFlow
from core.digest import digest_command
from core.domain import Draft, Participant, SessionStatus
from core.forum_flow import ForumFlow
from core.forum_hours import ForumHoursFlow
from core.hours import SendHours
from core.linking import Linking
from core.messages import (
    Address,
    ButtonPress,
    Command,
    Event,
    JoinedGroup,
    MenuChoice,
    Platform,
    Reply,
    Text,
)
from core.moderation import ModerationFlow
from core.my_data import MyData
from core.outcome_command import run_outcome_command
from core.outcomes import OutcomeBook
from core.plain_check import PlainCheck
from core.plain_words import find_entry
from core.ports import UnitOfWork
from core.privacy import PrivacyPolicy
from core.red_card_flow import RedCardFlow
from core.roles import Authority, RoleSettings
from core.safeguarding import SafeguardingPolicy
from core.safeguarding_flow import SafeguardingFlow
from dialogs import engine
from dialogs.schema import Script

_PRIVATE_ONLY = {
    "start",
    "consult",
    "pause",
    "resume",
    "skip",
    "stop",
    "mydata",
    "myrecord",
    "certificate",
    "forgetme",
    "vote",
    "link",
    "outcome",
    "digest",
}
_GROUP_ONLY = {
    "poll",
    "endpoll",
    "results",
    "invite",
    "announce",
    "redcards",
    "moderate",
    "award",
    "hours",
    *BALLOT_COMMANDS,
}
_RIGHTS = {"mydata", "forgetme", "stop"}
"""Commands that work at once, even for someone who has not agreed to a new privacy text."""
_FORUM_ACTIONS = {Action.VOTE, Action.RESULTS}
_SESSION_ACTIONS = {
    Action.ANSWER,
    Action.DONE,
    Action.SKIP,
    Action.AGAIN,
    Action.PAUSE,
    Action.RESUME,
    Action.REMIND,
}


class Conversation:
    """Turns one incoming event into replies; the caller commits the unit of work."""

    def __init__(
        self,
        uow: UnitOfWork,
        now: datetime,
        onboarding: Script,
        zone: tzinfo = UTC,
        safeguarding: SafeguardingPolicy | None = None,
        privacy: PrivacyPolicy | None = None,
        roles: RoleSettings | None = None,
        hours: SendHours | None = None,
    ) -> None:
        self._uow = uow
        self._now = now
        self._zone = zone
        self._hours = ForumHoursFlow(uow, now, hours or SendHours())
        policy = safeguarding or SafeguardingPolicy()
        self._safeguarding = SafeguardingFlow(uow, now, policy)
        self._moderation = ModerationFlow(uow, now, self._safeguarding, policy)
        self._privacy = privacy or PrivacyPolicy()
        self._authority = Authority(uow, now, roles or RoleSettings(leads=policy.leads))
        self._flow = DialogFlow(uow, now, onboarding, self._follow_on, self._privacy)
        self._forum = ForumFlow(uow, now, zone)
        self._my_data = MyData(uow, now)
        self._outcomes = OutcomeBook(uow, now)
        self._ballots = BallotFlow(uow, now, zone)
        self._ballot_admin = BallotAdmin(uow, now, zone)
        self._linking = Linking(uow, now)
        self._red_cards = RedCardFlow(uow, now)
        self._check = PlainCheck(uow, now)
        self._address: Address | None = None

    async def handle(self, event: Event) -> list[Reply]:
        """The replies to one event."""
        self._address = event.address
        if isinstance(event, Command):
            return await self._command(event)
        if isinstance(event, JoinedGroup):
            return await self._forum.joined(event.address, event.title)
        if isinstance(event, ButtonPress):
            button = parse_button(event.button_id)
            if button is not None and button.action in _FORUM_ACTIONS:
                return await self._forum_press(event.address, button)
            if button is not None and button.action == Action.ACK:
                return await self._safeguarding.press(event.address, button.target)
            if button is not None and button.action == Action.RED_CARD:
                return await self._red_cards.press(event.address, button.target, event.message_id)
            if button is not None and button.action == Action.SEND_DRAFT:
                return await self._send_draft(event.address, button.target)
        if not event.address.private:
            if isinstance(event, Text):
                return await self._moderation.post(event.address, event.text)
            return []
        participant = await self._find(event.address)
        if isinstance(event, Text):
            return await self._screened(event, participant)
        if participant is None:
            return [Reply(texts.FIRST_HELLO)]
        ask_first = await self._consent_first(participant, event)
        if ask_first is not None:
            return ask_first
        if isinstance(event, MenuChoice):
            return await self._menu(participant, event)
        return await self._press(participant, event)

    async def _forum_press(self, address: Address, button: ButtonId) -> list[Reply]:
        if button.action == Action.VOTE:
            return await self._forum.vote(address, button)
        return await self._forum.show_results(button)

    async def _find(self, address: Address) -> Participant | None:
        return await self._uow.participants.find_by_identity(address.platform, address.user_id)

    async def _command(self, command: Command) -> list[Reply]:
        name = command.name.lower()
        if name == "whatis":
            return [await self._what_is(command.address, command.argument)]
        if name == "redcard":
            return await self._red_cards.command(command)
        if name == "ack":
            return await self._safeguarding.ack_command(command.address, command.argument)
        if not command.address.private and name in ORGANISER_ONLY:
            refused = await self._authority.check(command.address, name)
            if refused is not None:
                return [refused]
        if not command.address.private and name == "moderate":
            return await self._moderation.command(command.address, command.argument)
        if not command.address.private and name == "hours":
            return await self._hours.command(command.address, command.argument)
        if not command.address.private and name in BALLOT_COMMANDS:
            return await self._ballot_admin.command(command.address, name, command.argument)
        if not command.address.private and name == "results":
            return await self._group_results(command)
        if not command.address.private and (name in _GROUP_ONLY or name == "help"):
            return await self._forum.command(command.address, name, command.argument)
        if name == "help":
            return [Reply(texts.HELP)]
        if name in _GROUP_ONLY:
            return [Reply(texts.GROUP_ONLY)]
        if name not in _PRIVATE_ONLY:
            return [Reply(texts.UNKNOWN_COMMAND)]
        if not command.address.private:
            return [Reply(texts.GROUP_ONLY_PRIVATE)]
        if name == "outcome":
            return [await self._outcome(command)]
        participant = await self._find(command.address)
        if name == "start":
            return await self._start(command, participant)
        if name == "link":
            return await self._linking.command(command.address, participant, command.argument)
        if participant is None:
            return [Reply(texts.FIRST_HELLO)]
        ask_first = await self._consent_first(participant, command)
        if ask_first is not None:
            return ask_first
        match name:
            case "vote" if not participant.onboarded:
                code = normalise_code(command.argument)
                follow_on = None if code is None else f"k{code}"
                return await self._flow.resume_onboarding(participant, follow_on)
            case "consult" if not participant.onboarded:
                return await self._flow.resume_onboarding(participant)
            case "vote":
                return await self._ballots.vote_command(
                    participant, command.address, command.argument
                )
            case "consult":
                return await self._consult(participant, command.argument.strip())
            case "pause":
                return await self._flow.pause(participant)
            case "resume":
                return await self._flow.resume(participant)
            case "skip":
                return await self._flow.skip(participant)
            case "mydata":
                return await self._my_data.show(participant)
            case "myrecord":
                return await self._outcomes.my_record(participant)
            case "certificate":
                return await Certificates(self._uow, self._now).mine(participant, command.argument)
            case "digest":
                return [await digest_command(self._uow, participant, command.argument)]
            case "forgetme":
                return self._my_data.ask_to_forget(participant)
        participant.messages_stopped = True
        await self._uow.participants.save(participant)
        return [Reply(texts.STOPPED)]

    async def _outcome(self, command: Command) -> Reply:
        refused = await self._authority.check(command.address, "outcome")
        if refused is not None:
            return refused
        return await run_outcome_command(self._outcomes, command.argument, self._zone)

    async def _start(self, command: Command, participant: Participant | None) -> list[Reply]:
        slug = command.argument.strip() or None
        if participant is None:
            address = command.address
            participant = await self._uow.participants.add(
                address.platform, address.user_id, self._now
            )
        if participant.messages_stopped:
            participant.messages_stopped = False
            await self._uow.participants.save(participant)
        start = parse_start_payload(slug or "")
        if start.kind == "words":
            return await self._check.ask_for_words(command.address, start.value)
        ask_first = await self._consent_first(participant, command)
        if ask_first is not None:
            return ask_first
        waiting = None if slug else await self._red_cards.ask_again(participant)
        if waiting is not None:
            return waiting
        if not participant.onboarded:
            return await self._flow.resume_onboarding(participant, follow_on=slug)
        if slug is not None:
            special = await self._follow_on(participant, slug)
            if special is not None:
                return special
            return await self._consult(participant, slug)
        return await self._flow.welcome_back(participant)

    async def _follow_on(self, participant: Participant, payload: str) -> list[Reply] | None:
        """A start payload for a ballot, a forum to join or an invite code; None for a slug."""
        start = parse_start_payload(payload)
        assert self._address is not None
        match start.kind:
            case "ballot":
                return await self._ballots.start(participant, self._address, start.value)
            case "join":
                return await self._ballots.join(participant, start.value)
            case "code":
                return await self._ballots.redeem(participant, self._address, start.value)
        return None

    async def _group_results(self, command: Command) -> list[Reply]:
        """``/results`` in a group: the latest quick poll, and the latest secret ballot."""
        polls = await self._forum.command(command.address, "results", command.argument)
        ballot = await self._ballot_admin.results_request(command.address)
        if ballot is None:
            return polls
        if [reply.text for reply in polls] == [texts.NO_POLL]:
            return [ballot]
        return [*polls, ballot]

    async def _consult(self, participant: Participant, slug: str) -> list[Reply]:
        if not slug:
            return [await self._flow.open_list(texts.OPEN_LIST)]
        consultation = await self._uow.consultations.get_by_slug(slug)
        if consultation is None:
            return [await self._flow.open_list(texts.NO_SUCH_CONSULTATION)]
        return await self._flow.start_consultation(participant, consultation)

    async def _screened(self, event: Text, participant: Participant | None) -> list[Reply]:
        """Typed words in a private chat: screened for safeguarding, then handled as usual.

        The dialog still takes the answer; the help message comes before the replies.
        """
        help_now = await self._safeguarding.screen(event.address, participant, event.text)
        if participant is None:
            replies = [Reply(texts.FIRST_HELLO)]
        else:
            replies = (
                await self._consent_first(participant, event)
                or await self._adults_words(event, participant)
                or await self._text(participant, event.text)
            )
        return replies if help_now is None else [help_now, *replies]

    async def _adults_words(self, event: Text, participant: Participant) -> list[Reply] | None:
        """Explanations a draft waits for, or the answer to a red card; None for neither."""
        words = await self._check.take_words(participant.id, event.text)
        if words is not None:
            return words
        return await self._red_cards.explain(event.address, participant, event.text)

    async def _send_draft(self, address: Address, draft_id: int) -> list[Reply]:
        """Send anyway (or Send, after explanations): post the draft as its command would.

        Pressed somewhere else than the draft's group (the author's private chat), the post
        goes to the group.
        """
        taken = await self._check.take_for_sending(address, draft_id)
        if isinstance(taken, Reply):
            return [taken]
        posted = await self._post(taken, address.user_id)
        if all(reply.only_for_sender for reply in posted):
            return posted  # it can't go out as it was (say, the consultation closed): why not
        sent = Reply(texts.DRAFT_SENT, replace=True)
        if address.chat_id == taken.chat_id:
            return [sent, *posted]
        elsewhere = [r if r.only_for_sender else replace(r, chat=taken.chat_id) for r in posted]
        return [sent, *elsewhere]

    async def _post(self, draft: Draft, user_id: str) -> list[Reply]:
        forum = await self._uow.forums.get(draft.forum_id)
        if forum is None:
            return [Reply(texts.DRAFT_GONE, only_for_sender=True)]
        address = Address(
            Platform(draft.platform),
            draft.chat_id,
            user_id,
            private=False,
            group_id=forum.group_id,
            organiser=True,
        )
        if draft.kind in BALLOT_COMMANDS:
            return await self._ballot_admin.command(address, draft.kind, draft.argument, True)
        return await self._forum.command(address, draft.kind, draft.argument, checked=True)

    async def _consent_first(self, participant: Participant, event: Event) -> list[Reply] | None:
        """Someone who agreed to an older privacy text is asked again before anything else.

        Their rights work at once (see, delete, stop), and so do answers to the question.
        """
        if not participant.onboarded or participant.consent_version == self._privacy.version:
            return None
        if isinstance(event, Command) and event.name.lower() in _RIGHTS:
            return None
        if isinstance(event, ButtonPress):
            button = parse_button(event.button_id)
            if button is not None and button.action in (Action.ERASE, Action.KEEP):
                return None
        session = await self._uow.sessions.current(participant.id)
        asking = (
            session is not None
            and session.consultation_id is None
            and session.status == SessionStatus.ACTIVE
        )
        if asking and isinstance(event, ButtonPress | Text):
            return None
        return await self._flow.ask_consent_again(participant)

    async def _text(self, participant: Participant, text: str) -> list[Reply]:
        session = await self._uow.sessions.current(participant.id)
        if not text.strip():
            if session is None:
                return [Reply(f"{texts.ONLY_WORDS} {texts.NO_QUESTION_NOW}")]
            return await self._flow.show(participant, session, texts.ONLY_WORDS)
        if session is None:
            return [Reply(texts.NO_QUESTION_NOW)]
        if session.status == SessionStatus.PAUSED:
            return [await self._flow.paused_reminder(session)]
        return await self._flow.answer(participant, session, engine.Typed(text))

    async def _press(self, participant: Participant, press: ButtonPress) -> list[Reply]:
        token_button = parse_token_button(press.button_id)
        if token_button is not None and not participant.onboarded:
            return await self._old_button(participant)
        if token_button is not None and token_button.action == Action.JOIN:
            return await self._ballots.join(participant, token_button.token)
        if token_button is not None and token_button.action == Action.OUTCOME:
            return await self._outcomes.feedback(
                participant, token_button.token, token_button.value
            )
        if token_button is not None:
            return await self._ballots.press(participant, press.address, token_button)
        button = parse_button(press.button_id)
        if button is None:
            return await self._old_button(participant)
        if button.action in (Action.ERASE, Action.KEEP):
            if button.target != participant.id:
                return await self._old_button(participant)
            if button.action == Action.KEEP:
                return [Reply(texts.FORGETME_KEPT, replace=True)]
            return await self._my_data.forget(participant)
        if button.action == Action.CONSULT:
            consultation = await self._uow.consultations.get(button.target)
            if consultation is None or not participant.onboarded:
                return await self._old_button(participant)
            return await self._flow.start_consultation(participant, consultation)
        session = await self._uow.sessions.current(participant.id)
        if session is None or session.id != button.target or button.action not in _SESSION_ACTIONS:
            return await self._old_button(participant)
        if button.action == Action.PAUSE:
            return await self._flow.pause(participant)
        if button.action == Action.REMIND:
            return await self._flow.remind_later(participant, session, button.value or "")
        if button.action == Action.RESUME:
            return await self._flow.resume(participant)
        if session.status != SessionStatus.ACTIVE or session.question_id != button.question_id:
            return await self._old_button(participant)
        return await self._flow.answer(participant, session, _engine_input(button))

    async def _menu(self, participant: Participant, choice: MenuChoice) -> list[Reply]:
        button = parse_button(choice.menu_id)
        session = await self._uow.sessions.current(participant.id)
        if (
            button is None
            or button.action != Action.MENU
            or session is None
            or session.id != button.target
            or session.status != SessionStatus.ACTIVE
            or session.question_id != button.question_id
        ):
            return await self._old_button(participant)
        return await self._flow.answer(participant, session, engine.PickMany(choice.values))

    async def _old_button(self, participant: Participant) -> list[Reply]:
        session = await self._uow.sessions.current(participant.id)
        if session is None:
            return [Reply(texts.OLD_BUTTON_NO_SESSION)]
        return await self._flow.show(participant, session, texts.OLD_BUTTON)

    async def _what_is(self, address: Address, argument: str) -> Reply:
        """/whatis WORD, for anyone: the plain explanation, or a kind "not yet".

        In a forum's group the forum's own words (such as adults' answers to red cards) come
        first. Nothing is stored. In a group the answer is only for the one who asked where
        the platform can do that (a Discord ephemeral message), so nobody has to ask in front
        of everyone.
        """
        word = argument.strip()
        terms: dict[str, str] = {}
        if word and not address.private:
            group = address.group_id or address.chat_id
            forum = await self._uow.forums.find(address.platform, group)
            terms = await self._uow.forum_terms.terms(forum.id) if forum is not None else {}
        entry = find_entry(word, terms) if word else None
        if not word:
            text = texts.WHATIS_HOW
        elif entry is None:
            text = texts.WHATIS_UNKNOWN
        else:
            text = texts.WHATIS_MEANS.format(term=entry.term, explanation=entry.explanation)
        return Reply(text, only_for_sender=not address.private)


def _engine_input(button: ButtonId) -> engine.Input:
    match button.action:
        case Action.DONE:
            return engine.Done()
        case Action.SKIP:
            return engine.Skip()
        case Action.AGAIN:
            return engine.StartAgain()
        case _:
            assert button.value is not None
            return engine.Pick(button.value)
