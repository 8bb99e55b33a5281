"""Privacy, roles and group moderation through the real python-telegram-bot Application."""

import pytest

from core import texts
from core.commands import ORGANISER_ONLY
from tests.storage_scan import all_rows_at, holding, messages_stopped, without
from tests.telegram.conftest import RunningBot
from tests.telegram.fake_bot_api import BOT_ID, BOT_USERNAME

GROUP = -100600
ADMIN = 900
LEAD = 9001
ARGUMENTS = {"poll": "Pizza? | Yes | No", "invite": "ward_time", "ballot": "Chair? | Sam | Jo"}


async def sent_in(api, update_id):
    await api.wait_until_fetched(update_id)


async def test_a_13_to_15_year_old_is_told_kindly_and_nothing_is_kept(bot):
    person = bot.member(3101)
    await person.say("/start")
    await person.press("Yes")
    reply = await person.press("13 to 15")
    assert reply.text == f"{texts.TOO_YOUNG.format(age=16)}\n\n{texts.OTHER_WAY}"
    assert holding(await all_rows_at(bot.database_url), ["3101"]) == []


async def test_no_names_or_usernames_are_ever_stored(bot):
    api = bot.api
    named = {"id": 3102, "is_bot": False, "first_name": "Zelda", "last_name": "Quimby"}
    named["username"] = "zquimby"
    await sent_in(api, api.message(3102, 3102, "/start", **{"from": named}))
    person = bot.member(3102)
    await person.press("Yes")
    await person.press("16 or 17")
    await person.press("big news")
    await sent_in(api, api.message(3102, 3102, "hello there", **{"from": named}))
    await sent_in(api, api.bot_added(GROUP, 3102, "Riverside Youth Forum"))
    rows = await all_rows_at(bot.database_url)
    assert holding(rows, ["Zelda", "Quimby", "zquimby", "User3102"]) == []
    assert holding(rows, ["3102"]), "the platform id is kept, only to reach them"


async def test_a_member_calling_each_organiser_command_is_refused_and_nothing_changes(
    bot_on_each_database,
):
    bot = bot_on_each_database
    api = bot.api
    await sent_in(api, api.bot_added(GROUP, ADMIN, "Riverside Youth Forum"))
    for count, name in enumerate(sorted(ORGANISER_ONLY), start=1):
        before = await all_rows_at(bot.database_url)
        command = f"/{name}@{BOT_USERNAME} {ARGUMENTS.get(name, 'on')}"
        await sent_in(api, api.message(GROUP, 31, command))
        assert api.last(GROUP).text == texts.ORGANISERS_ONLY, name
        after = await all_rows_at(bot.database_url)
        unchanged = ("audit_log", "handled_events")
        assert without(after, *unchanged) == without(before, *unchanged), name
        assert len(after["audit_log"]) == count
    assert [row["action"] for row in after["audit_log"]] == sorted(ORGANISER_ONLY)
    assert len(api.messages[GROUP]) == 1 + len(ORGANISER_ONLY), "hello, then one refusal each"


async def test_forgetme_leaves_nothing_of_the_person(bot_on_each_database):
    bot = bot_on_each_database
    person = bot.member(3103)
    await person.onboard()
    await person.press("Your time on the ward")
    await person.answer_all()
    rows = await all_rows_at(bot.database_url)
    assert holding(rows, ["More things to do, please"]), "typed answers were kept"
    await person.say("/forgetme")
    assert person.last.text == texts.FORGETME_ASK
    await person.press("Yes, delete it all")
    assert person.last.text == texts.FORGETME_DONE
    rows = await all_rows_at(bot.database_url)
    assert holding(rows, ["3103", "More things to do, please"]) == []
    assert sum(row["answered"] for row in rows["answer_tallies"]) > 0, "counts stay"


@pytest.fixture
async def moderated(api, tmp_path, monkeypatch):
    monkeypatch.setenv("YOUSAID_SAFEGUARDING_LEADS", f"telegram:{LEAD}")
    running = await RunningBot(api, f"sqlite+aiosqlite:///{tmp_path}/m.db").start()
    api.members[(GROUP, ADMIN)] = "administrator"
    await sent_in(api, api.bot_added(GROUP, ADMIN, "Riverside Youth Forum"))
    yield running
    await running.stop()


