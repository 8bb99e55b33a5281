"""Moving a person through a dialog: start, answer, pause, resume, finish."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta

from core import texts
from core.admission import Admission, AskAgain, TurnedAway
from core.buttons import Action, ButtonId
from core.domain import (
    AgeBand,
    Answer,
    Consultation,
    ConsultationStatus,
    ContactPreference,
    DialogSession,
    Participant,
    SessionStatus,
)
from core.erasure import erase
from core.messages import Button, Reply
from core.ports import UnitOfWork
from core.privacy import PrivacyPolicy
from core.render import question_reply
from dialogs import engine
from dialogs.loader import cached_script
from dialogs.schema import Question, Script

FollowOn = Callable[[Participant, str], Awaitable[list[Reply] | None]]
"""Handles a start payload that is not a consultation (a ballot, a forum to join); None if it
is not one it knows."""


class DialogFlow:
    """Dialog use cases for one participant inside one unit of work."""

    def __init__(
        self,
        uow: UnitOfWork,
        now: datetime,
        onboarding: Script,
        follow_on: FollowOn | None = None,
        privacy: PrivacyPolicy | None = None,
    ) -> None:
        self._uow = uow
        self._now = now
        self._onboarding = onboarding
        self._follow_on = follow_on
        self._privacy = privacy or PrivacyPolicy()
        self._admission = Admission(uow, now, self._privacy)

    async def open_list(self, lead: str) -> Reply:
        """The open consultations as buttons, one to a row."""
        consultations = [
            c
            for c in await self._uow.consultations.list_open()
            if c.status == ConsultationStatus.OPEN
        ]
        if not consultations:
            return Reply(texts.NONE_OPEN)
        rows = tuple(
            (Button(ButtonId(Action.CONSULT, c.id).encode(), c.title, str(n)),)
            for n, c in enumerate(consultations, start=1)
        )
        return Reply(lead, rows)

    async def resume_onboarding(
        self, participant: Participant, follow_on: str | None = None
    ) -> list[Reply]:
        """Carry on with onboarding, or start it with the privacy explanation."""
        session = await self._uow.sessions.current(participant.id)
        if session is not None and session.consultation_id is None:
            session.status = SessionStatus.ACTIVE
            session.follow_on = follow_on or session.follow_on
            await self._uow.sessions.save(session, self._now)
            return [self._ask(self._onboarding, session, participant)]
        first = engine.first_question(self._onboarding)
        session = await self._uow.sessions.add(participant.id, None, first, follow_on, self._now)
        return [self._ask(self._onboarding, session, participant, self._onboarding.intro)]

    async def ask_consent_again(self, participant: Participant) -> list[Reply]:
        """The privacy text changed: show it and ask again, before anything else.

        Whatever the person was doing is paused, to carry on once they have said yes.
        """
        session = await self._uow.sessions.current(participant.id)
        if session is not None and session.consultation_id is None:
            if session.status != SessionStatus.ACTIVE:
                session.status = SessionStatus.ACTIVE
                await self._uow.sessions.save(session, self._now)
            return [self._ask(self._onboarding, session, participant, texts.PRIVACY_CHANGED)]
        paused = await self._pause_other(participant, None)
        first = engine.first_question(self._onboarding)
        session = await self._uow.sessions.add(participant.id, None, first, None, self._now)
        lead = f"{paused}{texts.PRIVACY_CHANGED}\n\n{self._onboarding.intro}"
        return [self._ask(self._onboarding, session, participant, lead)]

    async def welcome_back(self, participant: Participant) -> list[Reply]:
        """Greet someone who is already set up, and show where they are."""
        session = await self._uow.sessions.current(participant.id)
        if session is None:
            return [await self.open_list(f"{texts.WELCOME_BACK}\n\n{texts.OPEN_LIST}")]
        lead = f"{texts.WELCOME_BACK} {texts.CARRY_ON_FROM_HERE}"
        return await self.show(participant, session, lead)

    async def start_consultation(
        self, participant: Participant, consultation: Consultation
    ) -> list[Reply]:
        """Start (or go back to) a consultation, pausing any other dialog in progress."""
        if consultation.status != ConsultationStatus.OPEN:
            return [Reply(texts.CLOSED.format(title=consultation.title))]
        existing = await self._uow.sessions.latest_for(participant.id, consultation.id)
        if existing is not None and existing.status == SessionStatus.COMPLETED:
            return [await self.open_list(texts.ALREADY_DONE.format(title=consultation.title))]
        lead = await self._pause_other(participant, existing)
        script = cached_script(consultation.script_yaml)
        if existing is not None:
            existing.status = SessionStatus.ACTIVE
            await self._uow.sessions.save(existing, self._now)
            return [self._ask(script, existing, participant, f"{lead}{texts.CARRY_ON_FROM_HERE}")]
        first = engine.first_question(script)
        session = await self._uow.sessions.add(
            participant.id, consultation.id, first, None, self._now
        )
        intro = f"{lead}{consultation.title}\n\n{script.intro}"
        if any(question.type in ("text", "score") for question in script.questions):
            intro += "\n\n" + texts.KEPT_FOR.format(months=script.retention_months)
        return [self._ask(script, session, participant, intro)]

    async def _pause_other(self, participant: Participant, keep: DialogSession | None) -> str:
        current = await self._uow.sessions.current(participant.id)
        if current is None or current.status != SessionStatus.ACTIVE:
            return ""
        if keep is not None and current.id == keep.id:
            return ""
        current.status = SessionStatus.PAUSED
        await self._uow.sessions.save(current, self._now)
        title, _ = await self._script(current)
        return texts.PAUSED_OTHER.format(title=title) + "\n\n"

    async def pause(self, participant: Participant) -> list[Reply]:
        """Pause the dialog in progress; every whole answer is already saved."""
        session = await self._uow.sessions.current(participant.id)
        if session is None:
            return [Reply(texts.NOTHING_TO_PAUSE)]
        if session.status == SessionStatus.ACTIVE:
            session.status = SessionStatus.PAUSED
            await self._uow.sessions.save(session, self._now)
        reminders = tuple(
            Button(
                ButtonId(Action.REMIND, session.id, value=days).encode(), label, f"remind {days}"
            )
            for days, label in texts.REMIND_CHOICES.items()
        )
        return [Reply(texts.PAUSED, ((self._carry_on(session),), reminders))]

    async def remind_later(
        self, participant: Participant, session: DialogSession, days: str
    ) -> list[Reply]:
        """Remember to remind the person about their paused dialog in ``days`` days."""
        if session.status != SessionStatus.PAUSED or days not in texts.REMIND_SET:
            return [Reply(texts.NOTHING_TO_RESUME)]
        at = self._now + timedelta(days=int(days))
        await self._uow.reminders.set(session.id, participant.id, at, self._now)
        return [Reply(texts.REMIND_SET[days], ((self._carry_on(session),),), replace=True)]

    async def resume(self, participant: Participant) -> list[Reply]:
        """Carry on exactly where the person left off."""
        session = await self._uow.sessions.current(participant.id)
        if session is None:
            return [Reply(texts.NOTHING_TO_RESUME)]
        if session.status == SessionStatus.PAUSED:
            session.status = SessionStatus.ACTIVE
            await self._uow.sessions.save(session, self._now)
        return await self.show(participant, session, texts.CARRY_ON_FROM_HERE)

    async def skip(self, participant: Participant) -> list[Reply]:
        """Skip the current question, if it may be skipped."""
        session = await self._uow.sessions.current(participant.id)
        if session is None or session.status != SessionStatus.ACTIVE:
            return [Reply(texts.NOTHING_TO_SKIP)]
        return await self.answer(participant, session, engine.Skip())

    async def show(
        self, participant: Participant, session: DialogSession, lead: str
    ) -> list[Reply]:
        """Show where a person is: the current question, or a reminder that they paused."""
        if session.status == SessionStatus.PAUSED:
            return [await self.paused_reminder(session, lead)]
        _, script = await self._script(session)
        return [self._ask(script, session, participant, lead)]

    async def paused_reminder(self, session: DialogSession, lead: str = "") -> Reply:
        """Remind someone that they paused, with a button to carry on."""
        title, _ = await self._script(session)
        text = "\n\n".join(part for part in (lead, texts.YOU_PAUSED.format(title=title)) if part)
        return Reply(text, ((self._carry_on(session),),))

    async def answer(
        self, participant: Participant, session: DialogSession, given: engine.Input
    ) -> list[Reply]:
        """Apply one input to the current question; store the answer only when it is whole."""
        _, script = await self._script(session)
        assert session.question_id is not None
        question = script.question(session.question_id)
        assert question is not None
        step = engine.respond(script, question, session.draft, given)
        if isinstance(step, engine.Retry):
            return [self._ask(script, session, participant, step.message)]
        if isinstance(step, engine.Drafted):
            session.draft = step.draft
            await self._uow.sessions.save(session, self._now)
            return [replace(self._ask(script, session, participant), replace=True)]
        if session.consultation_id is None:
            verdict = await self._admission.check(participant, question, step)
            if isinstance(verdict, AskAgain):
                return [self._ask(script, session, participant, verdict.text)]
            if isinstance(verdict, TurnedAway):
                return verdict.replies
            if question.profile == "consent" and participant.onboarded:
                step = replace(step, next_question=None)  # asked again: nothing more to ask
        await self._keep(participant, session, question, step)
        session.path = [*session.path, question.id]
        session.draft = {}
        session.question_id = step.next_question
        if step.next_question is None:
            session.status = SessionStatus.COMPLETED
            await self._uow.sessions.save(session, self._now)
            return await self._finish(participant, session, script)
        await self._uow.sessions.save(session, self._now)
        return [self._ask(script, session, participant)]

    async def _keep(
        self,
        participant: Participant,
        session: DialogSession,
        question: Question,
        step: engine.Answered,
    ) -> None:
        if session.consultation_id is None:
            await self._set_profile(participant, question, step.value)
            return
        answer = Answer(
            session_id=session.id,
            consultation_id=session.consultation_id,
            question_id=question.id,
            value=step.value,
            skipped=step.skipped,
            age_band=participant.age_band,
            answered_at=self._now,
        )
        await self._uow.answers.add(answer)

    async def _set_profile(
        self, participant: Participant, question: Question, value: object
    ) -> None:
        if not isinstance(value, str):
            return
        match question.profile:
            case "consent" if value == "yes":
                version = self._privacy.version
                await self._uow.participants.record_consent(participant.id, version, self._now)
                participant.consent_version = version
                return
            case "consent":
                participant.consent_version = None
                return
            case "age_band":
                participant.age_band = AgeBand(value.removeprefix("age_"))
            case "contact_preference":
                participant.contact_preference = ContactPreference(value)
            case _:
                return
        await self._uow.participants.save(participant)

    async def _finish(
        self, participant: Participant, session: DialogSession, script: Script
    ) -> list[Reply]:
        if session.consultation_id is not None:
            return [Reply(f"{script.closing}\n\n{texts.MORE_TO_DO}")]
        if participant.consent_version is None:
            before = await self._uow.participants.consents(participant.id)
            await erase(self._uow, participant.id)
            return [Reply(texts.FORGETME_DONE if before else texts.DECLINED)]
        turned_away = await self._admission.needs_code(participant)
        if turned_away is not None:
            return turned_away.replies
        if session.path == [engine.first_question(script)]:
            return [Reply(texts.PRIVACY_AGREED), *await self.welcome_back(participant)]
        if session.follow_on is not None and self._follow_on is not None:
            more = await self._follow_on(participant, session.follow_on)
            if more is not None:
                return [Reply(script.closing), *more]
        if session.follow_on is not None:
            consultation = await self._uow.consultations.get_by_slug(session.follow_on)
            if consultation is not None:
                return [
                    Reply(script.closing),
                    *await self.start_consultation(participant, consultation),
                ]
        return [await self.open_list(f"{script.closing}\n\n{texts.OPEN_LIST}")]

    async def _script(self, session: DialogSession) -> tuple[str, Script]:
        if session.consultation_id is None:
            return self._onboarding.title, self._onboarding
        consultation = await self._uow.consultations.get(session.consultation_id)
        assert consultation is not None
        return consultation.title, cached_script(consultation.script_yaml)

    def _ask(
        self, script: Script, session: DialogSession, participant: Participant, lead: str = ""
    ) -> Reply:
        band = participant.age_band.value if participant.age_band is not None else None
        return question_reply(script, session, band, lead)

    @staticmethod
    def _carry_on(session: DialogSession) -> Button:
        return Button(
            ButtonId(Action.RESUME, session.id).encode(), texts.BUTTON_CARRY_ON, "carry on"
        )
