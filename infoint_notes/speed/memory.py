"""Building many small objects at once without the cyclic garbage collector."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Loading builds hundreds of thousands of small objects and no reference cycles;
    the cyclic collector would walk them all again and again for nothing.

    On the way out the survivors are frozen (moved out of the collector's sight; plain
    reference counting still frees them): otherwise the first collection after
    re-enabling walks every one of them once more, a tenth of a second at 10,000 notes.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.freeze()
            gc.enable()
