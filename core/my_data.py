"""A person's rights in chat: see everything kept about them, and have it deleted."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from core import texts
from core.buttons import Action, ButtonId
from core.domain import Participant
from core.erasure import erase
from core.messages import Attachment, Button, Reply
from core.ports import UnitOfWork
from core.results import readable
from core.roles import pseudonym
from dialogs.loader import cached_script

BAND_WORDS = {
    "under_13": "under 13",
    "13_15": "13 to 15",
    "16_17": "16 or 17",
    "18_25": "18 to 25",
}
_CONTACT_WORDS = {
    "every_update": "every update",
    "big_news": "only big news",
    "never": "no updates",
}


class MyData:
    """The ``/mydata`` and ``/forgetme`` use cases inside one unit of work."""

    def __init__(self, uow: UnitOfWork, now: datetime) -> None:
        self._uow = uow
        self._now = now

    async def show(self, participant: Participant) -> list[Reply]:
        """Everything held about the person: a readable message and the same as a JSON file."""
        record = await self.record(participant)
        lines = [texts.MYDATA_HEADING, ""]
        lines.append(f"Age group: {BAND_WORDS.get(record['age_band'] or '', 'not given')}")
        lines.append(f"Messages from us: {_CONTACT_WORDS[record['contact_preference']]}")
        lines.append(texts.MYDATA_DIGEST.format(state=texts.DIGEST_STATE[record["weekly_digest"]]))
        if record["messages_stopped"]:
            lines.append("You asked us to send no more messages.")
        for consent in record["consents"]:
            lines.append(
                f"You agreed to our privacy notice ({consent['version']}) on {consent['at'][:10]}."
            )
        for forum in record["forums"]:
            title = forum["title"] or texts.MYDATA_UNNAMED_FORUM
            lines.append(texts.MYDATA_FORUM.format(title=title, day=forum["joined_on"]))
        for ballot in record["secret_votes"]:
            shown = texts.MYDATA_VOTED if ballot["voted"] else texts.MYDATA_NOT_VOTED
            lines.append(shown.format(question=ballot["question"]))
        raised, wrote = record["red_cards_raised_privately"], record["own_messages_kept"]
        if raised:
            lines.append(texts.MYDATA_RED_CARDS.format(count=raised))
        if wrote:
            lines.append(texts.MYDATA_OWN_MESSAGES.format(count=wrote))
        if record["parent_or_carer_agreed"] is not None:
            agreed = record["parent_or_carer_agreed"]
            title = agreed["forum"] or texts.MYDATA_UNNAMED_FORUM
            lines.append(texts.MYDATA_GUARDIAN.format(title=title, day=agreed["on"]))
        for title in record["gets_reports_of_posts_in"]:
            lines.append(texts.MYDATA_REPORTS.format(title=title or texts.MYDATA_UNNAMED_FORUM))
        if record["outcome_feedback"]:
            count = len(record["outcome_feedback"])
            lines.append(texts.MYDATA_OUTCOME_FEEDBACK.format(count=count))
        if record["certificates"]:
            lines.append(texts.MYDATA_CERTIFICATES.format(count=len(record["certificates"])))
        for refused in record["refused_actions"]:
            lines.append(texts.MYDATA_REFUSED.format(action=refused["action"], day=refused["on"]))
        for item in record["dialogs"]:
            lines += ["", f"{item['title']} ({item['status']}):"]
            lines += [f"- {answer['question']}: {answer['answer']}" for answer in item["answers"]]
        lines += ["", texts.MYDATA_SAFETY, "", texts.MYDATA_FILE]
        content = json.dumps(record, indent=2, ensure_ascii=False).encode()
        return [Reply("\n".join(lines), attachment=Attachment("my-yousaid-data.json", content))]

    @staticmethod
    def ask_to_forget(participant: Participant) -> list[Reply]:
        """Ask the person to confirm before anything is deleted."""
        yes = Button(ButtonId(Action.ERASE, participant.id).encode(), texts.BUTTON_FORGET_YES)
        no = Button(ButtonId(Action.KEEP, participant.id).encode(), texts.BUTTON_FORGET_NO)
        return [Reply(texts.FORGETME_ASK, ((yes,), (no,)))]

    async def forget(self, participant: Participant) -> list[Reply]:
        """Erase the person everywhere, in this one transaction; anonymous counts stay."""
        await erase(self._uow, participant.id)
        return [Reply(texts.FORGETME_DONE, replace=True)]

    async def record(self, participant: Participant) -> dict[str, Any]:
        """Everything held about the person, as JSON-ready data (safeguarding alerts aside)."""
        uow = self._uow
        raised, wrote = await uow.red_cards.kept_for(participant.id)
        dialogs = []
        for session in await uow.sessions.for_participant(participant.id):
            if session.consultation_id is None:
                continue
            consultation = await uow.consultations.get(session.consultation_id)
            assert consultation is not None
            script = cached_script(consultation.script_yaml)
            band = participant.age_band.value if participant.age_band else None
            answers = []
            for answer in await uow.answers.for_session(session.id):
                question = script.question(answer.question_id)
                wording = question.wording(band) if question else answer.question_id
                shown = "(skipped)" if answer.skipped else readable(question, answer.value)
                answers.append({"question": wording, "answer": shown, "value": answer.value})
            dialogs.append(
                {"title": consultation.title, "status": session.status.value, "answers": answers}
            )
        identities = await uow.participants.identities(participant.id)
        agreed = await uow.invites.agreement(participant.id)
        refused = await uow.audit.of([pseudonym(p, user_id) for p, user_id in identities])
        return {
            "participant_number": participant.id,
            "age_band": participant.age_band.value if participant.age_band else None,
            "contact_preference": participant.contact_preference.value,
            "messages_stopped": participant.messages_stopped,
            "weekly_digest": participant.gets_digest,
            "chat_accounts": [
                {"platform": platform, "user_id": user_id} for platform, user_id in identities
            ],
            "consents": [
                {"version": version, "at": at.isoformat()}
                for version, at in await uow.participants.consents(participant.id)
            ],
            "dialogs": dialogs,
            "forums": [
                {"title": forum.title, "joined_on": day.isoformat()}
                for forum, day in await uow.members.forums_of(participant.id)
            ],
            "secret_votes": [
                {"question": ballot.question, "voted": voted}
                for ballot, voted in await uow.ballots.roll_of(participant.id)
            ],
            "red_cards_raised_privately": raised,
            "own_messages_kept": wrote,
            "parent_or_carer_agreed": None
            if agreed is None
            else {
                "forum": agreed[0].title if agreed[0] is not None else "",
                "on": agreed[1].date().isoformat(),
            },
            "gets_reports_of_posts_in": [
                forum.title for forum in await uow.moderation.moderated_by(participant.id)
            ],
            "outcome_feedback": [
                {"outcome": outcome_id, "answer": texts.OUTCOME_FEEDBACK[value]}
                for outcome_id, value in await uow.outcomes.feedback_of(participant.id)
            ],
            "refused_actions": [
                {"action": action, "on": at.date().isoformat()} for action, at in refused
            ],
            "certificates": [
                {
                    "consultation_number": held.consultation_id,
                    "given_on": held.issued_at.date().isoformat(),
                }
                for held in await uow.certificates.of_participant(participant.id)
            ],
            "made_at": self._now.isoformat(),
        }
