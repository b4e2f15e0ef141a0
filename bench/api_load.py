"""Concurrent load on a served store: requests/s and latency percentiles of a mixed workload.

    python bench/api_load.py [--events 1000000] [--requests 3000] [--concurrency 20] [--workers 2] [--db URL]

1. The store: the one bench/api_latency.py builds in bench/out/ (built here the same way if missing).
2. Serve: ``eventwire serve --workers N`` (the command users run, N server processes) in a subprocess on
   127.0.0.1, a free port.
3. Load: ``--concurrency`` keep-alive connections, each sending its next request as soon as the previous
   answer is read, until ``--requests`` answers (after a warm-up of 3 requests per endpoint, untimed).  The
   mix is 12 endpoints in equal shares, drawn with a fixed seed: the overview page (unfiltered and by type),
   the search page and the JSON text search, events by actor and by type and month, a country's timeline,
   an article (JSON and page), an entity (JSON and page), attributions by source.
   The client is a minimal HTTP/1.1 client on asyncio streams, in this one process: on a 2-core machine it
   shares the cores with the server, so it is kept as cheap as it can be; its own CPU time is printed beside
   the server's (from /proc) so a reader can see what the server had.  Each server process's CPU seconds are
   printed too: a keep-alive connection stays with the process that accepted it, so one process may serve
   more of the 20 than the other and reach a full core first (seen: 14.5 and 8.0 s in a 14.8 s run).

Prints overall requests/s, p50/p95/p99, errors, and per endpoint; writes bench/out/api_load.json.  Asserts
nothing (targets are read by people: issue 9 asks >= 200 req/s, p99 < 250 ms, 0 errors; search p95 < 100 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_latency import OUT, PLACES, _cpu_seconds, _free_port, load, wait_healthy

TYPES = ["PROTEST", "ASSAULT", "CONSULT", "ACCUSE", "COERCE", "AID"]


def serve(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "EVENTWIRE_API_TOKEN": ""}
    # --workers only when > 1: the same command then also runs an eventwire from before the option (one
    # process), for a before/after comparison on one machine
    more = ["--workers", str(workers)] if workers != 1 else []
    proc = subprocess.Popen([sys.executable, "-m", "eventwire", "serve", "--db", url, "--port", str(port),
                             *more], env=env)
    return proc, wait_healthy(proc, f"http://127.0.0.1:{port}", tries=600)


def _tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and its children (uvicorn's workers)."""
    total = _cpu_seconds(pid) or 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(_tree_cpu(int(c)) for c in children)


