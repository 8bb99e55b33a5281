"""Putting the parts together: storage, the core and the bundled scripts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta

from core.config import load_settings
from core.ports import Clock, Observer
from core.safeguarding import SafeguardingPolicy
from core.service import YouSaid
from dialogs.loader import bundled_consultations, bundled_script
from storage.database import make_engine, upgrade
from storage.unit_of_work import sql_unit_of_work_factory


@asynccontextmanager
async def open_core(
    database_url: str,
    with_bundled: bool = True,
    safeguarding: SafeguardingPolicy | None = None,
    observer: Observer | None = None,
    clock: Clock | None = None,
) -> AsyncIterator[YouSaid]:
    """A ready core on an up-to-date database, with the shipped consultations published.

    The safeguarding policy (concern terms, help message, leads) comes from the
    ``YOUSAID_SAFEGUARDING_*`` and ``YOUSAID_HELP_TEXT`` settings unless one is given, and
    how long a red card may wait for its answer from ``YOUSAID_RED_CARD_CHASE_AFTER``; the
    privacy rules and the roles always come from the settings. The observer, if given, hears
    about every event handled. ``clock`` (the system clock unless given) tells the time.
    """
    settings = load_settings()
    policy = safeguarding or settings.safeguarding
    engine = make_engine(database_url)
    try:
        await upgrade(engine)
        core = YouSaid(
            sql_unit_of_work_factory(engine),
            bundled_script("onboarding"),
            clock=clock,
            safeguarding=policy,
            observer=observer,
            red_card_chase_after=settings.red_card_chase_after,
            privacy=settings.privacy,
            roles=replace(settings.roles, leads=policy.leads),
            zone=settings.zone,
            quiet=settings.quiet,
            delivery_lease=timedelta(seconds=settings.delivery_lease_seconds),
        )
        if with_bundled:
            await core.add_missing_consultations(bundled_consultations())
        yield core
    finally:
        await engine.dispose()
