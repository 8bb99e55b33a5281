"""yousaid glossary import/export and yousaid redcards export, on SQLite."""

import csv
import io

from bots.wiring import open_core
from core import texts
from core.messages import Address, ButtonPress, Command, JoinedGroup, Platform, Quoted, Text
from core.plain_words import builtin
from tests.cli.command_line import yousaid

GROUP = "-100"
ORGANISER = Address(Platform.TELEGRAM, GROUP, "900", private=False, group_id=GROUP, organiser=True)
NEWS = "The tender and the procurement both close in May."


def young(user: str) -> Address:
    return Address(Platform.TELEGRAM, GROUP, user, private=False, group_id=GROUP)


async def a_forum_with_red_cards(url: str) -> None:
    """A forum whose organiser's news got two red cards; one was answered."""
    async with open_core(url, with_bundled=False) as core:
        await core.handle(JoinedGroup(ORGANISER, "Riverside Youth Forum"))
        [held] = await core.handle(Command(ORGANISER, "announce", NEWS))
        [_, post] = await core.handle(ButtonPress(ORGANISER, held.all_buttons()[0].id))
        quoted = Quoted("7", by_bot=True, text=post.text, button_ids=(post.all_buttons()[0].id,))
        raisers = (("raiser-a", "tender"), ("raiser-b", "tender"), ("raiser-a", "procurement"))
        for user, word in raisers:
            [thanks] = await core.handle(Command(young(user), "redcard", word, quoted))
            assert thanks.text.startswith("Thanks!")
        author = Address(Platform.TELEGRAM, "900", "900")
        thank_you, *_ = await core.handle(Text(author, "A tender is a bid to run the club."))
        assert thank_you.text == texts.REDCARD_THANK_YOU.format(word="tender")


def rows(output: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(output)))


async def test_a_forums_glossary_is_imported_and_exported_as_csv(tmp_path):
    await a_forum_with_red_cards(f"sqlite+aiosqlite:///{tmp_path}/yousaid.db")
    terms = tmp_path / "terms.csv"
    terms.write_text(
        "term,kind,explanation\n"
        "SHAPE,acronym,Our youth club's health project.\n"
        "hub,word,The youth centre on King Street.\n"
        'synergy,word,"Notwithstanding the aforementioned considerations, organisational '
        'synergies necessitate comprehensive documentation."\n',
        encoding="utf-8",
    )
    done = yousaid("glossary", "import", str(terms), "--forum", "telegram:-100", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Added 3 words to the glossary of forum 1."
    assert "'synergy': hard to read" in done.stderr and "'hub'" not in done.stderr

    exported = yousaid("glossary", "export", "--forum", "1", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert rows(exported.stdout)[0] == ["term", "kind", "explanation"]
    found = {row[0]: row[1:] for row in rows(exported.stdout)[1:]}
    assert found["SHAPE"] == ["acronym", "Our youth club's health project."]
    assert found["hub"] == ["word", "The youth centre on King Street."]
    assert found["tender"] == ["word", "A tender is a bid to run the club."], "a red card's answer"
    assert "procurement" not in found, "not answered yet"

    again = tmp_path / "again.csv"
    written = yousaid("glossary", "export", "--forum=1", "--output", str(again), cwd=tmp_path)
    assert written.returncode == 0 and again.read_text(encoding="utf-8") == exported.stdout
    assert yousaid("glossary", "import", str(again), "--forum", "1", cwd=tmp_path).returncode == 0
    assert yousaid("glossary", "export", "--forum", "1", cwd=tmp_path).stdout == exported.stdout

    built_in = rows(yousaid("glossary", "export", cwd=tmp_path).stdout)
    assert len(built_in) - 1 == len(builtin()) >= 150
    assert built_in[[r[0] for r in built_in].index("CAMHS")][:2] == ["CAMHS", "acronym"]


async def test_glossary_commands_refuse_bad_files_and_unknown_forums(tmp_path):
    await a_forum_with_red_cards(f"sqlite+aiosqlite:///{tmp_path}/yousaid.db")
    bad = tmp_path / "bad.csv"
    bad.write_text("term,kind,explanation\nhub,word,\n", encoding="utf-8")
    refused = yousaid("glossary", "import", str(bad), "--forum", "1", cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"{bad}:2: each row needs a term, a kind and an explanation"
    good = tmp_path / "good.csv"
    good.write_text("term,kind,explanation\nhub,word,The youth centre.\n", encoding="utf-8")
    for forum in ("7", "discord:-100", "nonsense"):
        unknown = yousaid("glossary", "import", str(good), "--forum", forum, cwd=tmp_path)
        assert unknown.returncode == 1 and f"There is no forum '{forum}'." in unknown.stderr
    missing = yousaid("glossary", "import", str(tmp_path / "nope.csv"), "--forum=1", cwd=tmp_path)
    assert missing.returncode == 1 and "cannot read" in missing.stderr


async def test_red_card_statistics_are_exported_per_forum_author_and_card(tmp_path):
    await a_forum_with_red_cards(f"sqlite+aiosqlite:///{tmp_path}/yousaid.db")
    summary = yousaid("redcards", "export", cwd=tmp_path)
    assert summary.returncode == 0, summary.stderr
    header, forum, author = rows(summary.stdout)
    assert header[:7] == [
        "forum",
        "forum_title",
        "author",
        "cards_raised",
        "words_carded",
        "explained",
        "waiting",
    ]
    assert forum[:7] == ["telegram:-100", "Riverside Youth Forum", "all", "3", "2", "1", "1"]
    assert forum[-1] == "tender (2); procurement (1)"
    assert author[2] == "telegram:900" and author[3:7] == forum[3:7]

    per_card = rows(yousaid("redcards", "export", "--cards", "--forum", "1", cwd=tmp_path).stdout)
    assert [row[4] for row in per_card[1:]] == ["tender", "procurement"]
    assert per_card[1][5] == "2" and per_card[1][-1] == "A tender is a bid to run the club."
    assert "raiser" not in summary.stdout and "raiser" not in str(per_card), "never who raised it"
