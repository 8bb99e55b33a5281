"""Numbers that monitoring reads from storage: the gauges behind ``/metrics``.

Each gauge is one small query through a unit of work. A feature that keeps something worth
watching (red cards waiting for an explanation, say) adds its gauge to ``GAUGES``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from core.domain import DeliveryStatus
from core.ports import UnitOfWork, UnitOfWorkFactory

Read = Callable[[UnitOfWork], Awaitable[dict[str, float]]]
"""A gauge's query: its values by label value ("" for a gauge without a label)."""


@dataclass(frozen=True, slots=True)
class Gauge:
    """One number (or one per label value) about what is stored."""

    name: str
    help: str
    read: Read
    label: str = ""


@dataclass(frozen=True, slots=True)
class Reading:
    """A gauge and what it read."""

    gauge: Gauge
    values: dict[str, float]


async def _deliveries(uow: UnitOfWork) -> dict[str, float]:
    counts = await uow.deliveries.status_counts()
    return {str(state): float(counts.get(state, 0)) for state in DeliveryStatus}


async def _unacknowledged_alerts(uow: UnitOfWork) -> dict[str, float]:
    return {"": float(await uow.alerts.count_unacknowledged())}


async def _red_cards_waiting(uow: UnitOfWork) -> dict[str, float]:
    return {"": float(await uow.red_cards.count_waiting())}


GAUGES: tuple[Gauge, ...] = (
    Gauge("yousaid_deliveries", "Messages in the outbox, by state.", _deliveries, "state"),
    Gauge(
        "yousaid_safeguarding_alerts_unacknowledged",
        "Safeguarding alerts nobody has said they have seen.",
        _unacknowledged_alerts,
    ),
    Gauge(
        "yousaid_red_cards_open",
        "Red cards waiting for the adult to explain the word.",
        _red_cards_waiting,
    ),
)


async def read_gauges(
    uow_factory: UnitOfWorkFactory, gauges: tuple[Gauge, ...] = GAUGES
) -> list[Reading]:
    """Read every gauge in one unit of work (one consistent snapshot)."""
    async with uow_factory() as uow:
        return [Reading(gauge, await gauge.read(uow)) for gauge in gauges]
