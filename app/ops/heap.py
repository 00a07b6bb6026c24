"""The garbage collector of a long-running server process (``serve``, ``worker``).

A started service holds a few hundred thousand objects that live as long as the process:
modules, the app and its routes, the OpenAPI document, SQLAlchemy's metadata. CPython's
collector scans them all again at every full collection, a pause of 100 ms and more that a
request arriving then waits out, and its young collections run every 700 allocations.
Once the service has started, :func:`settle` collects once and moves everything still
alive into the permanent generation (:func:`gc.freeze`), which the collector no longer
scans, and lets the young generation grow to :data:`YOUNG_THRESHOLD` before a
collection. Reference counting frees almost everything a request allocates; the collector
is left with the few cycles requests make.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000


def settle() -> None:
    """Collect, freeze what is alive, and collect the young generation less often."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
