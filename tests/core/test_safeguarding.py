"""Safeguarding: screening typed words, the help message, stored alerts to the leads through the
outbox, re-sending and escalation until acknowledged (also across a restart), and /forgetme."""

from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core import texts
from core.buttons import Action, ButtonId, parse_button
from core.config import ConfigError, load_settings
from core.delivery import NORMAL, SAFEGUARDING_FIRST, DeliveryWorker
from core.messages import Address, Command, Platform, Reply, Text
from core.safeguarding import (
    AlertStatus,
    ConcernTerms,
    Lead,
    SafeguardingPolicy,
    TermsError,
    default_terms,
    parse_leads,
    parse_terms,
)
from core.safeguarding_flow import Acknowledged
from core.service import YouSaid
from dialogs.loader import bundled_script
from storage.database import make_engine, upgrade
from storage.models import DeliveryRecord, PlatformIdentityRecord
from storage.unit_of_work import sql_unit_of_work_factory
from tests.core.chat import Person, Phone
from tests.dialogs.sample import SAMPLE

LEAD = Lead(Platform.TELEGRAM, "9001")
DEPUTIES = (Lead(Platform.TELEGRAM, "9002"), Lead(Platform.DISCORD, "9003"))
POLICY = SafeguardingPolicy(leads=(LEAD, *DEPUTIES))
RESEND = timedelta(minutes=10)

# Screening ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "i keep KILLING MYSELF in my head",
        "I've been self harming",
        "sometimes I self-harm",
        "selfharm",
        "my brother hurts me",
        "he hit me again",
        "my dad hits me",
        "I'm being bullied at school",
        "they keep bullying me online",
        "I just want to die.",
        "thinking about suicide",
        "I feel suicidal",
        "there is abuse at home",
        "I was abused",
        "I'm not safe at home",
        "I don’t feel safe",
        "I DON'T WANT TO LIVE anymore",
        "I'm scared to go home",
        "wish i was dead tbh",
        "I took an overdose",
    ],
)
def test_concern_phrases_and_their_simple_variants_are_found(text):
    assert default_terms().find(text), text


@pytest.mark.parametrize(
    "text",
    [
        "I'm on a diet",
        "The food made me want to diet",
        "Die-hard fans of the new ward",
        "My skill myself is drawing",
        "The nurses were kind and listened",
        "Hitchhiking me and my friend went to the hospital",
        "I want to draw",
        "The bull in the field",
        "a bullet point list",
        "The waiting room is safe",
        "They hit the ground running",
        "",
        "   ",
    ],
)
def test_ordinary_words_are_not_concerns(text):
    assert default_terms().find(text) == ()


def test_the_found_terms_are_named_once_each_in_list_order():
    terms = ConcernTerms(("bullied", "want to die", "abus*"))
    assert terms.find("Abused and bullied, bullied again") == ("bullied", "abus*")


def test_a_deployment_adds_removes_or_replaces_terms():
    base = ("want to die", "hit* me")
    assert parse_terms(["# ours", "", "food poisoning"], base) == (*base, "food poisoning")
    assert parse_terms(["-hit* me"], base) == ("want to die",)
    assert parse_terms(["-*", "Self-Harm*"], base) == ("self harm*",)
    terms = ConcernTerms(parse_terms(["Don't eat*"], ()))
    assert terms.find("I dont eating much")
    with pytest.raises(TermsError, match=r"^line 2: 'a\*' is too short"):
        parse_terms(["ok", "a*"], base)
    with pytest.raises(TermsError, match=r"^line 1: 'cry\?' may only have"):
        parse_terms(["cry?"], base)
    with pytest.raises(TermsError, match=r"^line 1: 'nothing' is not in the list"):
        parse_terms(["-nothing"], base)


def test_leads_are_platform_accounts_the_lead_first():
    assert parse_leads(" telegram:1, discord:2 ,telegram:1,") == (
        Lead(Platform.TELEGRAM, "1"),
        Lead(Platform.DISCORD, "2"),
    )
    assert POLICY.recipients(1) == (LEAD,)
    assert POLICY.recipients(2) == (LEAD, *DEPUTIES)
    with pytest.raises(ValueError, match="should look like telegram:12345"):
        parse_leads("terminal:me")


