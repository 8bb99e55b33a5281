"""One event, handled inside one unit of work: commands, typed text and button presses."""

from __future__ import annotations

from datetime import datetime

from core import texts
from core.buttons import Action, ButtonId, parse_button
from core.dialog_flow import DialogFlow
from core.domain import Participant, SessionStatus
from core.forum_flow import ForumFlow
from core.messages import (
    Address,
    ButtonPress,
    Command,
    Event,
    JoinedGroup,
    MenuChoice,
    Reply,
    Text,
)
from core.my_data import MyData
from core.ports import UnitOfWork
from dialogs import engine
from dialogs.schema import Script

_PRIVATE_ONLY = {"start", "consult", "pause", "resume", "skip", "stop", "mydata", "forgetme"}
_GROUP_ONLY = {"poll", "endpoll", "results", "invite"}
_FORUM_ACTIONS = {Action.VOTE, Action.RESULTS}
_SESSION_ACTIONS = {
    Action.ANSWER,
    Action.DONE,
    Action.SKIP,
    Action.AGAIN,
    Action.PAUSE,
    Action.RESUME,
}


class Conversation:
    """Turns one incoming event into replies; the caller commits the unit of work."""

    def __init__(self, uow: UnitOfWork, now: datetime, onboarding: Script) -> None:
        self._uow = uow
        self._now = now
        self._flow = DialogFlow(uow, now, onboarding)
        self._forum = ForumFlow(uow, now)
        self._my_data = MyData(uow, now)

    async def handle(self, event: Event) -> list[Reply]:
        """The replies to one event."""
        if isinstance(event, Command):
            return await self._command(event)
        if isinstance(event, JoinedGroup):
            return await self._forum.joined(event.address, event.title)
        if isinstance(event, ButtonPress):
            button = parse_button(event.button_id)
            if button is not None and button.action in _FORUM_ACTIONS:
                return await self._forum_press(event.address, button)
        if not event.address.private:
            return []
        participant = await self._find(event.address)
        if participant is None:
            return [Reply(texts.FIRST_HELLO)]
        if isinstance(event, Text):
            return await self._text(participant, event.text)
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
        participant = await self._find(command.address)
        if name == "start":
            return await self._start(command, participant)
        if participant is None:
            return [Reply(texts.FIRST_HELLO)]
        match name:
            case "consult" if not participant.onboarded:
                return await self._flow.resume_onboarding(participant)
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
            case "forgetme":
                return self._my_data.ask_to_forget(participant)
        participant.messages_stopped = True
        await self._uow.participants.save(participant)
        return [Reply(texts.STOPPED)]

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
        if not participant.onboarded:
            return await self._flow.resume_onboarding(participant, follow_on=slug)
        if slug is not None:
            return await self._consult(participant, slug)
        return await self._flow.welcome_back(participant)

    async def _consult(self, participant: Participant, slug: str) -> list[Reply]:
        if not slug:
            return [await self._flow.open_list(texts.OPEN_LIST)]
        consultation = await self._uow.consultations.get_by_slug(slug)
        if consultation is None:
            return [await self._flow.open_list(texts.NO_SUCH_CONSULTATION)]
        return await self._flow.start_consultation(participant, consultation)

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
