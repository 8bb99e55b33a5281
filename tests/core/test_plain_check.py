"""Adults' words are checked before the bot posts them: held drafts, send anyway, explanations.

The corpus is real-style council and NHS wording, each sentence with what the check must find.
"""

import pytest
from sqlalchemy import func, select

from core import texts
from core.messages import Address, ButtonPress, Command, JoinedGroup, Platform
from core.plain_check import parse_explanations
from core.plain_words import MAX_READING_AGE, check, lookup
from storage.models import AdultMessageRecord, DraftRecord, PollRecord
from tests.core.ballot_helpers import GROUP, ORGANISER, Clock, add_members, in_group, make_bot
from tests.core.chat import Person

# (text, glossary terms in order of first use, unknown acronyms, long sentences' word counts,
# too hard to read)
CORPUS = [
    (
        "Following the recent review, the ICB will be recommissioning the emotional wellbeing "
        "offer for children and young people from April.",
        ["ICB", "recommission"],
        [],
        [],
        True,
    ),
    (
        "We are pleased to announce that the tender for the new youth service has now closed.",
        ["tender"],
        [],
        [],
        False,
    ),
    (
        "Your feedback will inform the service specification and the KPIs the new provider "
        "must meet.",
        ["specification", "KPI", "provider"],
        [],
        [],
        True,
    ),
    (
        "The CRG has asked the CCG to look again at the transition protocol.",
        ["CRG", "CCG", "transition", "protocol"],
        [],
        [],
        False,
    ),
    (
        "As part of our statutory duties, the local authority must consult stakeholders before "
        "decommissioning any service.",
        ["statutory", "local authority", "consult", "stakeholder", "decommission"],
        [],
        [],
        True,
    ),
    (
        "Young people told us that waiting times for CAMHS were too long, so we have funded two "
        "more workers.",
        ["CAMHS"],
        [],
        [],
        True,
    ),
    (
        "Mobilisation of the new contract will commence on 1 April, subject to governance "
        "approval.",
        ["mobilisation", "contract", "governance"],
        [],
        [],
        True,
    ),
    (
        "The ICS has published its five-year strategy, which sets out our shared priorities for "
        "population health.",
        ["ICS", "strategy", "population health"],
        [],
        [],
        True,
    ),
    ("Co-production is at the heart of everything we do.", ["co-production"], [], [], True),
    (
        "The PCN will be piloting a new social prescribing model across three GP practices.",
        ["PCN", "pilot", "social prescribing", "GP"],
        [],
        [],
        True,
    ),
    (
        "Please submit any queries regarding the invitation to tender via the e-procurement "
        "portal by 12 noon.",
        ["invitation to tender", "procurement"],
        [],
        [],
        True,
    ),
    (
        "The outcomes framework measures whether children are safe, healthy and achieving.",
        ["outcomes framework"],
        [],
        [],
        False,
    ),
    (
        "We will share the minutes and actions from the meeting in due course.",
        ["in due course"],
        [],
        [],
        False,
    ),
    (
        "Our SEND local offer explains what help is available for children with an EHCP.",
        ["SEND", "local offer", "EHCP"],
        [],
        [],
        False,
    ),
    (
        "The JSNA identified a significant increase in demand for early help across the borough.",
        ["JSNA", "early help"],
        [],
        [],
        True,
    ),
    (
        "Applications from voluntary and community sector organisations are welcomed, "
        "particularly those with demonstrable experience of delivering evidence-based "
        "interventions for adolescents presenting with complex needs in the borough.",
        ["evidence base", "intervention", "adolescent"],
        [],
        [27],
        True,
    ),
    (
        "Safeguarding concerns should be escalated to the designated safeguarding lead without "
        "delay.",
        ["safeguarding", "escalate"],
        [],
        [],
        True,
    ),
    (
        "The panel will evaluate each bid against the published criteria and the weighting "
        "agreed by the board.",
        ["bid", "criteria", "weighting"],
        [],
        [],
        True,
    ),
    ("The BCF plan was agreed by the CYPSP in March.", [], ["BCF", "CYPSP"], [], False),
    ("Our LSCP and the YOT will meet the PCC next week.", ["YOT"], ["LSCP", "PCC"], [], False),
    (
        "Referrals to the MASH have gone up, so the SLA with the provider is being looked at.",
        ["referral", "MASH", "SLA", "provider"],
        [],
        [],
        False,
    ),
    (
        "The Health and Wellbeing Board (HWB) meets in public, and the HWB papers are online.",
        [],
        [],
        [],
        False,
    ),
    ("Please note that the drop-in sessions are subject to change.", [], [], [], False),
    ("The youth club will be open on Saturday from 10 until 2.", [], [], [], False),
    ("Thank you to everyone who came to the forum last week.", [], [], [], False),
]


