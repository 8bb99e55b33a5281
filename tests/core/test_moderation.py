"""Checking the posts in a forum's group: turned on by organisers, announced to everyone, flagged
posts reported in private to that forum's organisers only, the poster followed up in private,
and the post hidden only where the forum chose that."""

from datetime import UTC, datetime

import pytest

from core import texts
from core.delivery import SAFEGUARDING_FIRST
from core.messages import Address, Command, JoinedGroup, Platform, Reply, Text
from core.safeguarding import Lead, SafeguardingPolicy
from tests.core.privacy_helpers import Clock, started
from tests.storage_scan import all_rows, holding

LEAD = Lead(Platform.TELEGRAM, "9001")
POLICY = SafeguardingPolicy(leads=(LEAD,))
RIVERSIDE, HILLTOP, QUIET = "-100961", "-100962", "-100963"


def in_group(group, user, organiser=False):
    return Address(
        Platform.TELEGRAM, group, user, private=False, group_id=group, organiser=organiser
    )


@pytest.fixture
async def running(database_url):
    async with started(database_url, Clock(), safeguarding=POLICY) as (core, engine):
        for group, title in ((RIVERSIDE, "Riverside"), (HILLTOP, "Hilltop"), (QUIET, "Quiet")):
            await core.handle(JoinedGroup(in_group(group, "1"), title))
        yield core, engine


async def sent(engine):
    """(broadcast, user id, text, priority) of every queued message."""
    rows = await all_rows(engine)
    users = {row["participant_id"]: row["platform_user_id"] for row in rows["platform_identities"]}
    return sorted(
        (row["broadcast"], users[row["participant_id"]], row["payload"]["text"], row["priority"])
        for row in rows["deliveries"]
    )


async def test_organisers_turn_checking_on_and_everyone_in_the_group_is_told(running):
    core, engine = running
    organiser = in_group(RIVERSIDE, "501", organiser=True)
    [how] = await core.handle(Command(organiser, "moderate"))
    assert how == Reply(
        texts.MODERATE_HOW.format(state=texts.MODERATE_STATE_OFF), only_for_sender=True
    )
    announcement, note = await core.handle(Command(organiser, "moderate", "on"))
    assert announcement == Reply(texts.MODERATE_ON), "in the group, for everyone"
    assert note == Reply(texts.MODERATE_REPORTS_TO_YOU, only_for_sender=True)
    [how] = await core.handle(Command(organiser, "moderate", ""))
    assert texts.MODERATE_STATE_ON in how.text
    [announcement, _] = await core.handle(Command(organiser, "moderate", "HIDE"))
    assert announcement.text == texts.MODERATE_HIDE
    [off] = await core.handle(Command(organiser, "moderate", "off"))
    assert off == Reply(texts.MODERATE_OFF)
    assert (await all_rows(engine))["forum_moderation"] == []
    assert (await all_rows(engine))["forum_moderators"] == [], "the report list goes too"


async def test_flagged_posts_are_reported_to_their_own_forum_s_organisers_only(running):
    core, engine = running
    await core.handle(Command(in_group(RIVERSIDE, "501", organiser=True), "moderate", "on"))
    await core.handle(Command(in_group(HILLTOP, "502", organiser=True), "moderate", "hide"))

    assert await core.handle(Text(in_group(RIVERSIDE, "601"), "see you at the park")) == []
    assert await core.alerts() == [] and await sent(engine) == []

    assert await core.handle(Text(in_group(RIVERSIDE, "601"), "my dad hits me")) == []
    [alert] = await core.alerts()
    assert alert.posted_in == "Riverside" and alert.user_id == "601"
    assert alert.participant_number is None, "they never started with the bot"
    queued = await sent(engine)
    assert [(b, who) for b, who, _, _ in queued] == [
        (f"alert:{alert.id}:1", LEAD.user_id),
        (f"post:{alert.id}:help", "601"),
        (f"post:{alert.id}:report", "501"),
    ], "nobody from Hilltop gets Riverside's post"
    assert all(priority == SAFEGUARDING_FIRST for *_, priority in queued)
    texts_by_broadcast = {b: text for b, _, text, _ in queued}
    report = texts_by_broadcast[f"post:{alert.id}:report"]
    assert '"Riverside"' in report and "my dad hits me" in report and texts.POST_LEFT in report
    assert f"alert {alert.id}" in report
    help_text = texts_by_broadcast[f"post:{alert.id}:help"]
    assert help_text.startswith(texts.POST_FOLLOW_UP) and "Childline" in help_text
    assert texts.SAFEGUARDING_MAY_READ in help_text
    assert '"Riverside"' in texts_by_broadcast[f"alert:{alert.id}:1"]

    [hide] = await core.handle(Text(in_group(HILLTOP, "602"), "I want to die"))
    assert hide == Reply("", hide_post=True), "Hilltop chose to hide flagged posts"
    reports = [(who, text) for b, who, text, _ in await sent(engine) if b.endswith(":report")]
    assert [who for who, _ in reports] == ["501", "502"]
    assert texts.POST_HIDDEN in reports[1][1] and "my dad" not in reports[1][1]


async def test_groups_that_did_not_turn_checking_on_are_not_screened(running):
    core, engine = running
    assert await core.handle(Text(in_group(QUIET, "603"), "I want to kill myself")) == []
    organiser = in_group(QUIET, "503", organiser=True)
    await core.handle(Command(organiser, "moderate", "on"))
    await core.handle(Command(organiser, "moderate", "off"))
    assert await core.handle(Text(in_group(QUIET, "603"), "I want to kill myself")) == []
    assert await core.alerts() == [] and await sent(engine) == []


async def test_seen_alerts_are_deleted_with_their_copies_under_the_lead_s_rules(running):
    core, engine = running
    await core.handle(Command(in_group(RIVERSIDE, "501", organiser=True), "moderate", "on"))
    await core.handle(Text(in_group(RIVERSIDE, "601"), "my dad hits me"))
    await core.handle(Text(in_group(RIVERSIDE, "602"), "I want to die"))
    seen, unseen = await core.alerts()
    await core.acknowledge_alert(seen.id, "command line")
    assert await core.delete_seen_alerts(datetime(2026, 12, 1, 9, tzinfo=UTC)) == 0, "too new"
    assert await core.delete_seen_alerts(datetime(2027, 1, 1, tzinfo=UTC)) == 1
    assert [alert.id for alert in await core.alerts(include_acknowledged=True)] == [unseen.id]
    left = {broadcast for broadcast, *_ in await sent(engine)}
    assert not any(b.startswith((f"alert:{seen.id}:", f"post:{seen.id}:")) for b in left)
    assert f"post:{unseen.id}:report" in left
    assert holding(await all_rows(engine), ["my dad hits me"]) == []
