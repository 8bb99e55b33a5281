"""While the database cannot be reached, an event is tried again for a while, then given up
kindly; nothing of a failed try is kept."""

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from core import service, texts
from core.ports import DatabaseUnavailable
from storage.unit_of_work import SqlUnitOfWork, unreachable
from tests.core.chat import Person


class AwayFor:
    """Units of work that find the database away for the first ``times`` tries."""

    def __init__(self, factory, times):
        self.factory = factory
        self.times = times

    def __call__(self):
        if self.times > 0:
            self.times -= 1
            raise DatabaseUnavailable("ConnectionRefusedError")
        return self.factory()


@pytest.fixture
def no_waiting(monkeypatch):
    waited = []

    async def sleep(seconds):
        waited.append(seconds)

    monkeypatch.setattr(service.asyncio, "sleep", sleep)
    return waited


async def test_an_event_waits_for_the_database_to_come_back(core, no_waiting, monkeypatch):
    person = Person(core, "ann")
    monkeypatch.setattr(core, "_uow_factory", AwayFor(core._uow_factory, 3))
    await person.command("start")
    assert texts.SOMETHING_WRONG not in person.text
    assert "Yes" in " ".join(person.labels), "the onboarding starts as if nothing happened"
    assert no_waiting == list(service.UNAVAILABLE_WAITS[:3])


async def test_an_event_is_given_up_kindly_if_the_database_stays_away(
    core, no_waiting, monkeypatch
):
    person = Person(core, "bob")
    tries = len(service.UNAVAILABLE_WAITS) + 1
    away = AwayFor(core._uow_factory, tries)
    monkeypatch.setattr(core, "_uow_factory", away)
    await person.command("start")
    assert person.text == texts.SOMETHING_WRONG
    assert away.times == 0 and no_waiting == list(service.UNAVAILABLE_WAITS)


async def test_a_refused_connection_is_the_database_being_away():
    engine = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:9/none")
    try:
        with pytest.raises(DatabaseUnavailable) as raised:
            async with SqlUnitOfWork(engine):
                pass
        assert unreachable(raised.value.__cause__)
    finally:
        await engine.dispose()
    assert not unreachable(ValueError("a bug"))