@pytest.mark.parametrize(("text", "terms", "acronyms", "long", "hard"), CORPUS)
def test_council_and_nhs_sentences_get_the_findings_expected(text, terms, acronyms, long, hard):
    findings = check(text)
    assert [term.term for term in findings.terms] == terms
    assert [found.acronym for found in findings.unknown_acronyms] == acronyms
    assert [sentence.words for sentence in findings.long_sentences] == long
    assert findings.too_hard == hard, findings.reading_age
    assert findings.plain == (not (terms or acronyms or long or hard))


def test_the_corpus_is_big_and_mixed():
    assert len(CORPUS) >= 20
    assert sum(1 for *_, hard in CORPUS if hard) >= 5
    assert sum(1 for _, terms, acronyms, *_ in CORPUS if not terms and not acronyms) >= 3


@pytest.fixture
async def bot(uow_factory):
    bot = make_bot(uow_factory, Clock())
    await bot.handle(JoinedGroup(ORGANISER, "Youth Forum"))
    return bot


async def count(uow_factory, model) -> int:
    async with uow_factory() as uow:
        statement = select(func.count()).select_from(model)
        return int((await uow._session.execute(statement)).scalar_one())


async def test_plain_words_go_out_at_once_recorded_with_a_red_card(bot, uow_factory):
    [post] = await bot.handle(Command(ORGANISER, "announce", "Pizza night is on Friday at six."))
    assert post.text == "📣 Pizza night is on Friday at six." and not post.only_for_sender
    [row] = post.buttons
    assert [b.label for b in row] == [texts.BUTTON_RED_CARD]
    assert await count(uow_factory, AdultMessageRecord) == 1
    assert await count(uow_factory, DraftRecord) == 0


async def test_jargon_is_held_and_the_author_sees_what_was_found(bot, uow_factory):
    text = CORPUS[15][0] + " The BCF plan was agreed by the CYPSP in March."
    [held] = await bot.handle(Command(ORGANISER, "announce", text))
    assert held.only_for_sender
    lines = held.text.splitlines()
    assert lines[0] == texts.DRAFT_HELD
    assert texts.DRAFT_ACRONYM.format(word="BCF") in lines
    assert texts.DRAFT_ACRONYM.format(word="CYPSP") in lines
    assert (
        texts.DRAFT_TERM.format(word="interventions", explanation=lookup("intervention")) in lines
    )
    assert any(line.startswith("- a long sentence (27 words)") for line in lines)
    age = check(text).reading_age
    assert age > MAX_READING_AGE and texts.DRAFT_HARD.format(age=f"{age:g}") in lines
    assert texts.DRAFT_CHOICES.format(command="/announce") in held.text
    send, add = held.all_buttons()
    assert send.label == texts.BUTTON_SEND_ANYWAY and send.id.startswith("y:")
    assert add.label == texts.BUTTON_ADD_EXPLANATIONS and add.private_start.startswith("w")
    assert await count(uow_factory, AdultMessageRecord) == 0, "nothing went out"


async def test_send_anyway_posts_once_with_explanations_and_only_for_its_author(bot):
    [held] = await bot.handle(Command(ORGANISER, "announce", CORPUS[1][0]))
    send = held.all_buttons()[0].id
    [refused] = await bot.handle(ButtonPress(in_group("y1"), send))
    assert refused.text == texts.DRAFT_NOT_YOURS and refused.only_for_sender
    sent, post = await bot.handle(ButtonPress(ORGANISER, send))
    assert sent.text == texts.DRAFT_SENT and sent.replace, "the review becomes 'Posted.'"
    assert post.chat is None and not post.only_for_sender, "posted where it was pressed"
    assert post.text == (
        f"📣 {CORPUS[1][0]}\n\n{texts.WORDS_EXPLAINED}\ntender: {lookup('tender')}"
    )
    assert post.all_buttons()[-1].label == texts.BUTTON_RED_CARD
    [again] = await bot.handle(ButtonPress(ORGANISER, send))
    assert again.text == texts.DRAFT_GONE


async def test_typing_the_command_again_replaces_the_draft(bot, uow_factory):
    [first] = await bot.handle(Command(ORGANISER, "announce", CORPUS[1][0]))
    [post] = await bot.handle(Command(ORGANISER, "announce", "The new youth club opens soon."))
    assert post.text == "📣 The new youth club opens soon."
    [old] = await bot.handle(ButtonPress(ORGANISER, first.all_buttons()[0].id))
    assert old.text == texts.DRAFT_GONE
    [held] = await bot.handle(Command(ORGANISER, "announce", CORPUS[2][0]))
    [held_again] = await bot.handle(Command(ORGANISER, "announce", CORPUS[3][0]))
    assert await count(uow_factory, DraftRecord) == 1, "one draft per author and forum"
    assert held.all_buttons()[0].id != held_again.all_buttons()[0].id


