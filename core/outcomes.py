"""Outcomes ("you said, we did"): what was done about what young people said, told back.

A commissioner (or an instance admin) writes an outcome for a consultation: what young people
said, what was done (or why it could not be), what comes next, its stage and how far it has got.
The words must pass the plain-words check. When an outcome is written, and each time its stage
changes, everyone who answered (the linked questions, if any) and still hears from us gets a
thank-you in the outbox, in the same transaction, with buttons to say whether it made a
difference. ``/myrecord`` shows a person what they took part in and what followed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from core import texts
from core.ballots import new_token
from core.buttons import Action, TokenButton
from core.delivery import BIG_NEWS, FORUM, NORMAL, UPDATE, reply_to_payload
from core.domain import Consultation, Outcome, OutcomeStatus, Participant
from core.messages import Button, Reply
from core.plain_words import check
from core.ports import UnitOfWork
from dialogs.loader import parse_script


class OutcomeError(Exception):
    """An outcome that can't be written or changed; the message says why, in plain words."""


@dataclass(frozen=True, slots=True)
class OutcomeWords:
    """What young people said, what was done about it, and what comes next."""

    you_said: str
    we_did: str
    next_steps: str


@dataclass(frozen=True, slots=True)
class OutcomeChange:
    """What to change in an outcome; None (or "") keeps what it has."""

    you_said: str | None = None
    we_did: str | None = None
    next_steps: str | None = None
    status: OutcomeStatus | None = None
    progress: int | None = None
    update_at: datetime | None = None
    """When to send everyone the next progress update (a time still to come)."""

    @property
    def words_or_stage(self) -> bool:
        """True if it changes the outcome itself, not only when its next update goes."""
        return bool(
            self.you_said
            or self.we_did
            or self.next_steps
            or self.status is not None
            or self.progress is not None
        )


def broadcast(outcome: Outcome, status: OutcomeStatus) -> str:
    """The outbox broadcast of an outcome's thank-you at one stage."""
    return f"outcome:{outcome.id}:{status}"


def progress_broadcast(outcome: Outcome, due: datetime) -> str:
    """The outbox broadcast of the progress update on an outcome due at ``due``."""
    return f"progress:{outcome.id}:{int(due.timestamp())}"


def progress_update(outcome: Outcome, title: str) -> Reply:
    """The progress update contributors get at the time the commissioner chose."""
    return Reply(
        texts.PROGRESS_UPDATE.format(
            title=title,
            stage=texts.OUTCOME_STATUS[outcome.status],
            progress=outcome.progress,
            we_did=outcome.we_did,
            next_steps=outcome.next_steps,
        )
    )


def thank_you(outcome: Outcome, title: str) -> Reply:
    """The thank-you a contributor gets, with the one-tap feedback buttons."""
    thanks = texts.OUTCOME_THANKS[outcome.status].format(title=title)
    text = texts.OUTCOME_MESSAGE.format(
        thanks=thanks,
        you_said=outcome.you_said,
        we_did=outcome.we_did,
        next_steps=outcome.next_steps,
        progress=outcome.progress,
    )
    row = tuple(
        Button(TokenButton(Action.OUTCOME, outcome.token, None, value).encode(), label)
        for value, label in texts.OUTCOME_FEEDBACK.items()
    )
    return Reply(text, (row,))


