"""Progress updates at the time a commissioner chose: stored, sent once to those who want every
update, also when the time came while the bot was down."""

from datetime import UTC, datetime

from core import texts
from core.domain import OutcomeStatus
from core.messages import Platform
from core.outcomes import OutcomeChange
from tests.core.chat import Person, delivered
from tests.core.privacy_helpers import Clock, started
from tests.core.test_outcomes import COMMISSIONER, ROLES, WORDS, answered
from tests.dialogs.sample import SAMPLE


async def test_a_timed_progress_update_goes_once_also_after_a_restart(database_url):
    clock = Clock()  # Tuesday 1 December 2026, 10:00 in London
    async with started(database_url, clock, roles=ROLES) as (core, _engine):
        await core.add_consultation(SAMPLE, "sample.yaml")
        await answered(core, "ana", contact_key="1")  # every update
        await answered(core, "ben", contact_key="2")  # only big news
        stopped = await answered(core, "cat", contact_key="1")
        await stopped.command("stop")
        outcome = await core.add_outcome(COMMISSIONER, "sample", WORDS, OutcomeStatus.IN_PROGRESS)
        await delivered(core)
        commissioner = Person(core, "77", Platform.TELEGRAM)
        await commissioner.command("outcome", f"{outcome.id} at 2026-12-01 17:00")
        assert commissioner.text == texts.OUTCOME_UPDATE_SET.format(
            number=outcome.id, at="1 December 2026, 17:00"
        )
        await commissioner.command("outcome", f"{outcome.id} at 2026-11-30 17:00")
        assert commissioner.text == texts.OUTCOME_UPDATE_PAST
        await commissioner.command("outcome", f"{outcome.id} at tomorrow")
        assert commissioner.text == texts.OUTCOME_UPDATE_HOW
        clock.advance(hours=6, minutes=59)
        assert await core.send_progress_updates() == 0, "not yet"
        await core.update_outcome(COMMISSIONER, outcome.id, OutcomeChange(progress=60))
        clock.advance(minutes=1)
        assert await core.send_progress_updates() == 2, "ana, and ben, whose choice is checked"
        assert await core.send_progress_updates() == 0, "once"
        phone = await delivered(core)
        assert [who for who, _ in phone.received] == ["ana"]
        [update] = phone.to("ana")
        assert update.text == texts.PROGRESS_UPDATE.format(
            title="Sample",
            stage=texts.OUTCOME_STATUS["in_progress"],
            progress=60,
            we_did=WORDS.we_did,
            next_steps=WORDS.next_steps,
        )
        next_day = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
        await core.update_outcome(COMMISSIONER, outcome.id, OutcomeChange(update_at=next_day))
    clock.advance(days=3)  # the bot was down when it fell due
    async with started(database_url, clock, roles=ROLES) as (core, _engine):
        assert await core.send_progress_updates() == 2
        assert await core.send_progress_updates() == 0
        assert [who for who, _ in (await delivered(core)).received] == ["ana"]
