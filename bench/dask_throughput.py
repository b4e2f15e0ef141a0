"""Ingest throughput: the local runner against the Dask runner (``--scheduler local``), same workers.

    python bench/dask_throughput.py [--articles 20000] [--workers 2] [--out bench/out] [--blocks K]

One corpus of invented 600-900-word articles (bench/corpus.py) as one JSONL file, ingested into a fresh
SQLite store twice, one side after the other in this process: (a) ``LocalRunner(workers=N)`` (reads here,
N spawned workers), (b) ``DaskRunner("local", workers=N)`` (a LocalCluster of N single-thread worker
processes reading 32-line units themselves).  Model loading is outside both clocks: the local runner's clock
starts once its workers are ready; the Dask workers load theirs on a 16-article warm-up ingest (another
seed, another store) before the timed one.

``--blocks K`` (K > 1) alternates the sides over K consecutive blocks of the corpus instead (local then Dask,
Dask then local, ...; each side keeps its own store; new workers per block), so that drift of a shared
machine over the run hits both sides alike: one after the other, the 20k pair gave 0.76 on an Intel Xeon
where 5k had given 1.32 on a loaded AMD EPYC.  It reports both sides' summed rates, their ratio, each
block's, and the CPU per article of each side (the local workers' from the reaped processes' times, model
loads included); the memory figures need the default single run (workers living the whole run).

Reported: articles/s and the ratio (b)/(a); per-article CPU of the analysis (thread CPU time in the Dask
tasks), and from it the hours for 100k articles on this machine's cores and on 32 workers; resident memory
per worker over the run, first vs last tenth of its articles (psutil samples of the local workers every
0.5 s; the Dask workers report their own after each task); the writer's cost (seconds in ``store.put`` per
article), which says how many workers one writer keeps up with.  Numbers, never assertions: the machine is
shared and the load average is recorded with them in ``<out>/dask_throughput.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

from eventwire.ingest import IngestHooks, Tally, ingest_paths
from eventwire.runners.dask import DaskRunner
from eventwire.runners.local import LocalRunner
from eventwire.store import open_store


class TimedStore:
    """A store whose ``put`` is timed (the one writer's share of the run)."""

    def __init__(self, store: Any) -> None:
        self.store, self.put_seconds, self.put_cpu, self.puts = store, 0.0, 0.0, 0

    def put(self, article: Any) -> Any:
        t0, c0 = time.perf_counter(), time.thread_time()
        try:
            return self.store.put(article)
        finally:
            self.put_seconds += time.perf_counter() - t0
            self.put_cpu += time.thread_time() - c0
            self.puts += 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _flatness(series: dict[str, list[tuple[int, int]]]) -> dict[str, Any]:
    """Per worker: mean RSS (MiB) over its first and last tenth of articles, and the change."""
    out: dict[str, Any] = {}
    for worker, points in series.items():
        points = sorted(points)
        if len(points) < 2:
            continue
        last_done = points[-1][0]
        tenth = max(1, last_done // 10)
        first = [r for d, r in points if d <= tenth] or [points[0][1]]
        last = [r for d, r in points if d >= last_done - tenth] or [points[-1][1]]
        a, b = sum(first) / len(first) / 2**20, sum(last) / len(last) / 2**20
        step = max(1, len(points) // 40)
        out[worker] = {"articles": last_done, "rss_first_tenth_mib": round(a, 1),
                       "rss_last_tenth_mib": round(b, 1), "change": round(b / a - 1, 3),
                       # the measure: a worker's first against its last thousand articles
                       **_thousands(points, last_done),
                       "peak_mib": round(max(r for _, r in points) / 2**20, 1),
                       # ~40 points (articles, MiB): whether growth levels off is visible only in the curve
                       "series_mib": [(d, round(r / 2**20, 1)) for d, r in points[::step]]}
    return out


def _thousands(points: list[tuple[int, int]], last_done: int) -> dict[str, Any]:
    """Mean RSS (MiB) over a worker's first and last 1,000 articles, when it did at least 2,000."""
    if last_done < 2000:
        return {}
    first = [r for d, r in points if d <= 1000]
    last = [r for d, r in points if d >= last_done - 1000]
    if not first or not last:
        return {}
    a, b = sum(first) / len(first) / 2**20, sum(last) / len(last) / 2**20
    return {"rss_first_1000_mib": round(a, 1), "rss_last_1000_mib": round(b, 1),
            "change_1000": round(b / a - 1, 3)}


def run_local(path: Path, db: str, workers: int) -> dict[str, Any]:
    runner = LocalRunner(workers=workers)
    series: dict[str, list[tuple[int, int]]] = defaultdict(list)
    done = [0]
    stop = threading.Event()
    me = psutil.Process()

    def sample() -> None:
        # Every worker's RSS against the articles finished so far divided among the workers (the local
        # runner does not say which worker did which chunk; they take turns, so each did about this many).
        while not stop.wait(0.5):
            for child in me.children():
                with contextlib.suppress(psutil.Error):
                    series[str(child.pid)].append((done[0] // workers, child.memory_info().rss))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    before = os.times()
    t0 = time.perf_counter()
    with open_store(db) as raw:
        store = TimedStore(raw)
        tally = ingest_paths([str(path)], store, runner=runner,  # type: ignore[arg-type]
                             hooks=IngestHooks(progress=lambda t: done.__setitem__(0, t.done)))
    wall = time.perf_counter() - t0
    stop.set()
    thread.join()
    # the workers' own CPU, read once the runner has joined them (os.times counts reaped children), model
    # loads included (~3 s a worker): the local side's figure to set beside the Dask tasks' thread CPU
    after = os.times()
    worker_cpu = (after.children_user + after.children_system
                  - before.children_user - before.children_system)
    # the children include the resource tracker of multiprocessing: keep the processes that grew past 200 MB
    workers_series = {k: v for k, v in series.items() if max(r for _, r in v) > 200 * 2**20}
    return _report(tally, runner.stats.seconds_processing, wall, store, _flatness(workers_series),
                   cpu=worker_cpu)


def run_dask(path: Path, warmup: Path, db: str, warm_db: str, workers: int) -> dict[str, Any]:
    with DaskRunner("local", workers=workers) as runner:
        _warm_up(runner, warmup, warm_db)
        return _dask_ingest(runner, path, db)


def _warm_up(runner: DaskRunner, warmup: Path, warm_db: str) -> None:
    """Load the workers' models on a few articles of another seed, outside the clock."""
    with open_store(warm_db) as store:
        ingest_paths([str(warmup)], store, runner=runner)
    runner.samples.clear()


def _dask_ingest(runner: DaskRunner, path: Path, db: str) -> dict[str, Any]:
    """One timed ingest on a connected runner; the RSS figures cover every sample the runner has taken
    since its warm-up (in blocks mode: all blocks so far)."""
    runner.stats.extra.clear()
    runner.stats.articles = 0
    t0 = time.perf_counter()
    with open_store(db) as raw:
        store = TimedStore(raw)
        tally = ingest_paths([str(path)], store, runner=runner)  # type: ignore[arg-type]
    wall = time.perf_counter() - t0
    series: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in runner.samples:
        series[s.worker].append((s.articles, s.rss_bytes))
    cpu = runner.stats.extra.get("cpu_seconds", 0.0)
    return _report(tally, runner.stats.seconds_processing, wall, store, _flatness(series), cpu=cpu)


def _report(tally: Tally, processing: float, wall: float, store: TimedStore, rss: dict[str, Any],
            cpu: float | None) -> dict[str, Any]:
    n = tally.stored + tally.stored_not_analysed
    out: dict[str, Any] = {"articles": n, "seconds_processing": round(processing, 2),
                           "seconds_wall": round(wall, 2),
                           "articles_per_s": round(n / processing, 3) if processing else None,
                           "writer_ms_per_article": round(1000 * store.put_seconds / max(1, store.puts), 2),
                           "writer_cpu_ms_per_article": round(1000 * store.put_cpu / max(1, store.puts), 2),
                           "rss_per_worker": rss, "tally": tally.as_dict()}
    if cpu is not None:
        out["analysis_cpu_s_per_article"] = round(cpu / max(1, n), 4)
    return out


def _corpora(args: argparse.Namespace) -> tuple[Path, Path]:
    """The timed corpus (kept in --out between runs) and the 16-article warm-up of another seed."""
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"dask_corpus_{args.articles}.jsonl"
    if not path.exists():
        corpus.write_jsonl(path, args.articles, seed=13)
    warmup = args.out / "dask_warmup.jsonl"
    corpus.write_jsonl(warmup, 16, seed=99)
    return path, warmup


def _alternating(args: argparse.Namespace) -> int:
    """The sides in alternating blocks (ABBA order): the ratio of their summed rates, and each block's."""
    path, warmup = _corpora(args)
    lines = path.read_bytes().splitlines(keepends=True)
    size = -(-len(lines) // args.blocks)
    load_before = os.getloadavg()
    blocks: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp, DaskRunner("local", workers=args.workers) as runner:
        _warm_up(runner, warmup, f"sqlite:///{tmp}/warm.db")
        for k in range(args.blocks):
            part = Path(tmp) / f"block{k}.jsonl"
            part.write_bytes(b"".join(lines[k * size:(k + 1) * size]))
            row: dict[str, Any] = {"block": k, "order": "local,dask" if k % 2 == 0 else "dask,local"}
            for side in row["order"].split(","):
                if side == "local":
                    row["local"] = run_local(part, f"sqlite:///{tmp}/local.db", args.workers)
                else:
                    row["dask"] = _dask_ingest(runner, part, f"sqlite:///{tmp}/dask.db")
            row["ratio"] = round(row["dask"]["articles_per_s"] / row["local"]["articles_per_s"], 3)
            print(json.dumps({"block": k, "ratio": row["ratio"],
                              "local_per_s": row["local"]["articles_per_s"],
                              "dask_per_s": row["dask"]["articles_per_s"]}), flush=True)
            blocks.append(row)

    def total(side: str) -> dict[str, Any]:
        n = sum(b[side]["articles"] for b in blocks)
        secs = sum(b[side]["seconds_processing"] for b in blocks)
        cpu = sum(b[side].get("analysis_cpu_s_per_article", 0.0) * b[side]["articles"] for b in blocks)
        return {"articles": n, "seconds_processing": round(secs, 2),
                "articles_per_s": round(n / secs, 3) if secs else None,
                "cpu_s_per_article": round(cpu / max(1, n), 4)}

    local, dask = total("local"), total("dask")
    # the Dask workers lived the whole run: their memory over all blocks (the last block's report holds
    # every sample); the local side's workers are new each block
    dask["rss_per_worker"] = {w: {k: v for k, v in r.items() if k != "series_mib"}
                              for w, r in blocks[-1]["dask"]["rss_per_worker"].items()}
    report = {"cpu": _cpu_model(), "cores": os.cpu_count(), "workers": args.workers,
              "articles": args.articles, "blocks": args.blocks, "load_before": load_before,
              "load_after": os.getloadavg(),
              "local": local, "dask": dask,
              "ratio_dask_to_local": round(dask["articles_per_s"] / local["articles_per_s"], 3)
              if dask["articles_per_s"] and local["articles_per_s"] else None,
              "per_block": blocks}
    (args.out / "dask_throughput_blocks.json").write_text(json.dumps(report, indent=2))
    print(json.dumps({k: v for k, v in report.items() if k != "per_block"}, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    ap.add_argument("--blocks", type=int, default=1,
                    help="alternate the sides over this many consecutive blocks of the corpus (local, Dask, "
                         "Dask, local, ...), each side keeping its store: drift of the machine over the run "
                         "then hits both sides alike (default 1: one side after the other, whose worker "
                         "processes live the whole run, for the memory figures)")
    args = ap.parse_args(argv)
    if args.blocks > 1:
        return _alternating(args)
    path, warmup = _corpora(args)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        local = run_local(path, f"sqlite:///{tmp}/local.db", args.workers)
        dask = run_dask(path, warmup, f"sqlite:///{tmp}/dask.db", f"sqlite:///{tmp}/warm.db", args.workers)
    cpu = dask["analysis_cpu_s_per_article"]
    report = {
        "cpu": _cpu_model(), "cores": os.cpu_count(), "workers": args.workers, "articles": args.articles,
        "load_before": load_before, "load_after": os.getloadavg(),
        "local": local, "dask": dask,
        "ratio_dask_to_local": round(dask["articles_per_s"] / local["articles_per_s"], 3),
        "projected_hours_100k": {
            f"{args.workers}_workers_measured_rate": round(100_000 / dask["articles_per_s"] / 3600, 2),
            f"{args.workers}_cores_from_cpu": round(100_000 * cpu / args.workers / 3600, 2),
            "32_workers_from_cpu": round(100_000 * cpu / 32 / 3600, 2),
            # one writer stores every article: at 32 workers its CPU per article can be the bound
            "32_workers_writer_bound": round(
                100_000 * max(cpu / 32, dask["writer_cpu_ms_per_article"] / 1000) / 3600, 2),
        },
        # analysis CPU per article over the writer's CPU per article: workers one writer keeps busy
        "one_writer_keeps_up_with_workers": round(cpu / (dask["writer_cpu_ms_per_article"] / 1000), 1)
        if dask["writer_cpu_ms_per_article"] else None,
    }
    (args.out / "dask_throughput.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
