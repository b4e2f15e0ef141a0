"""`eventwire ingest --scheduler tcp://…` against a real `dask scheduler` and two `dask worker` processes on
127.0.0.1, started from this venv's dask CLI: a worker SIGKILLed mid-run and replaced, and a driver
SIGKILLed and rerun, store every article exactly once, with the articles and events of a local run."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwire.testing import invented_article

pytestmark = [pytest.mark.slow, pytest.mark.model, pytest.mark.dask]
pytest.importorskip("distributed")

# 40 JSONL lines and 32 .txt files: 4 work units (32 + 8 lines, 16 + 16 files; runners/units.py), more than
# the two workers hold at once, so a kill lands mid-run; small for CI (~1 min in all on 2 cores).
N = 72
_LINES = 40
_DEADLINE_S = 300


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _dask(*args: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


class Cluster:
    """A scheduler and workers (no nanny: a SIGKILLed worker stays dead until we start another)."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        self.log = tmp / "dask.log"
        self.procs: list[subprocess.Popen[bytes]] = []
        self.scheduler = self._start("scheduler", "--host", "127.0.0.1", "--port",
                                     self.address.rsplit(":", 1)[1], "--no-dashboard")
        self.workers = [self.add_worker(f"w{i}") for i in range(2)]

    def _start(self, *args: str) -> subprocess.Popen[bytes]:
        proc = _dask(*args, log=self.log)
        self.procs.append(proc)
        return proc

    def add_worker(self, name: str) -> subprocess.Popen[bytes]:
        return self._start("worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                           "--name", name, "--local-directory", str(self.tmp / "dask-work"))

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(n, timeout=120)

    def busy_worker(self) -> subprocess.Popen[bytes]:
        """A worker process analysing a unit right now."""
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            deadline = time.monotonic() + _DEADLINE_S
            while time.monotonic() < deadline:
                for address, keys in client.processing().items():
                    if any(str(k).startswith("analyse-") for k in keys):
                        pid = client.run(os.getpid, workers=[address])[address]
                        return next(w for w in self.workers if w.pid == pid)
                time.sleep(0.05)
        raise AssertionError("no worker was analysing anything")

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    c = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        c.wait_for_workers(2)
        yield c
    finally:
        c.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    with (folder / "batch.jsonl").open("w", encoding="utf-8") as f:
        for i in range(_LINES):
            f.write(json.dumps({"id": f"r{i}", "text": invented_article(2000 + i)}) + "\n")
    for i in range(N - _LINES):
        (folder / f"t{i:02d}.txt").write_text(invented_article(3000 + i), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def local_db(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.db"
    done = _ingest(inputs, db)
    _, err = done.communicate(timeout=_DEADLINE_S)
    assert done.returncode == 0, err.decode()
    return db


def _ingest(folder: Path, db: Path, *scheduler: str) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "eventwire", "ingest", str(folder), "--db", f"sqlite:///{db}", *scheduler]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def _wait_for(db: Path, proc: subprocess.Popen[bytes], at_least: int) -> None:
    deadline = time.monotonic() + _DEADLINE_S
    while _count(db) < at_least and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before the kill; raise N"


def _contents(db: Path) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    with sqlite3.connect(db) as con:
        n, distinct = con.execute("SELECT count(*), count(DISTINCT content_hash) FROM articles").fetchone()
        assert n == distinct == N  # nothing lost, nothing doubled
        articles = sorted(con.execute("SELECT id, content_hash, source, status FROM articles").fetchall())
        events = sorted(con.execute(
            "SELECT article_id, id, type, mode, trigger_start, trigger_end, actor_text, target_text, date "
            "FROM events").fetchall(), key=repr)
    return articles, events


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(cluster: Cluster, inputs: Path, local_db: Path,
                                                           tmp_path: Path) -> None:
    db = tmp_path / "dask.db"
    proc = _ingest(inputs, db, "--scheduler", cluster.address)
    victim = cluster.busy_worker()  # analysing a unit of this run: its results can only come from a rerun
    assert proc.poll() is None
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    cluster.workers[cluster.workers.index(victim)] = cluster.add_worker("w-replacement")
    _, err = proc.communicate(timeout=_DEADLINE_S)
    assert proc.returncode == 0, err.decode()
    assert f"stored {N}" in err.decode()
    articles, events = _contents(db)
    assert (articles, events) == _contents(local_db)
    assert events  # the comparison covers events, not just empty lists


def test_a_driver_killed_mid_run_is_rerun_and_finishes(cluster: Cluster, inputs: Path, local_db: Path,
                                                       tmp_path: Path) -> None:
    db = tmp_path / "dask.db"
    proc = _ingest(inputs, db, "--scheduler", cluster.address)
    _wait_for(db, proc, 1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = _count(db)
    assert 0 < killed_at < N
    rerun = _ingest(inputs, db, "--scheduler", cluster.address)
    _, err = rerun.communicate(timeout=_DEADLINE_S)
    assert rerun.returncode == 0, err.decode()
    tally = re.search(r"read (\d+), stored (\d+), unchanged (\d+)", err.decode())
    assert tally, err.decode()
    read, stored, unchanged = map(int, tally.groups())
    # Every article the dead driver stored is found unchanged and not analysed again, and every other one is
    # stored once. One CI run (of many) found one more unchanged than the count taken after the kill (4 seen,
    # 5 unchanged; not reproduced in 10 runs here), so the count is a lower bound, and the contents decide.
    assert read == N and stored + unchanged == N and unchanged >= killed_at, err.decode()
    assert _contents(db) == _contents(local_db)
