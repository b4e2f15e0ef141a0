"""The Dask runner on a LocalCluster of two worker processes, with EchoStep (no spaCy): seconds, not minutes.

The fault test (a real `dask scheduler` and `dask worker` processes) is tests/runners/test_dask_faults.py.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from eventwire.errors import ConfigError
from eventwire.ingest import ingest_paths
from eventwire.model import Article, Skip
from eventwire.runners.local import LocalRunner
from eventwire.runners.units import WorkUnit
from eventwire.store import open_store
from eventwire.testing import EchoStep, invented_article, make_input

pytestmark = [pytest.mark.slow, pytest.mark.dask]
distributed = pytest.importorskip("distributed")

from eventwire.runners.dask import CannotRead, DaskRunner, read_unit  # noqa: E402


@pytest.fixture(scope="module")
def runner() -> Iterator[DaskRunner]:
    import dask

    # One failure is enough to call a task a worker-killer here: each retry costs a worker restart (~2 s).
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            DaskRunner("local", workers=2, step_factory=partial(EchoStep, crash_marker="BOOM")) as r:
        yield r


def _folder(tmp_path: Path, n: int = 90) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    with (folder / "batch.jsonl").open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"r{i}", "text": invented_article(i)}) + "\n")
        f.write("not json\n")
    for i in range(20):
        (folder / f"t{i:02d}.txt").write_text(invented_article(300 + i), encoding="utf-8")
    (folder / "t99.txt").write_text(invented_article(3), encoding="utf-8")  # a duplicate of record r3
    return folder


def _stored(db: str) -> list[tuple[str, str, str | None]]:
    with open_store(db) as store:
        rows = store.list_articles(limit=1000)
        articles = [store.get(r.id) for r in rows]
    return sorted((a.content_hash, a.source, a.input_id) for a in articles if a is not None)


def test_same_store_as_the_local_runner(runner: DaskRunner, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    local_db, dask_db = f"sqlite:///{tmp_path / 'local.db'}", f"sqlite:///{tmp_path / 'dask.db'}"
    with open_store(local_db) as store:
        local = ingest_paths([str(folder)], store, runner=LocalRunner(step_factory=EchoStep))
    with open_store(dask_db) as store:
        remote = ingest_paths([str(folder)], store, runner=runner)
    assert remote.as_dict() == local.as_dict()
    assert (remote.stored, remote.unchanged, dict(remote.skipped)) == (110, 1, {"not-json": 1})
    assert _stored(dask_db) == _stored(local_db)
    with open_store(dask_db) as store:  # a rerun reads, finds everything stored, analyses nothing
        again = ingest_paths([str(folder)], store, runner=runner)
    assert (again.stored, again.unchanged) == (0, 111)


def test_a_poison_article_costs_only_itself(runner: DaskRunner, tmp_path: Path) -> None:
    items = [make_input(f"article {i}" + (" BOOM" if i == 5 else ""), source=f"s{i}", id=str(i))
             for i in range(20)]
    crashes = runner.stats.worker_crashes
    out = list(runner.run(items))
    assert len(out) == 20
    assert [(o.source, o.reason) for o in out if isinstance(o, Skip)] == [("s5", "worker-crashed")]
    assert [o.input_id for o in out if isinstance(o, Article)] == [str(i) for i in range(20) if i != 5]
    # the chunk of 16; input 5 (and whatever queued with it); input 5 alone on the cluster
    assert runner.stats.worker_crashes - crashes in (3, 4)


def _profiler(dask_worker: Any) -> tuple[bool, int]:
    """Whether the worker's statistical profiler runs, and how many 1-second profiles it keeps."""
    callback = dask_worker.periodic_callbacks.get("profile")
    return callback is not None and callback.is_running(), len(dask_worker.profile_history)


def test_the_profiler_is_paused_on_every_worker_even_a_replacement(runner: DaskRunner) -> None:
    # after the poison test above the nanny restarted the killed workers: they joined after connect
    out = list(runner.run([make_input(invented_article(i), source=f"p{i}") for i in range(40)]))
    assert len(out) == 40 and runner.stats.worker_crashes > 0
    runner.connect().wait_for_workers(2, timeout=60)
    time.sleep(1.5)  # a profile cycle (1 s): a running profiler would have kept one by now
    states = runner.connect().run(_profiler)
    assert len(states) == 2 and set(states.values()) == {(False, 0)}


def test_an_existing_cluster_gets_its_profiler_back_when_the_runner_closes() -> None:
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert set(client.run(_profiler).values()) == {(True, 0)}
        with DaskRunner(cluster.scheduler_address, step_factory=EchoStep) as r:
            assert [a.text for a in r.run([make_input(invented_article(1))])] == [invented_article(1)]
            assert set(client.run(_profiler).values()) == {(False, 0)}
        assert {running for running, _ in client.run(_profiler).values()} == {True}


def test_no_dashboard_link_without_bokeh(runner: DaskRunner) -> None:
    import importlib.util

    if importlib.util.find_spec("bokeh") is not None:
        pytest.skip("bokeh is installed: the LocalCluster's dashboard works")
    assert runner.dashboard_link is None  # its pages would only say that bokeh is missing


def test_a_worker_that_cannot_see_the_inputs_stops_the_run_with_the_fix(tmp_path: Path) -> None:
    unit = WorkUnit("files", (str(tmp_path / "gone.txt"),), "?", 1)
    with pytest.raises(CannotRead):
        read_unit(unit)


def test_an_unreachable_scheduler_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as e:
        DaskRunner("tcp://127.0.0.1:9", step_factory=EchoStep, connect_timeout_s=1).connect()
    assert "dask scheduler" in str(e.value)