def _worker_cpu(pid: int) -> dict[int, float]:
    """CPU seconds of each child of ``pid`` (uvicorn's worker processes)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return {}
    return {int(c): _tree_cpu(int(c)) for c in children}


def _month(rng: random.Random) -> str:
    return f"2024-{rng.randint(1, 12):02d}"


def workload(base: str, n_articles: int) -> dict[str, Any]:
    """The 12 endpoints, each a function giving the next path (parameters drawn with a fixed seed)."""
    rng = random.Random(11)
    with httpx.Client(base_url=base, timeout=120) as c:
        people = c.get("/api/entities", params={"type": "PERSON", "limit": 200}).json()["items"]
        ids = [a["id"] for a in c.get("/api/articles", params={
            "limit": 500, "offset": rng.randrange(max(n_articles - 500, 1))}).json()["items"]]
    keys = [e["key"] for e in people]
    names = [e["name"] for e in people]

    def path(p: str, **params: Any) -> str:
        return p + ("?" + urlencode(params) if params else "")

    return {
        "overview": lambda: "/",
        "overview by type": lambda: path("/", type=rng.choice(TYPES)),
        "search page": lambda: path("/search", q=rng.choice(names)),
        "search (API events q)": lambda: path("/api/events", q=rng.choice(names)),
        "events by actor": lambda: path("/api/events", actor=rng.choice(keys)),
        "events by type and month": lambda: path("/api/events", type=rng.choice(TYPES),
                                                 date_from=(m := _month(rng)), date_to=m),
        "timeline for a country": lambda: path("/api/timeline", country=rng.choice(PLACES)[1]),
        "article (API)": lambda: f"/api/articles/{rng.choice(ids)}",
        "article page": lambda: f"/articles/{rng.choice(ids)}",
        "entity (API)": lambda: f"/api/entities/{quote(rng.choice(keys), safe=':')}",
        "entity page": lambda: f"/entities/{quote(rng.choice(keys), safe=':')}",
        "attributions by source": lambda: path("/api/attributions", source_entity=rng.choice(keys)),
    }


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str) -> int:
    """One GET on a kept-alive connection; the status (the body is read and dropped)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: identity\r\n\r\n".encode())
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length, chunked = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while size := int((await reader.readline()).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readline()
    elif length:
        await reader.readexactly(length)
    return status


async def run_load(base: str, jobs: list[tuple[str, str]], concurrency: int) -> list[tuple[str, float, int]]:
    host_port = base.removeprefix("http://")
    host, port = host_port.split(":")
    queue = list(reversed(jobs))
    results: list[tuple[str, float, int]] = []

    async def client() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while queue:
                name, path = queue.pop()
                t0 = time.perf_counter()
                try:
                    status = await _get(reader, writer, host_port, path)
                except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
                    status = 0  # a broken connection: an error, and a new connection for the next request
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                results.append((name, (time.perf_counter() - t0) * 1000, status))
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return results


def _pcts(ms: list[float]) -> dict[str, float]:
    if len(ms) < 2:
        return {"p50": ms[0] if ms else 0.0, "p95": ms[0] if ms else 0.0, "p99": ms[0] if ms else 0.0}
    q = statistics.quantiles(ms, n=100)
    return {"p50": round(q[49], 1), "p95": round(q[94], 1), "p99": round(q[98], 1)}


def measure(url: str, args: argparse.Namespace) -> dict[str, Any]:
    n_articles = args.events // args.per_article
    load(url, n_articles, args.per_article)
    proc, base = serve(url, args.workers)
    try:
        endpoints = workload(base, n_articles)
        rng = random.Random(5)
        names = list(endpoints)
        warm = [(n, endpoints[n]()) for n in names for _ in range(3)]
        asyncio.run(run_load(base, warm, min(args.concurrency, len(warm))))
        jobs = [(n, endpoints[n]()) for n in (rng.choice(names) for _ in range(args.requests))]
        load_before = os.getloadavg()
        cpu_server0 = _tree_cpu(proc.pid)
        cpu_workers0 = _worker_cpu(proc.pid)
        cpu_client0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        results = asyncio.run(run_load(base, jobs, args.concurrency))
        wall = time.perf_counter() - t0
        cpu_client1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu_server = _tree_cpu(proc.pid) - cpu_server0
        cpu_workers = sorted(round(v - cpu_workers0.get(k, 0.0), 1) for k, v in _worker_cpu(proc.pid).items())
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    client_cpu = (cpu_client1.ru_utime + cpu_client1.ru_stime) - (cpu_client0.ru_utime + cpu_client0.ru_stime)
    ms = [r[1] for r in results]
    errors = sum(1 for r in results if r[2] != 200)
    overall = {"requests": len(results), "seconds": round(wall, 2),
               "req_per_s": round(len(results) / wall, 1), **_pcts(ms), "errors": errors,
               "server_cpu_s": round(cpu_server, 1), "worker_cpu_s": cpu_workers,
               "client_cpu_s": round(client_cpu, 2), "loadavg_before": load_before,
               "loadavg_after": os.getloadavg()}
    per = {}
    for name in names:
        mine = [r[1] for r in results if r[0] == name]
        per[name] = {"n": len(mine), **_pcts(mine),
                     "errors": sum(1 for r in results if r[0] == name and r[2] != 200)}
    return {"url": url.split("@")[-1], "events": args.events, "workers": args.workers,
            "concurrency": args.concurrency, "overall": overall, "endpoints": per}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--per-article", type=int, default=20)
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--concurrency", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2, help="server processes (eventwire serve --workers)")
    ap.add_argument("--db", default=None, help="Database URL (default: SQLite in bench/out/)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = args.db or f"sqlite:///{OUT / f'api_{args.events}.db'}"
    report = measure(url, args)
    o = report["overall"]
    print(f"{report['url']}: {args.requests} requests, concurrency {args.concurrency}, {args.workers} server "
          f"processes, {os.cpu_count()} CPUs")
    print(f"  overall: {o['req_per_s']} req/s  p50 {o['p50']} ms  p95 {o['p95']} ms  p99 {o['p99']} ms  "
          f"errors {o['errors']}  (CPU s: server {o['server_cpu_s']}, per process {o['worker_cpu_s']}, "
          f"load client {o['client_cpu_s']}, wall {o['seconds']})")
    for name, e in report["endpoints"].items():
        print(f"  {name:28s} n {e['n']:5d}  p50 {e['p50']:7.1f}  p95 {e['p95']:7.1f}  p99 {e['p99']:7.1f} ms"
              f"  errors {e['errors']}")
    report["machine"] = {"cpus": os.cpu_count()}
    (OUT / "api_load.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"wrote {OUT / 'api_load.json'}")


if __name__ == "__main__":
    main()
