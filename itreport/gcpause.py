"""Pause Python's cyclic garbage collector while large object graphs are built.

Loading a large division creates millions of small objects (nodes, dicts, models) and almost
none of them become garbage; the collector still re-scans the growing heap again and again,
which made loading 2-3× slower. Reference counting frees everything as usual meanwhile.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic collector off; it is switched back on (if it was) after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # Everything allocated in the block is still in the youngest generation: the first
            # collection after it would scan it all (0.2 s for the large demo) and again when
            # promoting it. Freezing and unfreezing moves it straight to the oldest generation,
            # where it is still collected, but only by the rare full collections.
            gc.freeze()
            gc.unfreeze()
            gc.enable()