@pytest.mark.parametrize("setting", ["on", "hide"])
async def test_a_disclosure_in_a_checked_group_is_reported_followed_up_and_hidden_if_chosen(
    moderated, setting
):
    api = moderated.api
    api.members[(GROUP, BOT_ID)] = "administrator"  # allowed to delete messages
    await sent_in(api, api.message(GROUP, ADMIN, f"/moderate {setting}"))
    announcement = texts.MODERATE_HIDE if setting == "hide" else texts.MODERATE_ON
    assert announcement in api.texts(GROUP)
    await sent_in(api, api.message(GROUP, 3104, "see you all at the park"))
    post = api.message(GROUP, 3104, "I want to die")
    await sent_in(api, post)
    posted = api.pushed[post]["message"]["message_id"]
    await api.wait_for(lambda: api.messages[ADMIN] and api.messages[3104] and api.messages[LEAD])
    [report] = api.texts(ADMIN)
    assert '"Riverside Youth Forum"' in report and "I want to die" in report
    [follow_up] = api.texts(3104)
    assert follow_up.startswith(texts.POST_FOLLOW_UP) and "Childline" in follow_up
    [alert] = api.texts(LEAD)
    assert 'in a post in the group "Riverside Youth Forum"' in alert
    if setting == "hide":
        assert api.deleted == [(GROUP, posted)] and texts.POST_HIDDEN in report
    else:
        assert api.deleted == [] and texts.POST_LEFT in report


async def test_without_delete_rights_the_post_stays_and_is_still_reported(moderated):
    api = moderated.api
    await sent_in(api, api.message(GROUP, ADMIN, "/moderate hide"))
    await sent_in(api, api.message(GROUP, 3105, "they keep bullying me"))
    await api.wait_for(lambda: api.messages[ADMIN] and api.messages[LEAD])
    assert api.deleted == []
    assert [c for c, _ in api.calls].count("deleteMessage") == 1, "tried once, then reported"


async def until_typed_question(person):
    """Answer with the first option until the bot waits for typed words."""
    for _ in range(20):
        labels = [b["text"] for b in person.last.buttons()]
        if labels and set(labels) <= {"⏸ Pause", "Skip"}:
            return
        await person.answer_current()
    raise AssertionError(f"no typed question: {person.last.text}")


async def test_a_worrying_typed_answer_gets_help_at_once_and_the_lead_an_alert(moderated):
    api, core = moderated.api, moderated.core
    person = moderated.member(3106)
    await person.onboard()
    await person.press("Your time on the ward")
    await until_typed_question(person)
    before = len(person.messages)
    await person.say("I'm being bullied on the ward")
    [reply] = person.messages[before:]  # the help, and the next question, in one message
    help_now, question = reply.text.split("\n\nQuestion ")
    assert help_now.startswith(texts.SAFEGUARDING_HELP) and "?" not in help_now
    assert help_now.endswith(texts.SAFEGUARDING_MAY_READ)
    assert question.startswith(("7 of", "8 of")), "the dialog carries on"
    await api.wait_for(lambda: api.messages[LEAD])
    [alert] = api.messages[LEAD]
    assert "I'm being bullied on the ward" in alert.text and "user id 3106" in alert.text
    assert [b["callback_data"] for b in alert.buttons()] == ["g:1"]
    await person.say("The food was fine")
    assert len(await core.alerts()) == 1, "a plain answer raises none"
    assert len(api.messages[LEAD]) == 1


async def test_stop_is_kept_and_start_undoes_it(bot_on_each_database):
    bot = bot_on_each_database
    person = bot.member(3104)
    await person.onboard()
    await person.say("/stop")
    assert person.last.text == texts.STOPPED
    assert messages_stopped(await all_rows_at(bot.database_url), "3104")
    await person.say("/start")
    assert not messages_stopped(await all_rows_at(bot.database_url), "3104")
