"""The stepwise passes behind FileList: same results as the plain calls, in bounded steps."""

from __future__ import annotations

import asyncio
import gc
import operator
from collections.abc import Iterator
from itertools import repeat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_ftp.ui.widgets import stepwise
from tui_ftp.ui.widgets.stepwise import (
    drained,
    emptied,
    holding_collector,
    run_for,
    run_now,
    run_stepwise,
    sorted_stepwise,
    summed,
)

SMALL_CHUNK = 8


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 8 items, so that small inputs take many steps and every path is exercised."""
    monkeypatch.setattr(stepwise, "CHUNK", SMALL_CHUNK)


def steps_taken(steps: stepwise.Steps[object]) -> int:
    count = 0
    try:
        while True:
            next(steps)
            count += 1
    except StopIteration:
        return count


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([1, 5, 1000]).flatmap(lambda top: st.lists(st.integers(0, top), max_size=600)))
def test_sorted_stepwise_sorts_like_sorted_and_is_stable(keys: list[int]) -> None:
    indexes = list(range(len(keys)))
    assert run_now(sorted_stepwise(indexes, keys.__getitem__)) == sorted(indexes, key=keys.__getitem__)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=6), max_size=400), st.booleans())
def test_sorted_stepwise_on_strings_sorted_or_not(names: list[str], presorted: bool) -> None:
    if presorted:
        names.sort()
    assert run_now(sorted_stepwise(names, str.casefold)) == sorted(names, key=str.casefold)


def test_sorted_stepwise_handles_a_skewed_sample() -> None:
    """Almost all keys equal except a few big ones: the sample sees one value, a bucket stays huge."""
    keys = [0] * 500 + [9, 3, 7] + [0] * 500
    indexes = list(range(len(keys)))
    assert run_now(sorted_stepwise(indexes, keys.__getitem__)) == sorted(indexes, key=keys.__getitem__)


def test_an_already_sorted_input_takes_one_pass_of_steps() -> None:
    items = list(range(800))
    assert steps_taken(sorted_stepwise(items, int)) == 800 // SMALL_CHUNK
    shuffled = [(i * 37) % 800 for i in range(800)]
    assert steps_taken(sorted_stepwise(shuffled, int)) > 800 // SMALL_CHUNK


def test_drained_and_summed_take_one_step_per_chunk() -> None:
    numbers = range(100)
    assert run_now(drained(map(operator.mul, numbers, repeat(2)))) == [n * 2 for n in numbers]
    assert steps_taken(drained(iter(numbers))) == 100 // SMALL_CHUNK
    assert run_now(summed(iter(numbers))) == sum(numbers)
    assert run_now(drained(iter([]))) == []


def test_emptied_empties_each_list_from_the_end() -> None:
    first, second = list(range(20)), list(range(3))
    steps = emptied([first, second])
    next(steps)
    assert first == list(range(12))
    run_now(steps)
    assert first == [] and second == []


def test_run_for_stops_when_time_is_up_and_run_stepwise_finishes() -> None:
    def endless() -> Iterator[None]:
        while True:
            yield

    assert run_for(endless(), 0.001) == (False, None)  # type: ignore[arg-type]
    assert run_for(drained(iter(range(30))), 1.0) == (True, list(range(30)))
    assert asyncio.run(run_stepwise(drained(iter(range(30))))) == list(range(30))


def test_holding_collector_nests_and_restores_the_collector() -> None:
    assert gc.isenabled()
    try:
        with holding_collector():
            with holding_collector():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the outer hold is still open
        assert gc.isenabled() and gc.get_freeze_count() > 0
        gc.disable()
        with holding_collector():
            pass
        assert not gc.isenabled()  # a collector that was off stays off
    finally:
        gc.enable()
        gc.unfreeze()