async def test_explanations_added_in_private_join_the_glossary_and_go_with_the_post(bot):
    text = "The BCF plan was agreed by the CYPSP in March."
    [held] = await bot.handle(Command(ORGANISER, "announce", text))
    payload = held.all_buttons()[1].private_start
    stranger = Person(bot, "y1", Platform.TELEGRAM)
    await stranger.command("start", payload)
    assert stranger.text == texts.DRAFT_NOT_YOURS

    author = Person(bot, "org", Platform.TELEGRAM)
    await author.command("start", payload)
    [how] = author.last
    assert how.text_entry == texts.TEXT_BOX_WORDS
    assert how.text.endswith("The words: BCF, CYPSP") and "BCF = what it means" in how.text
    await author.say("BCF = money the NHS and the council share.\nCYPSP: the group that plans.")
    saved, review = author.last
    assert saved.text == texts.DRAFT_WORDS_SAVED
    assert '- "BCF": I\'ll add what it means: money the NHS and the council share.' in review.text
    [send] = review.all_buttons()
    assert send.label == texts.BUTTON_SEND

    await author.press_id(send.id)
    sent, post = author.last
    assert sent.text == texts.DRAFT_SENT
    assert post.chat == GROUP, "sent from the private chat, posted in the group"
    assert "BCF: money the NHS and the council share." in post.text
    assert "CYPSP: the group that plans." in post.text
    [meaning] = await bot.handle(Command(in_group("y1"), "whatis", "bcf"))
    assert meaning.text == "BCF: money the NHS and the council share."
    await author.say("hello again")
    assert author.text == texts.NO_QUESTION_NOW, "the draft no longer waits for words"


async def test_explanations_that_cannot_be_read_are_asked_for_again(bot):
    [held] = await bot.handle(Command(ORGANISER, "announce", "The BCF plan went to the CYPSP."))
    author = Person(bot, "org", Platform.TELEGRAM)
    await author.command("start", held.all_buttons()[1].private_start)
    await author.say("it is money")
    [bad] = author.last
    assert bad.text == texts.DRAFT_WORDS_BAD and bad.text_entry
    await author.say("BCF = money\nCYPSP = a group")
    assert author.last[0].text == texts.DRAFT_WORDS_SAVED


def test_explanations_are_read_line_by_line():
    assert parse_explanations("BCF = money\n\nCYPSP: a group\nYOT - youth team", ["BCF"]) == [
        ("BCF", "money"),
        ("CYPSP", "a group"),
        ("YOT", "youth team"),
    ]
    assert parse_explanations("Money the NHS and council share.", ["BCF"]) == [
        ("BCF", "Money the NHS and council share.")
    ]
    assert parse_explanations("money", ["BCF", "CYPSP"]) == []
    assert parse_explanations("BCF = money\nand more", ["BCF", "CYPSP"]) == []
    assert parse_explanations(f"BCF = {'x' * 501}", ["BCF"]) == []
    assert parse_explanations("a b c d e f = too many words", ["BCF"]) == []


async def test_polls_invitations_and_ballots_are_checked_too(bot, uow_factory):
    [held] = await bot.handle(Command(ORGANISER, "poll", "Who should win the tender? | A | B"))
    assert held.text.startswith(texts.DRAFT_HELD) and "/poll again" in held.text
    assert await count(uow_factory, PollRecord) == 0
    _, poll = await bot.handle(ButtonPress(ORGANISER, held.all_buttons()[0].id))
    assert poll.text.startswith("Quick poll: Who should win the tender?")
    assert f"tender: {lookup('tender')}" in poll.text
    assert [b.label for b in poll.all_buttons()] == ["A", "B", texts.BUTTON_RESULTS, "🟥 Red card"]

    await add_members(bot, uow_factory, ["m1"])
    argument = "Which provider should run CAMHS? | North | South"
    [held] = await bot.handle(Command(ORGANISER, "ballot", argument))
    assert "/ballot again" in held.text
    _, ballot = await bot.handle(ButtonPress(ORGANISER, held.all_buttons()[0].id))
    assert ballot.text.startswith("🗳 Secret vote: Which provider should run CAMHS?")
    assert [b.label for b in ballot.all_buttons()] == [texts.BUTTON_VOTE_PRIVATELY, "🟥 Red card"]

    async with uow_factory() as uow:
        kinds = (await uow._session.execute(select(AdultMessageRecord.kind))).scalars().all()
    assert sorted(kinds) == ["ballot", "poll"]


async def test_forum_terms_win_in_the_check_for_that_forum_only(bot):
    [held] = await bot.handle(Command(ORGANISER, "announce", "The SHAPE team visits on Monday."))
    author = Person(bot, "org", Platform.TELEGRAM)
    await author.command("start", held.all_buttons()[1].private_start)
    await author.say("Our health project for young people.")
    assert author.last[0].text == texts.DRAFT_WORDS_SAVED
    [again] = await bot.handle(Command(ORGANISER, "announce", "Meet the SHAPE team on Monday."))
    assert '- "SHAPE": I\'ll add what it means: Our health project' in again.text
    elsewhere = Address(
        Platform.TELEGRAM, "-300", "org", private=False, group_id="-300", organiser=True
    )
    [other] = await bot.handle(Command(elsewhere, "announce", "Meet the SHAPE team on Monday."))
    assert texts.DRAFT_ACRONYM.format(word="SHAPE") in other.text, "unknown in another forum"
