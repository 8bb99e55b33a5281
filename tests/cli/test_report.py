"""`yousaid report FORUM`: one HTML page, checked in headless Chromium."""

import asyncio
import io
import os
import re
import shutil

import pytest
from PIL import Image

from core.domain import AgeBand
from core.messages import ButtonPress, Command
from tests.cli.command_line import yousaid
from tests.core.ballot_helpers import ORGANISER, Clock, add_members, in_group, make_bot, vote
from tests.core.chat import Person
from tests.core.test_forum import option_ids
from tests.dialogs.sample import SAMPLE

OWN_WORDS = "Nobody listens to us at the bus station"


async def a_forum_with_polls_ballots_and_answers(uow_factory):
    clock = Clock()
    bot = make_bot(uow_factory, clock)
    await bot.add_consultation(SAMPLE, "sample.yaml")
    members = await add_members(bot, uow_factory, [f"m{n}" for n in range(9)])
    async with uow_factory() as uow:
        for person in members[7:]:
            found = await uow.participants.find_by_identity(
                person.address.platform, person.address.user_id
            )
            found.age_band = AgeBand.AGE_16_17
            await uow.participants.save(found)
        await uow.commit()

    [poll] = await bot.handle(Command(ORGANISER, "poll", "Best day to meet? | Monday | Friday"))
    monday, friday = option_ids(poll)
    for number, person in enumerate(members):
        await bot.handle(
            ButtonPress(in_group(person.address.user_id), monday if number < 6 else friday)
        )

    [announcement] = await bot.handle(Command(ORGANISER, "ballot", "Who should chair? | Sam | Jo"))
    payload = announcement.all_buttons()[0].private_start
    for number, person in enumerate(members):
        await vote(person, payload, ["1" if number < 5 else "2"])
    await bot.handle(Command(ORGANISER, "endballot"))

    outsider = Person(bot, "not-a-member", members[0].address.platform)
    await outsider.onboard()
    for person in [*members, outsider]:
        await person.command("consult", "sample")
        await person.press("1" if person in members[:6] or person is outsider else "2")
    await members[0].say(OWN_WORDS)


async def test_report_lists_polls_ballots_and_answers_by_age_band(
    tmp_path, database_url, uow_factory
):
    await a_forum_with_polls_ballots_and_answers(uow_factory)
    page = tmp_path / "report.html"
    done = yousaid(
        "report",
        "youth forum",
        "--output",
        str(page),
        cwd=tmp_path,
        YOUSAID_DATABASE_URL=database_url,
    )
    assert done.returncode == 0, done.stderr
    html = page.read_text()
    for heading in ("Quick polls", "Secret ballots", "Consultations"):
        assert f"<h2>{heading}</h2>" in html
    assert "<h3>Best day to meet?</h3>" in html and "9 votes, still open." in html
    assert "<h3>Who should chair?</h3>" in html and "Chosen: Sam." in html
    assert "9 of 9 on the roll voted." in html
    assert "People from this forum who answered: 9." in html, "the outsider is not counted"
    assert "<td>16 or 17</td>" not in html and "<th>16 or 17</th>" in html
    cells = re.findall(r"<td>([^<]*)</td>", html.split("Where were you?")[1])
    assert cells[:3] == ["People", "7", "fewer than 5"]
    assert OWN_WORDS not in html
    assert len(re.findall(r'<img alt="[^"]+" src="data:image/png;base64,', html)) == 2
    assert "http://" not in html and "https://" not in html, "nothing is fetched"


def test_report_for_an_unknown_forum_says_so(tmp_path):
    done = yousaid(
        "report",
        "Nowhere",
        cwd=tmp_path,
        YOUSAID_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/y.db",
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "No forum has the number, group id or title 'Nowhere'."


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "Chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_report_renders_in_headless_chromium(tmp_path, database_url, uow_factory):
    browser = chromium()
    await a_forum_with_polls_ballots_and_answers(uow_factory)
    page = tmp_path / "report.html"
    done = yousaid(
        "report", "1", "--output", str(page), cwd=tmp_path, YOUSAID_DATABASE_URL=database_url
    )
    assert done.returncode == 0, done.stderr
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = await run(browser, *flags, "--dump-dom", page.as_uri())
    for heading in ("Quick polls", "Secret ballots", "Consultations"):
        assert f"<h2>{heading}</h2>" in dom
    shot = tmp_path / "report.png"
    await run(browser, *flags, f"--screenshot={shot}", "--window-size=1000,1400", page.as_uri())
    image = Image.open(io.BytesIO(shot.read_bytes())).convert("RGB")
    assert image.size == (1000, 1400)
    colours = image.getcolors(maxcolors=1_000_000)
    assert len(colours) > 50, "text and charts are drawn, not a blank page"
    green = sum(count for count, (r, g, b) in colours if g > r + 40 and g > b + 40)
    assert green > 500, "the chart's green bars and heading rules show"


async def run(*command: str) -> str:
    process = await asyncio.create_subprocess_exec(
        *command,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        stdin=asyncio.subprocess.DEVNULL,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode()[-2000:]
    return out.decode()