def test_the_help_message_is_kind_plain_and_never_promises_secrecy():
    text = SafeguardingPolicy().help_message().text
    for needed in ("Childline", "0800 1111", "Shout", "85258", "999", texts.SAFEGUARDING_MAY_READ):
        assert needed in text
    assert "?" not in text, "no probing or leading questions"
    assert "secret" not in text.lower() and "promise" not in text.lower()
    custom = SafeguardingPolicy(help_text="Call Kooth.").help_message().text
    assert custom == f"Call Kooth.\n\n{texts.SAFEGUARDING_MAY_READ}"


def test_the_ack_button_is_short_and_parses():
    assert parse_button("g:12") == ButtonId(Action.ACK, 12)
    assert parse_button("g:12:x") is None


# Settings -------------------------------------------------------------------------------------


def test_settings_build_the_policy(monkeypatch, tmp_path):
    terms = tmp_path / "terms.txt"
    terms.write_text("# local\nfood poisoning\n-hit me\n", encoding="utf-8")
    monkeypatch.setenv("YOUSAID_SAFEGUARDING_TERMS_FILE", str(terms))
    monkeypatch.setenv("YOUSAID_HELP_TEXT", r"Call us.\nOr Childline on 0800 1111.")
    monkeypatch.setenv("YOUSAID_SAFEGUARDING_LEADS", "telegram:9001, discord:9003")
    policy = load_settings().safeguarding
    assert policy.leads == (LEAD, Lead(Platform.DISCORD, "9003"))
    assert policy.help_text == "Call us.\nOr Childline on 0800 1111."
    assert policy.terms.find("I got food poisoning") and policy.terms.find("I want to die")
    assert not policy.terms.find("he hit me")


