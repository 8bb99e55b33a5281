import pytest

from bots.wiring import open_core
from tests.dialogs.sample import SAMPLE


@pytest.fixture
async def core(database_url):
    async with open_core(database_url, with_bundled=False) as core:
        await core.add_consultation(SAMPLE, "sample.yaml")
        yield core


@pytest.fixture
def uow(core):
    return core._uow_factory
