"""The weekly round-up: one message a week per person on what changed for them, nothing when
nothing changed, off by default for under-13s, each person's own choice, and harmless to run
again."""

from datetime import UTC, datetime, time

from core import texts
from core.domain import OutcomeStatus
from core.hours import QuietHours
from core.outcomes import OutcomeChange
from tests.core.chat import Person, delivered, invite_code
from tests.core.privacy_helpers import Clock, started
from tests.core.test_outcomes import COMMISSIONER, ROLES, WORDS, answered
from tests.dialogs.sample import SAMPLE


async def test_one_round_up_a_week_for_those_it_concerns_and_who_want_it(database_url):
    clock = Clock()  # Tuesday 1 December 2026
    night = QuietHours(time(21), time(8))
    async with started(database_url, clock, roles=ROLES, quiet=night) as (core, _engine):
        await core.add_consultation(SAMPLE, "sample.yaml")
        await answered(core, "ana", contact_key="1")
        await answered(core, "ben", contact_key="2")
        await answered(core, "dev", contact_key="3")  # hears nothing
        off = await answered(core, "gus")
        await off.command("digest", "off")
        assert off.text == texts.DIGEST_OFF
        child = Person(core, "eve")
        await child.onboard_under_13(await invite_code(core))
        await child.command("consult", "sample")
        await child.press("1")
        await child.command("digest")
        assert child.text == texts.DIGEST_HOW.format(state="off"), "off for under-13s"
        await Person(core, "hal").onboard()  # had no say
        await core.add_outcome(COMMISSIONER, "sample", WORDS, OutcomeStatus.IN_PROGRESS, 30)
        await delivered(core)
        clock.moment = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)  # Friday
        assert await core.send_weekly_digests() == 0, "not before Saturday"
        clock.moment = datetime(2026, 12, 5, 7, 0, tzinfo=UTC)  # Saturday, 7:00 in London
        assert await core.send_weekly_digests() == 2
        assert await core.send_weekly_digests() == 0, "running it again queues nothing"
        assert (await delivered(core)).received == [], "it waits for the night to end"
        clock.moment = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
        phone = await delivered(core)
        assert sorted(who for who, _ in phone.received) == ["ana", "ben"]
        line = texts.DIGEST_LINE.format(
            title="Sample", stage=texts.OUTCOME_STATUS["in_progress"], progress=30,
            we_did=WORDS.we_did,
        )  # fmt: skip
        assert phone.to("ana")[0].text == texts.DIGEST.format(lines=line)
        clock.moment = datetime(2026, 12, 12, 10, 0, tzinfo=UTC)
        assert await core.send_weekly_digests() == 0, "nothing changed this week"
        await child.command("digest", "on")
        assert child.text == texts.DIGEST_ON
        done = OutcomeChange(status=OutcomeStatus.DONE, progress=100)
        await core.update_outcome(COMMISSIONER, 1, done)
        await delivered(core)
        assert await core.send_weekly_digests() == 3, "eve chose to get it"
        [round_up] = (await delivered(core)).to("eve")
        assert f"{texts.OUTCOME_STATUS['done']}, 100% of the way" in round_up.text
