"""Who may join (platform minimum ages, invite codes for under-13s), the lawful basis, consent
asked again on a new privacy text, the child-friendly privacy text, retention of typed answers,
and messages only of the kinds a person chose."""

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

import pytest

from bots.runner import scheduled_work
from bots.scheduler import Every, run_scheduler
from core import texts
from core.config import ConfigError, load_settings
from core.delivery import BIG_NEWS, DIRECT, UPDATE, Sent
from core.domain import AgeBand, ContactPreference
from core.messages import Platform, Reply
from core.privacy import (
    DEFAULT_MINIMUM_AGES,
    LawfulBasis,
    PrivacyPolicy,
    months_before,
    parse_minimum_ages,
)
from core.roles import RoleSettings
from core.safeguarding import Lead
from dialogs.loader import bundled_script
from tests.core.chat import Person, invite_code
from tests.core.privacy_helpers import Clock, started
from tests.dialogs.sample import SAMPLE
from tests.storage_scan import all_rows, holding

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
async def running(database_url, clock):
    async with started(database_url, clock) as (core, engine):
        await core.add_consultation(SAMPLE, "sample.yaml")
        yield core, engine


async def participant(core, person):
    async with core._uow_factory() as uow:
        address = person.address
        return await uow.participants.find_by_identity(address.platform, address.user_id)


# Platform minimum ages -----------------------------------------------------------------------


def test_the_platforms_minimum_ages_follow_their_terms():
    assert DEFAULT_MINIMUM_AGES == {Platform.TELEGRAM: 16, Platform.DISCORD: 13}
    policy = PrivacyPolicy()
    assert policy.too_young(Platform.TELEGRAM, AgeBand.AGE_13_15)
    assert not policy.too_young(Platform.TELEGRAM, AgeBand.AGE_16_17)
    assert policy.too_young(Platform.DISCORD, AgeBand.UNDER_13)
    assert not policy.too_young(Platform.DISCORD, AgeBand.AGE_13_15)
    assert not policy.too_young(Platform.TERMINAL, AgeBand.UNDER_13)
    straddled = PrivacyPolicy(minimum_ages={Platform.DISCORD: 14})
    assert straddled.too_young(Platform.DISCORD, AgeBand.AGE_13_15), "13 to 15 may hold a 13"


@pytest.mark.parametrize(
    ("platform", "age_key", "age"), [(Platform.TELEGRAM, "2", 16), (Platform.DISCORD, "1", 13)]
)
async def test_someone_younger_than_the_platform_allows_is_turned_away_with_nothing_kept(
    running, platform, age_key, age
):
    core, engine = running
    person = Person(core, "7319025", platform)
    await person.command("start")
    await person.press("1")
    [reply] = await person.press(age_key)
    assert reply.text == f"{texts.TOO_YOUNG.format(age=age)}\n\n{texts.OTHER_WAY}"
    assert await participant(core, person) is None
    assert holding(await all_rows(engine), ["7319025"]) == []
    await person.say("hello?")
    assert person.text == texts.FIRST_HELLO


async def test_minimum_ages_and_the_other_way_to_take_part_are_settings(database_url, clock):
    privacy = PrivacyPolicy(
        minimum_ages={Platform.TELEGRAM: 13}, other_way="Ask Sam at the youth centre."
    )
    async with started(database_url, clock, privacy=privacy) as (core, _):
        teen = Person(core, "tg-14", Platform.TELEGRAM)
        await teen.onboard(age_key="2")
        assert (await participant(core, teen)).age_band == AgeBand.AGE_13_15
        child = Person(core, "tg-11", Platform.TELEGRAM)
        await child.command("start")
        await child.press("1")
        [reply] = await child.press("1")
        assert reply.text.endswith("\n\nAsk Sam at the youth centre.")


# Invite codes for children under 13 ----------------------------------------------------------