@pytest.mark.parametrize("value", [None, " "])
def test_default_settings_have_the_shipped_policy(monkeypatch, value):
    for name in ("SAFEGUARDING_TERMS_FILE", "HELP_TEXT", "SAFEGUARDING_LEADS"):
        if value is None:
            monkeypatch.delenv(f"YOUSAID_{name}", raising=False)
        else:
            monkeypatch.setenv(f"YOUSAID_{name}", value)
    policy = load_settings().safeguarding
    assert policy.leads == () and policy.help_text == texts.SAFEGUARDING_HELP
    assert policy.terms == default_terms()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("YOUSAID_SAFEGUARDING_LEADS", "telegram", "'telegram' should look like telegram:12345"),
        ("YOUSAID_SAFEGUARDING_TERMS_FILE", "/no/such/file", "cannot read /no/such/file"),
        ("YOUSAID_HELP_TEXT", "x" * 1600, "keep it under 1500"),
    ],
)
def test_bad_safeguarding_settings_name_the_variable(monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert str(raised.value).startswith(f"Setting {variable} is not valid: ")
    assert message in str(raised.value) and "\n" not in str(raised.value)


# The core, on both databases ------------------------------------------------------------------


class Clock:
    def __init__(self):
        self.moment = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    def now(self):
        return self.moment

    def advance(self, minutes):
        self.moment += timedelta(minutes=minutes)


@asynccontextmanager
async def started(database_url, clock, policy=POLICY):
    """A core on its own engine, as a fresh process would start it."""
    engine = make_engine(database_url)
    await upgrade(engine)
    try:
        factory = sql_unit_of_work_factory(engine)
        yield YouSaid(factory, bundled_script("onboarding"), clock=clock, safeguarding=policy)
    finally:
        await engine.dispose()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
async def core(database_url, clock):
    async with started(database_url, clock) as core:
        await core.add_consultation(SAMPLE, "sample.yaml")
        yield core


def uow(core):
    return core._uow_factory


async def deliveries(core):
    """(broadcast, platform, user id, priority, status) of every queued message, in order."""
    d, i = DeliveryRecord, PlatformIdentityRecord
    async with uow(core)() as unit:
        rows = await unit._session.execute(
            select(d.broadcast, i.platform, i.platform_user_id, d.priority, d.status)
            .join(i, i.participant_id == d.participant_id)
            .order_by(d.id, i.id)
        )
        return [tuple(row) for row in rows]


async def alerts(core, include_acknowledged=True):
    return await core.alerts(include_acknowledged=include_acknowledged)


async def to_score_reason(person):
    await person.onboard()
    await person.command("consult", "sample")
    await person.press("2")  # waiting room: on to the mood
    await person.press("4")
    await person.press("2")
    await person.press("1")
    await person.press("done")
    await person.press("3")
    assert "Why? Type a short reason" in person.text


async def to_the_text_question(person):
    await to_score_reason(person)
    await person.say("They listen")
    assert "Anything else?" in person.text


def lead_person(core, lead=LEAD):
    return Person(core, lead.user_id, lead.platform)


async def test_a_concern_in_a_free_text_answer_helps_at_once_and_alerts_the_lead(core, clock):
    person = Person(core, "amy")
    await to_the_text_question(person)
    replies = await person.say("I want to die")
    assert replies[0].text == POLICY.help_message().text
    assert "?" not in replies[0].text
    assert "Thanks!" in replies[-1].text, "the dialog still takes the answer"
    [alert] = await alerts(core)
    async with uow(core)() as unit:
        participant = await unit.participants.find_by_identity(Platform.TERMINAL, "amy")
        consultation = await unit.consultations.get_by_slug("sample")
        rows = await unit.answers.export(consultation.id)
    assert rows[-1].question_id == "story" and rows[-1].value == "I want to die"
    assert alert.participant_number == participant.id
    assert (alert.platform, alert.user_id, alert.text) == ("terminal", "amy", "I want to die")
    assert alert.terms == ["want to die"]
    assert (alert.consultation_id, alert.question_id) == (consultation.id, "story")
    assert (alert.status, alert.rounds, alert.escalated) == (AlertStatus.NEW, 1, False)
    assert await deliveries(core) == [
        (f"alert:{alert.id}:1", "telegram", LEAD.user_id, SAFEGUARDING_FIRST, "pending")
    ]

    phone = Phone()
    worker = core.delivery_worker({Platform.TELEGRAM: phone})
    await worker.run_once()
    [sent] = phone.to(LEAD.user_id)
    for part in (
        f"Safety alert {alert.id}",
        f"Participant {participant.id}",
        "I want to die",
        "Terminal",
        "user id amy",
        '"Sample" (question "story")',
        f"/ack {alert.id}",
        "2026-11-23 10:00 UTC",
    ):
        assert part in sent.text, part
    assert [b.id for b in sent.all_buttons()] == [f"g:{alert.id}"]


async def test_a_concern_in_a_score_reason_or_any_private_message_is_screened(core):
    person = Person(core, "bo")
    await to_score_reason(person)
    replies = await person.say("I'm being bullied by staff")
    assert replies[0].text == POLICY.help_message().text
    assert "Anything else?" in replies[-1].text
    await person.command("pause")
    replies = await person.say("my stepdad hits me")
    assert replies[0].text == POLICY.help_message().text
    assert 'You paused "Sample"' in replies[-1].text
    stranger = Person(core, "cy")
    replies = await stranger.say("Im not safe at home")
    assert [reply.text for reply in replies] == [POLICY.help_message().text, texts.FIRST_HELLO]
    first, second, third = await alerts(core)
    assert first.question_id == "score" and second.question_id is None
    assert second.consultation_id == first.consultation_id
    assert third.participant_number is None and third.user_id == "cy"
    assert [d[0] for d in await deliveries(core)] == [f"alert:{n}:1" for n in (1, 2, 3)]


async def test_a_plain_answer_gets_no_help_message_and_no_alert(core):
    person = Person(core, "dee")
    await to_the_text_question(person)
    replies = await person.say("More diet options")
    assert len(replies) == 1 and "Thanks!" in replies[0].text
    await person.say("thanks, bye")
    assert person.text == texts.NO_QUESTION_NOW
    assert await alerts(core) == []
    assert await deliveries(core) == []


async def test_group_chats_are_not_screened(core):
    group = Address(Platform.TELEGRAM, "-100", "55", private=False, group_id="-100")
    assert await core.handle(Text(group, "I want to kill myself")) == []
    assert await alerts(core) == []


async def test_alerts_are_resent_until_acknowledged_and_escalate_to_the_deputies(core, clock):
    person = Person(core, "eve")
    await person.onboard()
    await person.say("people at school keep hitting me")
    [alert] = await alerts(core)
    clock.advance(9)
    assert await core.resend_unacknowledged_alerts(RESEND) == 0
    clock.advance(1)
    assert await core.resend_unacknowledged_alerts(RESEND) == 1
    assert await core.resend_unacknowledged_alerts(RESEND) == 0, "not again at once"
    second = [d for d in await deliveries(core) if d[0] == f"alert:{alert.id}:2"]
    assert [(d[1], d[2], d[3]) for d in second] == [
        ("telegram", "9001", SAFEGUARDING_FIRST),
        ("telegram", "9002", SAFEGUARDING_FIRST),
        ("discord", "9003", SAFEGUARDING_FIRST),
    ]
    [alert] = await alerts(core)
    assert (alert.rounds, alert.escalated) == (2, True)

    phone, discord = Phone(), Phone()
    worker = core.delivery_worker({Platform.TELEGRAM: phone, Platform.DISCORD: discord})
    await worker.run_once()
    assert "sent again (time 2)" in phone.to("9002")[0].text
    assert texts.ALERT_ESCALATED in discord.to("9003")[0].text

    clock.advance(10)
    assert await core.resend_unacknowledged_alerts(RESEND) == 1
    deputy = lead_person(core, DEPUTIES[0])
    [reply] = await deputy.press_id(f"g:{alert.id}")
    assert reply.text == texts.ALERT_SEEN.format(number=alert.id)
    pending = [d for d in await deliveries(core) if d[4] == "pending"]
    assert {d[0] for d in pending} == {f"alert:{alert.id}:seen"}, "the queued round is dropped"
    assert {d[2] for d in pending} == {"9001", "9003"}, "the others hear it was seen"
    clock.advance(60)
    assert await core.resend_unacknowledged_alerts(RESEND) == 0
    [alert] = await alerts(core)
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.acknowledged_by == "telegram:9002" and alert.acknowledged_at == clock.now() - (
        timedelta(minutes=60)
    )
    assert await core.alerts() == []


async def test_ack_command_is_for_leads_only_in_private(core, clock):
    person = Person(core, "fin")
    await person.onboard()
    await person.say("I want to kill myself")
    [alert] = await alerts(core)
    [refused] = await person.command("ack", str(alert.id))
    assert refused.text == texts.ALERT_LEADS_ONLY
    [refused] = await person.press_id(f"g:{alert.id}")
    assert refused.text == texts.ALERT_LEADS_ONLY
    lead = lead_person(core)
    group = Address(Platform.TELEGRAM, "-100", LEAD.user_id, private=False, group_id="-100")
    [in_group] = await core.handle(Command(group, "ack", str(alert.id)))
    assert in_group.text == texts.ALERT_ACK_PRIVATE
    assert (await lead.command("ack", "soon"))[0].text == texts.ALERT_ACK_HOW
    assert (await lead.command("ack", "999"))[0].text == texts.ALERT_NOT_FOUND.format(number=999)
    assert (await alerts(core))[0].status == AlertStatus.NEW
    [done] = await lead.command("ack", f"#{alert.id}")
    assert done.text == texts.ALERT_SEEN.format(number=alert.id)
    [again] = await lead.command("ack", str(alert.id))
    assert again.text.startswith(f"Alert {alert.id} was already marked as seen")
    clock.advance(30)
    assert await core.resend_unacknowledged_alerts(RESEND) == 0
    assert [d for d in await deliveries(core) if d[4] == "pending"] == []


async def test_alerts_survive_a_restart_and_are_still_resent(database_url, clock):
    async with started(database_url, clock) as core:
        person = Person(core, "gus")
        await person.onboard()
        await person.say("I self-harm")
        [alert] = await alerts(core)
    clock.advance(15)
    async with started(database_url, clock) as restarted:
        assert await restarted.resend_unacknowledged_alerts(RESEND) == 1
        phone, discord = Phone(), Phone()
        worker = restarted.delivery_worker({Platform.TELEGRAM: phone, Platform.DISCORD: discord})
        while await worker.run_once():
            pass
        assert len(phone.to(LEAD.user_id)) == 2, "round 1, queued before the restart, and round 2"
        assert len(phone.to("9002")) == 1 and len(discord.to("9003")) == 1
        outcome, _ = await restarted.acknowledge_alert(alert.id, "command line")
        assert outcome == Acknowledged.DONE
        assert (await restarted.acknowledge_alert(alert.id, "again"))[0] == Acknowledged.ALREADY
        assert (await restarted.acknowledge_alert(999, "x"))[0] == Acknowledged.UNKNOWN
    clock.advance(15)
    async with started(database_url, clock) as again:
        assert await again.resend_unacknowledged_alerts(RESEND) == 0


async def test_alerts_go_ahead_of_everything_else_in_the_outbox(core):
    readers = [Person(core, f"r{n}", Platform.TELEGRAM) for n in range(3)]
    for reader in readers:
        await reader.onboard()
    async with uow(core)() as unit:
        ids = [
            (await unit.participants.find_by_identity(Platform.TELEGRAM, f"r{n}")).id
            for n in range(3)
        ]
    await core.queue_broadcast("news", ids, Reply("News!"), NORMAL)
    await Person(core, "hal").say("i wanna die")
    phone = Phone()
    await DeliveryWorker(uow(core), {Platform.TELEGRAM: phone}, batch=1).run_once()
    assert [who for who, _ in phone.received] == [LEAD.user_id]


async def test_forgetme_keeps_the_alert(core):
    person = Person(core, "ida")
    await person.onboard()
    await person.say("there is abuse at home")
    [before] = await alerts(core)
    await person.command("forgetme")
    assert "We still keep any message that made us worried" in person.text
    await person.press_id(person.last[0].buttons[0][0].id)
    assert person.text == texts.FORGETME_DONE
    async with uow(core)() as unit:
        assert await unit.participants.find_by_identity(Platform.TERMINAL, "ida") is None
    [after] = await alerts(core)
    assert after == before and after.participant_number is not None
    assert after.text == "there is abuse at home" and after.user_id == "ida"


async def test_without_leads_the_alert_is_still_stored_and_the_help_shown(database_url, clock):
    async with started(database_url, clock, SafeguardingPolicy()) as core:
        person = Person(core, "jo")
        await person.onboard()
        replies = await person.say("I feel suicidal")
        assert replies[0].text == SafeguardingPolicy().help_message().text
        assert len(await alerts(core)) == 1
        assert await deliveries(core) == []
        clock.advance(30)
        assert await core.resend_unacknowledged_alerts(RESEND) == 0


async def test_an_event_that_fails_still_helps_and_alerts(core, monkeypatch):
    person = Person(core, "kim")
    await person.onboard()

    async def broken(self, participant, text):
        raise RuntimeError("a bug in the dialog")

    monkeypatch.setattr("core.conversation.Conversation._text", broken)
    replies = await person.say("I want to end my life")
    assert [reply.text for reply in replies] == [
        POLICY.help_message().text,
        texts.SOMETHING_WRONG,
    ]
    [alert] = await alerts(core)
    assert alert.text == "I want to end my life" and alert.participant_number is not None
    assert [d[0] for d in await deliveries(core)] == [f"alert:{alert.id}:1"]
    assert await person.say("ok") == [Reply(texts.SOMETHING_WRONG)]
    assert len(await alerts(core)) == 1
