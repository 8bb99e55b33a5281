"""A forum's report for its organisers: a list of sections, each built from storage.

Each section maker reads what it needs through the unit of work and returns a ``Section`` of
parts (one poll, one ballot, one consultation), each made of paragraphs, tables and charts.
A feature adds its section by adding its maker to ``SECTIONS``. Consultation answers are
counted per age band with every group under 5 shown as "fewer than 5", and free text is
never copied into the report.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from core.ballot_admin import results_chart
from core.ballots import chart_values
from core.charts import bar_chart, number_text
from core.domain import Ballot, Forum, Poll, PollStatus
from core.my_data import BAND_WORDS
from core.ports import UnitOfWork, UnitOfWorkFactory
from core.results import SMALL_GROUP, BandSummary, shown_count, summarise_by_age_band
from dialogs.loader import cached_script

METHOD_NAMES = {
    "plurality": "one choice each",
    "approval": "as many choices as liked",
    "irv": "ranked, one winner (instant runoff)",
    "stv": "ranked, several winners (single transferable vote)",
}


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cells under column headings."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart as PNG bytes, with words saying what it shows."""

    description: str
    png: bytes


Block = str | Table | Chart
"""A paragraph, a table or a chart."""


@dataclass(frozen=True, slots=True)
class Part:
    """One thing in a section: one poll, one ballot, one consultation."""

    heading: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Section:
    """One heading of the report and its parts; ``empty`` is said when there are none."""

    title: str
    parts: list[Part]
    empty: str


@dataclass(frozen=True, slots=True)
class Report:
    """The whole report of one forum."""

    forum: Forum
    made_at: datetime
    sections: list[Section]


SectionMaker = Callable[[UnitOfWork, Forum], Awaitable[Section]]


class UnknownForum(LookupError):
    """No forum has that number, group id or title."""


async def quick_polls(uow: UnitOfWork, forum: Forum) -> Section:
    """Every quick poll with its totals and a chart."""
    parts = []
    for poll in await uow.polls.of_forum(forum.id):
        counts = await uow.polls.counts(poll.id)
        parts.append(await _poll_part(poll, [counts.get(i, 0) for i in range(len(poll.options))]))
    return Section("Quick polls", parts, "No quick polls yet.")


async def _poll_part(poll: Poll, votes: list[int]) -> Part:
    state = "still open" if poll.status == PollStatus.OPEN else "closed"
    total = sum(votes)
    blocks: list[Block] = [f"{total} vote{'s' if total != 1 else ''}, {state}."]
    if total:
        top = max(votes)
        winners = {index for index, count in enumerate(votes) if count == top}
        png = await asyncio.to_thread(
            bar_chart, poll.question, poll.options, [float(v) for v in votes], winners
        )
        blocks.append(Chart(f"Votes for each option of: {poll.question}", png))
    rows = tuple((option, str(count)) for option, count in zip(poll.options, votes, strict=True))
    blocks.append(Table(("Option", "Votes"), rows))
    return Part(poll.question, blocks)


async def secret_ballots(uow: UnitOfWork, forum: Forum) -> Section:
    """Every closed ballot: how it was counted, turnout, results and a chart."""
    parts = [await _ballot_part(ballot) for ballot in await uow.ballots.closed_of_forum(forum.id)]
    return Section("Secret ballots", parts, "No secret ballots have closed yet.")


async def _ballot_part(ballot: Ballot) -> Part:
    record = ballot.result or {}
    voted, roll = int(record.get("voted", 0)), int(record.get("roll", 0))
    blocks: list[Block] = [
        f"Voting: {METHOD_NAMES.get(ballot.method, ballot.method)}; "
        f"{ballot.seats} to choose. {voted} of {roll} on the roll voted.",
    ]
    values = chart_values(ballot)
    if values is None:
        blocks.append(
            f"Results not shown: {int(record.get('ballots', 0))} votes, "
            f"and at least {ballot.min_turnout} were needed."
        )
        return Part(ballot.question, blocks)
    labels, totals, winners = values
    chosen = ", ".join(labels[index] for index in sorted(winners)) or "nobody"
    blocks.append(f"Chosen: {chosen}.")
    png = await results_chart(ballot)
    if png is not None:
        blocks.append(Chart(f"Final count for each option of: {ballot.question}", png))
    rows = tuple(
        (label, number_text(total), "yes" if index in winners else "")
        for index, (label, total) in enumerate(zip(labels, totals, strict=True))
    )
    blocks.append(Table(("Option", "Final count", "Chosen"), rows))
    return Part(ballot.question, blocks)


async def consultations(uow: UnitOfWork, forum: Forum) -> Section:
    """What the forum's members answered, counted per age band, small groups hidden."""
    parts = []
    for consultation in await uow.consultations.list_all():
        rows = await uow.answers.export(consultation.id, forum.id)
        if not rows:
            continue
        people = len({row.respondent for row in rows})
        summaries = summarise_by_age_band(rows, cached_script(consultation.script_yaml))
        blocks: list[Block] = [
            f"People from this forum who answered: {shown_count(people)}. "
            f"Any group of fewer than {SMALL_GROUP} people is shown as "
            f'"fewer than {SMALL_GROUP}". Answers in their own words are in the export only.'
        ]
        blocks += _band_tables(summaries)
        parts.append(Part(consultation.title, blocks))
    return Section("Consultations", parts, "Nobody from this forum has answered yet.")


def _band_tables(summaries: list[BandSummary]) -> list[Block]:
    blocks: list[Block] = []
    questions = list(dict.fromkeys((s.question_id, s.question) for s in summaries))
    for question_id, question in questions:
        bands = [s for s in summaries if s.question_id == question_id]
        labels = list(bands[0].answers)
        columns = ("Answer", *(_band_name(b.age_band) for b in bands))
        people = ("People", *(str(b.people) for b in bands))
        rows = [people, *((label, *(str(b.answers[label]) for b in bands)) for label in labels)]
        blocks += [question, Table(columns, tuple(rows))]
    return blocks


def _band_name(band: str) -> str:
    return BAND_WORDS.get(band, band).capitalize() if band else "No age given"


SECTIONS: tuple[SectionMaker, ...] = (quick_polls, secret_ballots, consultations)


async def forum_report(
    uow_factory: UnitOfWorkFactory,
    reference: str,
    now: datetime,
    sections: tuple[SectionMaker, ...] = SECTIONS,
) -> Report:
    """The report of the forum with this number, group id or title; UnknownForum if none."""
    async with uow_factory() as uow:
        forum = await uow.forums.lookup(reference)
        if forum is None:
            raise UnknownForum(reference)
        return Report(forum, now, [await make(uow, forum) for make in sections])