class OutcomeBook:
    """Writing outcomes, thanking contributors and counting their feedback, in one unit of work.

    Who may write is checked by the caller (``Authority.check`` with the ``outcome`` action).
    """

    def __init__(self, uow: UnitOfWork, now: datetime) -> None:
        self._uow = uow
        self._now = now

    async def add(
        self,
        slug: str,
        words: OutcomeWords,
        status: OutcomeStatus,
        progress: int,
        question_ids: list[str],
    ) -> Outcome:
        """Publish a new outcome and queue the thank-yous; OutcomeError if it can't be."""
        consultation = await self._uow.consultations.get_by_slug(slug)
        if consultation is None:
            raise OutcomeError(texts.OUTCOME_NO_CONSULTATION.format(slug=slug))
        script = parse_script(consultation.script_yaml, consultation.slug)
        for question in question_ids:
            if script.question(question) is None:
                raise OutcomeError(texts.OUTCOME_NO_QUESTION.format(slug=slug, question=question))
        _check_progress(progress)
        await self._check_words(consultation, words)
        outcome = await self._uow.outcomes.add(
            Outcome(
                id=0,
                token=new_token(),
                consultation_id=consultation.id,
                you_said=words.you_said,
                we_did=words.we_did,
                next_steps=words.next_steps,
                status=status,
                progress=progress,
                question_ids=question_ids,
                created_at=self._now,
                updated_at=self._now,
            )
        )
        await self._thank(outcome, consultation)
        return outcome

    async def update(
        self,
        outcome_id: int,
        change: OutcomeChange,
    ) -> Outcome:
        """Change an outcome; a new stage queues the thank-yous again, at that stage.

        ``change.update_at`` sets when the next progress update goes to everyone thanked.
        """
        outcome, consultation = await self._with_consultation(outcome_id)
        if change.update_at is not None:
            if change.update_at <= self._now:
                raise OutcomeError(texts.OUTCOME_UPDATE_PAST)
            await self._uow.progress_updates.set(outcome.id, change.update_at, self._now)
        if not change.words_or_stage:
            return outcome
        changed = replace(
            outcome,
            you_said=change.you_said or outcome.you_said,
            we_did=change.we_did or outcome.we_did,
            next_steps=change.next_steps or outcome.next_steps,
            status=change.status or outcome.status,
            progress=outcome.progress if change.progress is None else change.progress,
            updated_at=self._now,
        )
        _check_progress(changed.progress)
        if change.you_said or change.we_did or change.next_steps:
            await self._check_words(
                consultation, OutcomeWords(changed.you_said, changed.we_did, changed.next_steps)
            )
        await self._uow.outcomes.save(changed)
        if changed.status != outcome.status:
            await self._thank(changed, consultation)
        return changed

    async def send_progress_update(self, outcome_id: int, due: datetime) -> int:
        """Queue the progress update due at ``due`` for everyone a new stage would reach.

        It is news (kind update): only those who want every update get it. How many were queued.
        """
        outcome, consultation = await self._with_consultation(outcome_id)
        contributors = await self._uow.outcomes.contributors(consultation.id, outcome.question_ids)
        payload = reply_to_payload(progress_update(outcome, consultation.title)) | {
            "kind": UPDATE,
            FORUM: consultation.forum_id,
        }
        return await self._uow.deliveries.queue(
            progress_broadcast(outcome, due), contributors, payload, NORMAL, self._now
        )

    async def _with_consultation(self, outcome_id: int) -> tuple[Outcome, Consultation]:
        outcome = await self._uow.outcomes.get(outcome_id)
        consultation = None
        if outcome is not None:
            consultation = await self._uow.consultations.get(outcome.consultation_id)
        if outcome is None or consultation is None:
            raise OutcomeError(texts.OUTCOME_NOT_FOUND.format(number=outcome_id))
        return outcome, consultation

    async def of_consultation(self, slug: str) -> list[tuple[Outcome, dict[str, int]]]:
        """A consultation's outcomes, each with its feedback counts."""
        consultation = await self._uow.consultations.get_by_slug(slug)
        if consultation is None:
            raise OutcomeError(texts.OUTCOME_NO_CONSULTATION.format(slug=slug))
        outcomes = await self._uow.outcomes.of_consultation(consultation.id)
        return [
            (outcome, await self._uow.outcomes.feedback_counts(outcome.id)) for outcome in outcomes
        ]

    async def feedback(self, participant: Participant, token: str, value: str) -> list[Reply]:
        """A press on "Did this make a difference?": counted once, only from those thanked."""
        outcome = await self._uow.outcomes.by_token(token)
        if outcome is None or not await self._was_thanked(outcome, participant.id):
            return [Reply(texts.OUTCOME_FEEDBACK_NOT_YOURS, only_for_sender=True)]
        if await self._uow.outcomes.add_feedback(outcome.id, participant.id, value, self._now):
            return [Reply(texts.OUTCOME_FEEDBACK_THANKS, only_for_sender=True)]
        return [Reply(texts.OUTCOME_FEEDBACK_BEFORE, only_for_sender=True)]

    async def my_record(self, participant: Participant) -> list[Reply]:
        """``/myrecord``: the consultations and secret votes a person took part in, and outcomes."""
        lines: list[str] = []
        seen: list[int] = []
        for session in await self._uow.sessions.for_participant(participant.id):
            if session.consultation_id is not None and session.consultation_id not in seen:
                seen.append(session.consultation_id)
        for consultation_id in seen:
            consultation = await self._uow.consultations.get(consultation_id)
            if consultation is None:
                continue
            if not lines:
                lines.append(texts.MY_RECORD_HAD_SAY)
            lines.append(f"• {consultation.title}")
            outcomes = await self._uow.outcomes.of_consultation(consultation_id)
            lines += [f"  {_followed(outcome)}" for outcome in outcomes] or [
                f"  {texts.MY_RECORD_NO_OUTCOME}"
            ]
        voted = [ballot for ballot, cast in await self._uow.ballots.roll_of(participant.id) if cast]
        if voted:
            lines += ["", texts.MY_RECORD_VOTED] if lines else [texts.MY_RECORD_VOTED]
            lines += [f"• {ballot.question}" for ballot in voted]
        return [Reply("\n".join(lines) if lines else texts.MY_RECORD_NOTHING)]

    async def _check_words(self, consultation: Consultation, words: OutcomeWords) -> None:
        terms = {}
        if consultation.forum_id is not None:
            terms = await self._uow.forum_terms.terms(consultation.forum_id)
        problems = [
            problem
            for part in (words.you_said, words.we_did, words.next_steps)
            for problem in check(part, terms).problems()
        ]
        if problems:
            raise OutcomeError("\n".join([texts.OUTCOME_NOT_PLAIN, *problems]))

    async def _thank(self, outcome: Outcome, consultation: Consultation) -> None:
        contributors = await self._uow.outcomes.contributors(consultation.id, outcome.question_ids)
        payload = reply_to_payload(thank_you(outcome, consultation.title)) | {
            "kind": BIG_NEWS,
            FORUM: consultation.forum_id,
        }
        await self._uow.deliveries.queue(
            broadcast(outcome, outcome.status), contributors, payload, NORMAL, self._now
        )

    async def _was_thanked(self, outcome: Outcome, participant_id: int) -> bool:
        for status in OutcomeStatus:
            if await self._uow.deliveries.queued_for(broadcast(outcome, status), participant_id):
                return True
        return False


def _check_progress(progress: int) -> None:
    if not 0 <= progress <= 100:
        raise OutcomeError(texts.OUTCOME_BAD_PROGRESS)


def _followed(outcome: Outcome) -> str:
    status = texts.OUTCOME_STATUS[outcome.status]
    return texts.MY_RECORD_OUTCOME.format(
        status=status, progress=outcome.progress, we_did=outcome.we_did
    )
