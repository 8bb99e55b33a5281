"""A core with its own engine, clock and privacy settings, as a fresh process would start it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from core.service import YouSaid
from dialogs.loader import bundled_script
from storage.database import make_engine, upgrade
from storage.unit_of_work import sql_unit_of_work_factory


class Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment

    def advance(self, **how_long: float) -> None:
        self.moment += timedelta(**how_long)


@asynccontextmanager
async def started(
    database_url: str, clock: Clock, **options: Any
) -> AsyncIterator[tuple[YouSaid, AsyncEngine]]:
    """A core (with ``options`` such as ``privacy=`` or ``roles=``) and its engine."""
    engine = make_engine(database_url)
    await upgrade(engine)
    try:
        factory = sql_unit_of_work_factory(engine)
        core = YouSaid(factory, bundled_script("onboarding"), clock=clock, **options)
        yield core, engine
    finally:
        await engine.dispose()
