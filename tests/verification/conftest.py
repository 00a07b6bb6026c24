from __future__ import annotations

import httpx
import pytest

from tests.conftest import TokenFactory
from tests.factories import setup_catalog


@pytest.fixture(autouse=True)
async def catalog(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    await setup_catalog(client, auth)