async def test_an_under_13_cannot_join_without_a_valid_invite_code(running):
    core, engine = running
    child = Person(core, "kid-1")
    await child.command("start")
    await child.press("1")
    await child.press("1")
    assert "your parent or carer has to say yes first" in child.text
    assert child.last[0].text_entry == texts.TEXT_BOX_ANSWER
    for typed in ("let me in", "ABCDE-FGHJK"):
        await child.say(typed)
        assert child.text.startswith(texts.CODE_UNKNOWN), "refused kindly, and asked again"
        assert "Type the code here" in child.text
    [reply] = await child.press("skip")
    assert reply.text == f"{texts.NEEDS_CODE}\n\n{texts.OTHER_WAY}"
    assert await participant(core, child) is None
    assert holding(await all_rows(engine), ["kid-1"]) == []


async def test_a_valid_code_lets_one_under_13_join_and_records_that_a_parent_agreed(running, clock):
    core, engine = running
    code = await invite_code(core, group="-100800")
    child = Person(core, "kid-2")
    await child.onboard_under_13(code.lower().replace("-", " "))
    assert texts.OPEN_LIST in child.text
    found = await participant(core, child)
    assert found.onboarded and found.age_band == AgeBand.UNDER_13
    async with core._uow_factory() as uow:
        [(forum, joined_on)] = await uow.members.forums_of(found.id)
        assert joined_on == clock.now().date()
        assert forum.group_id == "-100800"
        agreed_in, when = await uow.invites.agreement(found.id)
    assert agreed_in == forum and when == clock.now()
    [mydata] = await child.command("mydata")
    assert "A parent or carer said yes to you taking part." in mydata.text

    again = Person(core, "kid-3")
    await again.command("start")
    await again.press("1")
    await again.press("1")
    await again.say(code)
    assert again.text.startswith(texts.INVITE_CODE_USED)
    assert "Type the code here" in again.text
    assert holding(await all_rows(engine), [code, code.replace("-", "")]) == [], "hashes only"


async def test_an_expired_code_is_refused_kindly(running, clock):
    core, _ = running
    code = await invite_code(core)
    clock.advance(days=8)
    child = Person(core, "kid-4")
    await child.command("start")
    await child.press("1")
    await child.press("1")
    await child.say(code)
    assert child.text.startswith(texts.INVITE_CODE_EXPIRED)
    assert not (await participant(core, child)).onboarded
    await child.command("consult", "sample")
    assert "Type the code here" in child.text, "no way round the code"


async def test_invite_codes_need_a_sensible_count_and_a_future_expiry(running, clock):
    core, _ = running
    with pytest.raises(ValueError, match="between 1 and 500"):
        await core.make_invite_codes(Platform.TELEGRAM, "-1", 0, clock.now() + timedelta(days=1))
    with pytest.raises(ValueError, match="in the future"):
        await core.make_invite_codes(Platform.TELEGRAM, "-1", 2, clock.now())
    codes = await core.make_invite_codes(
        Platform.TELEGRAM, "-1", 20, clock.now() + timedelta(days=1)
    )
    assert len(set(codes)) == 20


async def test_an_under_13_on_a_platform_that_allows_them_still_needs_the_code_to_finish(
    running,
):
    """Even if a deployment's own onboarding script left the code question out."""
    core, _ = running
    child = Person(core, "kid-5")
    await child.command("start")
    await child.press("1")
    await child.press("1")
    async with core._uow_factory() as uow:
        found = await uow.participants.find_by_identity(Platform.TERMINAL, "kid-5")
        session = await uow.sessions.current(found.id)
        session.question_id = "contact"  # as if the script went straight on
        await uow.sessions.save(session, datetime.now(UTC))
        await uow.commit()
    [reply] = await child.press_id(f"a:{session.id}:contact:big_news")
    assert reply.text.startswith(texts.NEEDS_CODE)
    assert await participant(core, child) is None


# The lawful basis and the privacy text -------------------------------------------------------


