"""Server CPU per request and endpoint: the load benchmark's requests sent one at a time to one server.

    python bench/api_cpu.py [--events 1000000] [--requests 3000] [--db URL]

On a machine shared with other work, the load benchmark's latencies and requests/s follow what the others
leave of the cores (its p99 moved from ~190 to ~1,000 ms between runs of one build); the CPU time the server
spends on the same requests moves far less, so a change to a query or a page is compared here.  The store is
bench/api_latency.py's; the requests are bench/api_load.py's (same endpoints, same seeds, same warm-up), sent
by one client, so each request's CPU is the server's alone: the sum over its threads of
``/proc/<pid>/task/*/schedstat`` (ns), a thread that ends keeping what it had spent.  A miss (computed) and a
hit (kept, api/cache.py) are both in each endpoint's mean, as under load.

Prints the total and, per endpoint, the mean and the sum; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_latency import OUT, _free_port, load, wait_healthy
from api_load import workload


class ThreadCpu:
    """CPU nanoseconds of a process, summed over its threads, those that ended included (at their last
    reading: a thread ending between two readings loses what it ran since the first)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.last: dict[str, int] = {}
        self.ended = 0

    def __call__(self) -> int:
        now: dict[str, int] = {}
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            try:
                now[task.name] = int((task / "schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
        self.ended += sum(ns for tid, ns in self.last.items() if tid not in now)
        self.last = now
        return sum(now.values()) + self.ended


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--per-article", type=int, default=20)
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--db", default=None, help="Database URL (default: SQLite in bench/out/)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = args.db or f"sqlite:///{OUT / f'api_{args.events}.db'}"
    n_articles = args.events // args.per_article
    load(url, n_articles, args.per_article)
    port = _free_port()
    env = {**os.environ, "EVENTWIRE_API_TOKEN": ""}
    proc = subprocess.Popen([sys.executable, "-m", "eventwire", "serve", "--db", url, "--port", str(port),
                             "--workers", "1"], env=env, stdout=subprocess.DEVNULL)
    try:
        base = wait_healthy(proc, f"http://127.0.0.1:{port}", tries=600)
        endpoints = workload(base, n_articles)
        rng = random.Random(5)  # bench/api_load.py's draws
        names = list(endpoints)
        warm = [(n, endpoints[n]()) for n in names for _ in range(3)]
        jobs = [(n, endpoints[n]()) for n in (rng.choice(names) for _ in range(args.requests))]
        cpu = ThreadCpu(proc.pid)
        per: dict[str, list[float]] = {n: [] for n in names}
        with httpx.Client(base_url=base, timeout=120) as c:
            for _, path in warm:
                c.get(path)
            load_before = os.getloadavg()
            start = cpu()
            t0 = time.perf_counter()
            for name, path in jobs:
                before = cpu()
                if c.get(path).status_code != 200:
                    raise SystemExit(f"{path}: not 200")
                per[name].append((cpu() - before) / 1e6)
            wall = time.perf_counter() - t0
            total = (cpu() - start) / 1e9
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"{url.split('@')[-1]}: {args.requests} requests one at a time, 1 server process, {os.cpu_count()} "
          f"CPUs, load average {load_before[0]:.2f} -> {os.getloadavg()[0]:.2f}")
    print(f"  server CPU {total:.2f} s ({total / args.requests * 1000:.2f} ms/request), wall {wall:.1f} s")
    for name, ms in per.items():
        print(f"  {name:28s} n {len(ms):5d}  CPU mean {statistics.mean(ms):6.2f} ms  "
              f"sum {sum(ms) / 1000:5.2f} s  max {max(ms):6.1f} ms")


if __name__ == "__main__":
    main()
