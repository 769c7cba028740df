"""Whole-listing passes cut into short steps, so that big listings never freeze the UI.

Folding 500,000 names and sorting them takes 0.2–0.5 s of CPU. Each C-level call (``sorted``,
``list(map(...))``) holds the GIL from start to end, so one such call freezes the UI for its whole
length whether it runs on the event loop or in a thread. The functions here are generators that do
their work in C-level chunks of about :data:`CHUNK` items and ``yield`` between chunks (a few ms
each); :func:`run_now` runs one to the end, :func:`run_stepwise` runs one on the event loop and
gives the loop a turn between slices of a few ms. The value is the generator's return value:
``result = yield from drained(...)`` composes them.

:func:`sorted_stepwise` sorts like ``sorted(items, key=key)`` (stable) without one long call: an
already sorted input is recognised in one pass; otherwise chunks are sorted, cut at splitters taken
from a sample, and each bucket (the pieces of every chunk between two splitters) is sorted and
appended. Chunk sorts read the items in their given order (cache friendly) and each bucket sort
merges presorted pieces in cache, so on 500,000 names it costs ~1.15 times one ``sorted`` call.
"""

from __future__ import annotations

import asyncio
import gc
import operator
import time
from bisect import bisect_right
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from itertools import islice
from typing import Any, TypeVar

__all__ = ["CHUNK", "Steps", "drained", "emptied", "holding_collector", "run_for", "run_now", "run_stepwise", "sorted_stepwise", "summed"]

T = TypeVar("T")
Item = TypeVar("Item")

#: Items per step: a chunk of C-level work on this many items takes about 0.5–5 ms.
CHUNK = 8_192
#: How long ``run_stepwise`` keeps the event loop before giving it a turn.
SLICE_SECONDS = 0.008
#: How long it then leaves the event loop to other work.
PAUSE_SECONDS = 0.001

Steps = Generator[None, None, T]
"""A computation that yields between bounded chunks of work and returns its result."""


def run_now(steps: Steps[T]) -> T:
    """Run every step at once and return the result."""
    try:
        while True:
            next(steps)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


def run_for(steps: Steps[T], seconds: float) -> tuple[bool, T | None]:
    """Run steps for about ``seconds``: ``(True, result)`` when finished, else ``(False, None)``."""
    deadline = time.perf_counter() + seconds
    try:
        while time.perf_counter() < deadline:
            next(steps)
    except StopIteration as done:
        return True, done.value
    return False, None


async def run_stepwise(steps: Steps[T], slice_seconds: float = SLICE_SECONDS) -> T:
    """Run the steps on the event loop, handing it back every ``slice_seconds`` (cancellable there).

    Between slices the loop gets a short pause, not just one turn: handling a key or painting
    takes several hops from task to task, each of which would otherwise wait for a whole slice.
    """
    while True:
        finished, result = run_for(steps, slice_seconds)
        if finished:
            return result  # type: ignore[return-value]
        await asyncio.sleep(PAUSE_SECONDS)


_holds = 0  # how many holding_collector() blocks are open
_was_enabled = True


@contextmanager
def holding_collector() -> Iterator[None]:
    """Hold the cyclic garbage collector while big lists are built; freeze what exists at the end.

    Every young-generation collection walks every young container item by item: a 500,000-item
    list being built costs each collection tens of ms of cache misses, and Textual allocates
    enough for one every few ms. Held, nothing is walked; at the end ``gc.freeze()`` moves
    everything alive (the listing, its lists) out of the collector's reach for good, so full
    collections stay short too. Frozen objects are still freed by reference counting; only
    reference cycles that exist at that moment and die later are never reclaimed. Nested and
    overlapping holds (two panes) release the collector when the last one ends.
    """
    global _holds, _was_enabled
    if _holds == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _holds += 1
    try:
        yield
    finally:
        _holds -= 1
        if _holds == 0:
            gc.freeze()
            if _was_enabled:
                gc.enable()


def emptied(lists: Iterable[list[Any]]) -> Steps[None]:
    """Empty each list from its end a chunk at a time, so what only they hold is freed gradually
    (freeing 500,000 entries at once takes ~100 ms)."""
    for items in lists:
        while items:
            del items[-CHUNK:]
            yield


def drained(items: Iterator[Item]) -> Steps[list[Item]]:
    """``list(items)`` in chunks; ``items`` is typically a lazy ``map``/``compress`` chain."""
    result: list[Item] = []
    while True:
        before = len(result)
        result.extend(islice(items, CHUNK))
        if len(result) - before < CHUNK:
            return result
        yield


def summed(numbers: Iterator[int]) -> Steps[int]:
    """``sum(numbers)`` in chunks."""
    total = 0
    while True:
        chunk = list(islice(numbers, CHUNK))
        total += sum(chunk)
        if len(chunk) < CHUNK:
            return total
        yield


def _in_order(items: Sequence[Item], key: Callable[[Item], Any]) -> Steps[bool]:
    """Whether ``items`` is already sorted by ``key`` (stops at the first descent)."""
    for start in range(0, len(items) - 1, CHUNK):
        window = items[start : start + CHUNK + 1]
        if not all(map(operator.le, map(key, window), map(key, islice(window, 1, None)))):
            return False
        yield
    return True


def _splitters(items: Sequence[Item], key: Callable[[Item], Any], buckets: int) -> list[Any]:
    """``buckets - 1`` ascending key values, quantiles of a strided sample of ``items``."""
    sample = sorted(map(key, items[:: max(1, len(items) // (buckets * 16))]))
    stride = max(1, len(sample) // buckets)
    return sample[stride::stride][: buckets - 1]


def sorted_stepwise(items: Sequence[Item], key: Callable[[Item], Any], *, resplit: bool = True) -> Steps[list[Item]]:
    """``sorted(items, key=key)`` (stable, ascending) in steps of at most ~``CHUNK`` items.

    ``resplit``: sort a bucket that a skewed sample left too big the same way (once).
    """
    if len(items) <= CHUNK:
        return sorted(items, key=key)
    if (yield from _in_order(items, key)):
        return list(items)
    splitters = _splitters(items, key, -(-len(items) // (CHUNK // 2)))
    buckets: list[list[Item]] = [[] for _ in range(len(splitters) + 1)]
    for start in range(0, len(items), CHUNK):
        run = sorted(items[start : start + CHUNK], key=key)
        # Equal keys land in the same bucket, and pieces join their bucket in input order: stable.
        cuts = [0, *map(partial(bisect_right, run, key=key), splitters), len(run)]
        for bucket, low, high in zip(buckets, cuts, cuts[1:], strict=False):
            bucket += run[low:high]
        yield
    result: list[Item] = []
    for bucket in buckets:
        if resplit and len(bucket) > 4 * CHUNK:  # a skewed sample: split this bucket again
            bucket = yield from sorted_stepwise(bucket, key, resplit=False)
        else:
            bucket.sort(key=key)
        result += bucket
        yield
    return result