def test_the_privacy_text_says_what_is_kept_why_who_sees_it_and_how_long():
    intro = bundled_script("onboarding").intro
    for part in (
        "What we keep: your age group, your answers",
        "We never ask your name",
        "Your answers help make them better",
        "Who sees it: the people who plan these services",
        "How long: we delete typed answers after a set time",
        "I check the messages you send me (not your other chats)",
        "They keep those messages, even if you use /forgetme",
        "/mydata",
        "/forgetme",
        "/stop",
    ):
        assert part in intro, part


async def test_a_public_task_basis_changes_the_wording_and_the_version(database_url, clock):
    privacy = PrivacyPolicy(lawful_basis=LawfulBasis.PUBLIC_TASK)
    assert privacy.version == f"{texts.CONSENT_VERSION}-task"
    async with started(database_url, clock, privacy=privacy) as (core, _):
        person = Person(core, "pt")
        await person.command("start")
        assert texts.PUBLIC_TASK_WHY in person.text and texts.PUBLIC_TASK_ASK in person.text
        assert "Are you happy to take part?" not in person.text
        await person.press("1")
        await person.press("2")
        await person.press("2")
        async with core._uow_factory() as uow:
            found = await uow.participants.find_by_identity(Platform.TERMINAL, "pt")
            assert [v for v, _ in await uow.participants.consents(found.id)] == [privacy.version]
    assert PrivacyPolicy().onboarding(bundled_script("onboarding")) == bundled_script("onboarding")


# Consent is versioned ------------------------------------------------------------------------


async def test_a_new_privacy_text_asks_again_before_anything_else(database_url, clock):
    async with started(database_url, clock, privacy=PrivacyPolicy(notice="v1")) as (core, _):
        await core.add_consultation(SAMPLE, "sample.yaml")
        person = Person(core, "ria")
        await person.onboard()
        await person.command("consult", "sample")
        await person.press("1")
    clock.advance(days=30)
    async with started(database_url, clock, privacy=PrivacyPolicy(notice="v2")) as (core, _):
        person = Person(core, "ria")
        await person.command("consult", "sample")
        assert texts.PRIVACY_CHANGED in person.text and 'paused "Sample"' in person.text
        assert bundled_script("onboarding").intro in person.text, "the new text, in full"
        for event in (
            person.command("resume"),
            person.command("vote"),
            person.press_id("a:2:likes:staff"),
            person.say("the food"),
        ):
            await event
            assert "Are you happy to take part?" in person.text, "asked before anything else"
        assert texts.PRIVACY_CHANGED in (await person.command("consult"))[0].text
        await person.command("mydata")
        assert person.text.startswith(texts.MYDATA_HEADING), "rights work at once"
        await person.command("consult", "sample")
        await person.press("1")
        assert person.text.startswith(texts.PRIVACY_AGREED)
        assert 'You paused "Sample"' in person.text
        await person.press("carry on")
        assert "What was good?" in person.text, "carries on where they left off"
        async with core._uow_factory() as uow:
            found = await uow.participants.find_by_identity(Platform.TERMINAL, "ria")
            assert [v for v, _ in await uow.participants.consents(found.id)] == ["v1", "v2"]
        assert found.age_band == AgeBand.AGE_13_15, "only the privacy question is asked again"


async def test_saying_no_to_a_new_privacy_text_erases_the_person(database_url, clock):
    async with started(database_url, clock, privacy=PrivacyPolicy(notice="v1")) as (core, _):
        await Person(core, "sol").onboard()
    async with started(database_url, clock, privacy=PrivacyPolicy(notice="v2")) as (core, eng):
        person = Person(core, "sol")
        await person.command("start")
        assert texts.PRIVACY_CHANGED in person.text
        [reply] = await person.press("2")
        assert reply.text == texts.FORGETME_DONE
        assert await participant(core, person) is None
        assert holding(await all_rows(eng), ["sol"]) == []


