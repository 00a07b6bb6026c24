"""Documents render in reportlab's invariant mode: no creation date, fixed ids, so the
same document gives the same bytes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from reportlab import rl_config


@pytest.fixture(autouse=True)
def invariant() -> Iterator[None]:
    before = rl_config.invariant
    rl_config.invariant = 1
    yield
    rl_config.invariant = before
