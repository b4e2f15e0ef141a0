from __future__ import annotations

from functools import partial

import pytest

from eventwire.model import Article, Skip
from eventwire.runners.local import LocalRunner
from eventwire.testing import EchoStep, make_input


def _inputs(n: int, marker_at: int | None = None, marker: str = "") -> list:
    return [make_input(f"article {i}" + (f" {marker}" if i == marker_at else ""), source=f"s{i}", id=str(i))
            for i in range(n)]


def test_inline_keeps_order_and_counts() -> None:
    runner = LocalRunner(workers=1, chunk_size=3, step_factory=EchoStep)
    out = list(runner.run(_inputs(10)))
    assert [o.input_id for o in out if isinstance(o, Article)] == [str(i) for i in range(10)]
    assert runner.stats.articles == 10


@pytest.mark.slow
def test_pool_matches_inline_order() -> None:
    runner = LocalRunner(workers=2, chunk_size=2, step_factory=EchoStep)
    out = list(runner.run(_inputs(15)))
    assert [o.input_id for o in out if isinstance(o, Article)] == [str(i) for i in range(15)]
    assert runner.stats.articles == 15
    assert runner.stats.worker_crashes == 0


@pytest.mark.slow
def test_pool_survives_a_dying_worker() -> None:
    runner = LocalRunner(workers=2, chunk_size=2, step_factory=partial(EchoStep, crash_marker="BOOM"))
    # 30 inputs: input 5 sits in a full chunk (the last ~10 are cut into single-input chunks)
    out = list(runner.run(_inputs(30, marker_at=5, marker="BOOM")))
    assert len(out) == 30  # one result per input, in order
    crashed = [o for o in out if isinstance(o, Skip)]
    # the chunk holding input 5 is retried one input at a time: only input 5 itself is lost
    assert [c.source for c in crashed] == ["s5"]
    assert all(c.reason == "worker-crashed" for c in crashed)
    assert [o.input_id for o in out if isinstance(o, Article)] == [str(i) for i in range(30) if i != 5]
    assert runner.stats.worker_crashes == 2  # the chunk, then input 5 alone


@pytest.mark.slow
def test_a_chunk_sent_to_a_worker_that_just_died_is_held_for_retry() -> None:
    # the race CI hit: the worker dies of the chunk before, the parent has not waited yet and sends the next
    import multiprocessing as mp

    from eventwire.runners.local import _Worker

    worker = _Worker.start(mp.get_context("spawn"), EchoStep)
    try:
        worker.wait_ready()
        worker.proc.kill()
        worker.proc.join(10)
        chunk = _inputs(2)
        worker.send((7,), chunk)  # a broken pipe, not an exception that ends the run
        assert worker.held == {(7,): chunk}
        assert not worker.proc.is_alive()
    finally:
        worker.close()


def test_failed_item_costs_only_itself() -> None:
    runner = LocalRunner(workers=1, step_factory=partial(EchoStep, fail_marker="BAD"))
    out = list(runner.run(_inputs(4, marker_at=2, marker="BAD")))
    assert [type(o).__name__ for o in out] == ["Article", "Article", "Skip", "Article"]


@pytest.mark.parametrize("n", [0, 1, 5, 16, 63, 64, 65, 200])
def test_balanced_chunks_keep_order_and_shrink_at_the_end(n: int) -> None:
    from eventwire.runners.local import _balanced_chunks

    chunks = list(_balanced_chunks(iter(range(n)), 16, 2))
    assert [x for c in chunks for x in c] == list(range(n))
    sizes = [len(c) for c in chunks]
    assert all(1 <= s <= 16 for s in sizes)
    assert sizes == sorted(sizes, reverse=True)  # full chunks first, then ever smaller ones
    if n >= 100:
        assert sizes[0] == 16 and sizes[-1] <= 4
