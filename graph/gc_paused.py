"""Keep Python's cyclic garbage collector away from large, long-lived structures.

Reading a million-triple graph into Python objects, and working out the map and the gaps from
them, allocates millions of containers that all stay alive. CPython's collector does not know
that. Every so many allocations it scans the young objects, and every so often every tracked
object, so it scans a growing heap again and again and finds nothing to free: the claims, cells
and gap records hold no reference cycles. On a million-triple graph those scans were a large
share of the analysis (``make bench`` measures it).

Inside :func:`gc_paused` the collector does not run. When the last pause ends, what is alive then
is moved out of the collector's generations (:func:`gc.freeze`), so it is not scanned three
more times on its way to the oldest generation. Reference counting frees frozen objects as
always; only a reference cycle among them waits. So that such cycles cannot pile up, a full
collection runs at the end of a pause whenever the frozen objects have more than doubled since the
last one: like CPython's own rule for its oldest generation, each object is scanned a bounded
number of times on average, and garbage held by cycles stays below the size of the live heap.

The collector is one per process, and the app serves several sessions from threads: a count of
the pauses in progress, kept under a lock, switches it back on when the last pause ends, and only
if a pause switched it off. A caller that disabled it itself keeps it off, and nothing is frozen.

:func:`kept` is the one place that makes the results kept on a loaded graph (evidence, reviews,
coverage, gaps, grids, network...), each once and inside a pause.

>>> import gc
>>> with gc_paused():
...     with gc_paused():
...         pass
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_pauses = 0
_switched_off = False
#: The number of frozen objects after the last full collection (None before the first pause).
_frozen_after_collection: int | None = None


@contextmanager
def gc_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off inside the ``with`` block (nested and threaded
    uses add up: it comes back on when the last one ends)."""
    global _pauses, _switched_off
    with _lock:
        if _pauses == 0:
            _switched_off = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _switched_off:
                _freeze()
                gc.enable()


def _freeze() -> None:
    """Freeze what is alive; collect in full first when the frozen objects have doubled."""
    global _frozen_after_collection
    gc.freeze()
    frozen = gc.get_freeze_count()
    if _frozen_after_collection is None:
        _frozen_after_collection = frozen
    elif frozen > 2 * _frozen_after_collection:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        _frozen_after_collection = gc.get_freeze_count()


def kept(cache: dict[str, Any], key: str, make: Callable[[], Any]) -> Any:
    """``cache[key]``, made by ``make()`` the first time, with the collector paused: for the
    results kept on a loaded graph (``LoadedGraph.cache``), which live as long as the graph.

    >>> cache = {}
    >>> kept(cache, "n", lambda: [1, 2]) is kept(cache, "n", lambda: [3])
    True
    """
    found = cache.get(key)
    if found is None:
        with gc_paused():
            found = cache[key] = make()
    return found
