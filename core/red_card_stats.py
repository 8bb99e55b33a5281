"""Red-card statistics, per forum and per author: cards raised, most-carded words, time to explain.

Pure functions over ``CardReport`` rows (``uow.red_cards.report``): ``/redcards`` shows them to
a forum's organisers, and ``yousaid redcards export`` writes them as CSV.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core import texts
from core.domain import CardReport, CardStatus, RedCard

MOST_CARDED = 5
"""How many of the most red-carded words are shown."""

SUMMARY_COLUMNS = (
    "forum",
    "forum_title",
    "author",
    "cards_raised",
    "words_carded",
    "explained",
    "waiting",
    "average_hours_to_explain",
    "median_hours_to_explain",
    "most_carded",
)
CARD_COLUMNS = (
    "card",
    "forum",
    "author",
    "kind",
    "word",
    "raised",
    "first_raised_at",
    "explained_at",
    "hours_to_explain",
    "reminders",
    "explanation",
)


@dataclass(frozen=True, slots=True)
class CardStats:
    """What a set of red cards adds up to."""

    raised: int
    """How many times young people raised a card (each person once per word)."""
    cards: int
    """How many different words (or whole messages) were carded."""
    explained: int
    waiting: tuple[RedCard, ...]
    most_carded: tuple[tuple[str, int], ...]
    """The most red-carded words with how often, most first ("" is a whole message)."""
    average_to_explain: timedelta | None
    median_to_explain: timedelta | None


def card_stats(reports: Iterable[CardReport]) -> CardStats:
    """Add up a set of cards."""
    cards = [report.card for report in reports]
    times = [
        card.explained_at - card.raised_at
        for card in cards
        if card.status == CardStatus.EXPLAINED and card.explained_at is not None
    ]
    by_word: Counter[str] = Counter()
    for card in cards:
        by_word[card.word] += card.raises
    most = sorted(by_word.items(), key=lambda item: (-item[1], item[0].casefold()))
    return CardStats(
        raised=sum(card.raises for card in cards),
        cards=len(cards),
        explained=len(times),
        waiting=tuple(card for card in cards if card.status == CardStatus.WAITING),
        most_carded=tuple(most[:MOST_CARDED]),
        average_to_explain=sum(times, timedelta()) / len(times) if times else None,
        median_to_explain=timedelta(seconds=statistics.median(t.total_seconds() for t in times))
        if times
        else None,
    )


def duration_words(length: timedelta) -> str:
    """A length of time as people say it: "25 minutes", "3 hours", "2 days"."""
    minutes = max(1, round(length.total_seconds() / 60))
    if minutes < 60:
        count, unit = minutes, "minutes"
    elif minutes < 48 * 60:
        count, unit = round(minutes / 60), "hours"
    else:
        count, unit = round(minutes / (24 * 60)), "days"
    if count == 1:
        return texts.DURATION_ONE[unit]
    return {
        "minutes": texts.DURATION_MINUTES,
        "hours": texts.DURATION_HOURS,
        "days": texts.DURATION_DAYS,
    }[unit].format(count=count)


def stats_text(forum: str, stats: CardStats, own: CardStats | None, now: datetime) -> str:
    """What ``/redcards`` shows a forum's organisers."""
    lines = [
        texts.REDCARDS_HEADING.format(forum=forum),
        texts.REDCARDS_TOTALS.format(
            raised=stats.raised,
            cards=stats.cards,
            explained=stats.explained,
            waiting=len(stats.waiting),
        ),
        texts.REDCARDS_MOST.format(
            words=", ".join(f"{_word(word)} ({count})" for word, count in stats.most_carded)
        ),
    ]
    if stats.average_to_explain is not None:
        lines.append(texts.REDCARDS_TIME.format(time=duration_words(stats.average_to_explain)))
    if stats.waiting:
        lines.append(texts.REDCARDS_WAITING)
        lines += [
            texts.REDCARDS_WAITING_ONE.format(
                word=_word(card.word), ago=duration_words(now - card.raised_at), chases=card.chases
            )
            for card in stats.waiting
        ]
    if own is not None:
        lines.append(texts.REDCARDS_YOURS.format(raised=own.raised, explained=own.explained))
    return "\n".join(lines)


def summary_rows(reports: list[CardReport]) -> list[tuple[str | int, ...]]:
    """One row per forum (author ``all``) and one per author in it, for the CSV export."""
    rows: list[tuple[str | int, ...]] = []
    forums = dict.fromkeys((report.forum, report.forum_title) for report in reports)
    for forum, title in forums:
        in_forum = [report for report in reports if report.forum == forum]
        authors = dict.fromkeys(report.author for report in in_forum)
        for author in ("all", *authors):
            chosen = [r for r in in_forum if author == "all" or r.author == author]
            stats = card_stats(chosen)
            rows.append(
                (
                    forum,
                    title,
                    author,
                    stats.raised,
                    stats.cards,
                    stats.explained,
                    len(stats.waiting),
                    _hours(stats.average_to_explain),
                    _hours(stats.median_to_explain),
                    "; ".join(
                        f"{word or '(whole message)'} ({n})" for word, n in stats.most_carded
                    ),
                )
            )
    return rows


def card_rows(reports: list[CardReport]) -> list[tuple[str | int, ...]]:
    """One row per card, for the CSV export."""
    return [
        (
            report.card.id,
            report.forum,
            report.author,
            report.kind,
            report.card.word,
            report.card.raises,
            report.card.raised_at.isoformat(),
            report.card.explained_at.isoformat() if report.card.explained_at else "",
            _hours(
                report.card.explained_at - report.card.raised_at
                if report.card.explained_at
                else None
            ),
            report.card.chases,
            report.card.explanation or "",
        )
        for report in reports
    ]


def _word(word: str) -> str:
    return f'"{word}"' if word else texts.REDCARD_CHASE_MESSAGE


def _hours(length: timedelta | None) -> str:
    return "" if length is None else f"{length.total_seconds() / 3600:.1f}"