# Settings ------------------------------------------------------------------------------------


def test_privacy_and_role_settings(monkeypatch):
    monkeypatch.setenv("YOUSAID_LAWFUL_BASIS", "public_task")
    monkeypatch.setenv("YOUSAID_MINIMUM_AGES", "discord:16")
    monkeypatch.setenv("YOUSAID_OTHER_WAY_TO_TAKE_PART", r"Ask Sam.\nOr use the form.")
    monkeypatch.setenv("YOUSAID_COMMISSIONERS", "telegram:5")
    monkeypatch.setenv("YOUSAID_ADMINS", "discord:6, telegram:7")
    settings = load_settings()
    assert settings.privacy == PrivacyPolicy(
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        minimum_ages={Platform.TELEGRAM: 16, Platform.DISCORD: 16},
        other_way="Ask Sam.\nOr use the form.",
    )
    assert settings.roles == RoleSettings(
        commissioners=(Lead(Platform.TELEGRAM, "5"),),
        admins=(Lead(Platform.DISCORD, "6"), Lead(Platform.TELEGRAM, "7")),
    )
    assert parse_minimum_ages("") == DEFAULT_MINIMUM_AGES


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("YOUSAID_LAWFUL_BASIS", "vibes", "'consent' or 'public_task'"),
        ("YOUSAID_MINIMUM_AGES", "telegram:sixteen", "should look like telegram:16"),
        ("YOUSAID_MINIMUM_AGES", "myspace:13", "should look like telegram:16"),
        ("YOUSAID_ADMINS", "me", "should look like telegram:12345"),
        ("YOUSAID_OTHER_WAY_TO_TAKE_PART", "x" * 600, "keep it under 500"),
    ],
)
def test_bad_privacy_settings_name_the_variable(monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert str(raised.value).startswith(f"Setting {variable} is not valid: ")
    assert message in str(raised.value) and "\n" not in str(raised.value)


def test_months_before_counts_calendar_months():
    at = datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
    assert months_before(at, 1) == datetime(2027, 2, 28, 9, 0, tzinfo=UTC)
    assert months_before(at, 12) == datetime(2026, 3, 31, 9, 0, tzinfo=UTC)
    assert months_before(at, 15) == datetime(2025, 12, 31, 9, 0, tzinfo=UTC)


# Retention -----------------------------------------------------------------------------------

SHORT = SAMPLE.replace("id: sample", "id: short").replace(
    "title: Sample", "title: Short\nretention_months: 3"
)


async def answer_with_words(person, slug, story):
    await person.command("consult", slug)
    await person.press("2")  # waiting room: on to the mood
    await person.press("4")
    await person.press("2")
    await person.press("1")
    await person.press("done")
    await person.press("3")
    await person.say("They mostly listen")
    await person.say(story)
    assert "Thanks!" in person.text


async def stored(core, slug):
    async with core._uow_factory() as uow:
        consultation = await uow.consultations.get_by_slug(slug)
        rows = await uow.answers.export(consultation.id)
    return {(row.respondent, row.question_id): row.value for row in rows}


async def test_typed_answers_older_than_the_period_disappear_and_counts_remain(running, clock):
    core, engine = running
    await core.add_consultation(SHORT, "short.yaml")
    early = Person(core, "early")
    await early.onboard()
    await answer_with_words(early, "sample", "The nurse was lovely")
    await answer_with_words(early, "short", "Short story here")
    short_totals = await core.answer_totals("short")
    clock.advance(days=100)
    late = Person(core, "late")
    await late.onboard()
    await answer_with_words(late, "sample", "Wifi was slow")
    assert await core.forget_old_answers() == 2, "the short one's story and score reason"
    short = await stored(core, "short")
    assert (1, "story") not in short and short[(1, "score")] == {"score": 3, "reason": ""}
    assert short[(1, "where")] == "wait", "answers that are not typed words stay"
    assert await core.answer_totals("short") == short_totals, "the counts remain"
    both = await core.answer_totals("sample")
    assert both["story"] == (2, 0)
    clock.advance(days=270)  # a year and 5 days after the first answers
    assert await core.forget_old_answers() == 2
    sample = await stored(core, "sample")
    assert (1, "story") not in sample and sample[(2, "story")] == "Wifi was slow"
    assert sample[(1, "score")]["reason"] == "" and sample[(2, "score")]["reason"]
    assert await core.answer_totals("sample") == both, "the counts remain"
    rows = await all_rows(engine)
    assert holding(rows, ["The nurse was lovely", "Short story here", "They mostly listen"]) == [
        ("answers", "value", '{"score": 3, "reason": "They mostly listen"}')
    ], "only the late answer's reason is left"
    assert await core.forget_old_answers() == 0, "nothing twice"
    [mydata] = await early.command("mydata")
    assert "- How well do they listen?: 3\n" in mydata.text, "the score stays, without a reason"


async def test_a_consultation_says_how_long_typed_answers_are_kept(running):
    core, _ = running
    await core.add_consultation(SHORT, "short.yaml")
    person = Person(core, "kai")
    await person.onboard()
    await person.command("consult", "short")
    assert texts.KEPT_FOR.format(months=3) in person.text


async def test_the_scheduler_runs_the_retention_and_alert_jobs(running, clock, database_url):
    core, _ = running
    jobs = {job.name: job for job in scheduled_work(core)}
    assert jobs["forget_old_answers"].work == core.forget_old_answers
    assert jobs["forget_old_answers"].seconds == 3600
    assert jobs["resend_safeguarding_alerts"].work == core.resend_unacknowledged_alerts
    assert jobs["resend_safeguarding_alerts"].seconds == 120
    person = Person(core, "old")
    await person.onboard()
    await answer_with_words(person, "sample", "A story to forget")
    clock.advance(days=400)
    quick = Every("forget_old_answers", 0.2, jobs["forget_old_answers"].work)
    task = asyncio.create_task(run_scheduler(database_url, [quick], check_every=0.2))
    try:
        for _ in range(200):
            if (1, "story") not in await stored(core, "sample"):
                break
            await asyncio.sleep(0.05)
        assert (1, "story") not in await stored(core, "sample"), "the scheduled job ran"
        assert (await core.answer_totals("sample"))["story"] == (1, 0)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


# Messages only of the kinds a person chose, and /stop ----------------------------------------


class Phone:
    def __init__(self):
        self.received = []

    async def send(self, user_id, reply):
        self.received.append((user_id, reply.text))
        return Sent()


async def test_messages_go_only_to_people_who_chose_that_kind(running):
    core, _ = running
    people = {}
    for key, preference in (("1", "every"), ("2", "big"), ("3", "never"), ("2", "stopped")):
        person = Person(core, preference, Platform.TELEGRAM)
        await person.onboard(contact_key=key)
        people[preference] = (await participant(core, person)).id
    never = await participant(core, Person(core, "never", Platform.TELEGRAM))
    assert never.contact_preference == ContactPreference.NEVER
    await Person(core, "stopped", Platform.TELEGRAM).command("stop")
    ids = list(people.values())
    await core.queue_broadcast("u1", ids, Reply("An update"), kind=UPDATE)
    await core.queue_broadcast("b1", ids, Reply("Big news"), kind=BIG_NEWS)
    await core.queue_broadcast("d1", ids, Reply("For you"), kind=DIRECT)
    phone = Phone()
    worker = core.delivery_worker({Platform.TELEGRAM: phone})
    while await worker.run_once():
        pass
    assert sorted(phone.received) == sorted(
        [
            ("every", "An update"),
            ("every", "Big news"),
            ("big", "Big news"),
            ("every", "For you"),
            ("big", "For you"),
            ("never", "For you"),
        ]
    ), "/stop stops everything; the rest get only what they chose"
