"""The garbage collector's pause (graph/gc_paused.py): off inside, back on after the last pause
of any thread, left alone when a caller switched it off, and a reference cycle left among the
frozen objects is collected once they have doubled, never before."""

from __future__ import annotations

import gc
import threading
import weakref

import harmgraph.gc_paused as pausing
from harmgraph.gc_paused import gc_paused


class Node:
    """An object that can hold a reference to itself: a cycle only the collector can free."""


def test_two_threads_pausing_at_once_leave_the_collector_on_only_after_both():
    entered, release_first, first_done, release_second = (threading.Event() for _ in range(4))
    seen: list[bool] = []

    def first() -> None:
        with gc_paused():
            entered.set()
            release_first.wait(30)
        first_done.set()

    def second() -> None:
        with gc_paused():
            entered.wait(30)
            release_first.set()
            first_done.wait(30)
            seen.append(gc.isenabled())  # the first thread's pause has ended, this one has not
            release_second.wait(30)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_done.wait(30)
    release_second.set()
    for thread in threads:
        thread.join(30)
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off_and_nothing_is_frozen():
    gc.disable()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            kept = [Node() for _ in range(1000)]
        assert not gc.isenabled()
        assert gc.get_freeze_count() <= frozen  # frozen objects may be freed, none added
        assert kept
    finally:
        gc.enable()


def test_a_cycle_among_frozen_objects_is_collected_once_they_have_doubled(monkeypatch):
    with gc_paused():
        node = Node()
        node.itself = node
        alive = weakref.ref(node)
    del node
    gc.collect()
    assert alive() is not None  # frozen: a full collection does not see it
    # The rule counts from the last full collection; start it from what is frozen now.
    baseline = gc.get_freeze_count()
    monkeypatch.setattr(pausing, "_frozen_after_collection", baseline)
    with gc_paused():
        few = [[] for _ in range(1000)]
    assert alive() is not None, "collected before the frozen objects had doubled"
    with gc_paused():
        many = [[] for _ in range(baseline + 1000)]
    assert alive() is None, "the cycle outlived the doubling of the frozen objects"
    assert pausing._frozen_after_collection >= len(many) + len(few)
