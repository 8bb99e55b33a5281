"""Putting the parts together: storage, the core and the bundled scripts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from core.service import YouSaid
from dialogs.loader import bundled_consultations, bundled_script
from storage.database import make_engine, make_session_factory, upgrade
from storage.unit_of_work import sql_unit_of_work_factory


@asynccontextmanager
async def open_core(database_url: str, with_bundled: bool = True) -> AsyncIterator[YouSaid]:
    """A ready core on an up-to-date database, with the shipped consultations published."""
    engine = make_engine(database_url)
    try:
        await upgrade(engine)
        core = YouSaid(
            sql_unit_of_work_factory(make_session_factory(engine)), bundled_script("onboarding")
        )
        if with_bundled:
            await core.add_missing_consultations(bundled_consultations())
        yield core
    finally:
        await engine.dispose()
