"""API latency over a big synthetic store: p50/p95/p99 of the common queries from a client on loopback.

    python bench/api_latency.py [--events 1000000] [--per-article 20] [--db URL] [--requests 200]

1. Load: synthetic articles (invented names, no spaCy) with ``--per-article`` PLOVER events each, written
   with the row builders of ``SqlStore.put`` (so every table and index of the schema is filled as
   ``eventwire ingest`` fills it), 500 articles per transaction.  The SQLite file is kept in bench/out/ and
   reused when it already holds the requested number of articles (loading 1M events takes minutes).
   ``--db postgresql+psycopg://...`` loads into PostgreSQL instead (EVENTWIRE_BENCH_PG_URL runs both).
2. Serve: ``eventwire serve``'s app under uvicorn in a subprocess on 127.0.0.1 (a free port).
3. Measure: one client (httpx, keep-alive) sends ``--requests`` requests per query, varied parameters
   (actors, types, months, countries and article ids drawn with a fixed seed), after 20 warm-up requests each.
   Latency is wall time per request as the client sees it; the server's CPU time per request (from /proc)
   and the load average are printed beside it, since on a shared machine the tail is mostly waiting for a
   core.  Queries:
   events by actor, events by type and month, timeline for a country, article by id, plus entity page and
   attributions by source for reference, and the text search (``/api/events?q=`` and the search page) by a
   person's name.

Prints a table and writes bench/out/api_latency.json.  Asserts nothing (targets are read by people).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

FIRST = ["Ana", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ivo", "Jana", "Kofi", "Lina",
         "Marek", "Nadia", "Omar", "Petra", "Quinn", "Rosa", "Sami", "Tariq", "Uma", "Vera", "Wim", "Yara"]
LAST = ["Ortiz", "Keller", "Bellini", "Volkov", "Demir", "Nasser", "Petrov", "Sato", "Novak", "Horvat",
        "Mensah", "Haddad", "Kowalski", "Rahimi", "Said", "Lindqvist", "Moreau", "Santos", "Aziz", "Berg"]
PLACES = [("Velmora", "PRT"), ("Ostrand", "DEU"), ("Lunetta", "ITA"), ("Karsk", "POL"), ("Mirabel", "FRA"),
          ("Tovik", "NOR"), ("Zarin", "IRN"), ("Qorvath", "TUR"), ("Elbany", "EGY"), ("Rusca", "ROU"),
          ("Sallow", "GBR"), ("Pemba", "TZA"), ("Itaque", "BRA"), ("Koryo", "KOR"), ("Anaya", "MEX")]
ORGS = ["police", "army", "ministry", "parliament", "union", "court", "rebels", "council"]
VERBS = {"PROTEST": "marched against", "ASSAULT": "attacked", "CONSULT": "met", "ACCUSE": "accused",
         "COERCE": "detained", "AID": "helped", "THREATEN": "threatened", "REJECT": "rejected",
         "AGREE": "agreed with", "SUPPORT": "backed", "SANCTION": "sanctioned", "REQUEST": "asked",
         "COOPERATE": "worked with", "MOBILIZE": "deployed against", "CONCEDE": "yielded to",
         "RETREAT": "withdrew from"}


def synthetic_article(n: int, per_article: int) -> Any:
    """Article ``n``: ``per_article`` sentences "<actor> <verb> <target> in <place>.", one event each."""
    from eventwire.model import (
        Article,
        CharSpan,
        Entity,
        Event,
        EventArg,
        EventDate,
        EventPlace,
        Mention,
        Sentence,
        content_hash,
    )
    from eventwire.nlp.events.plover import type_names

    rng = random.Random(n)
    types = [t for t in type_names() if t in VERBS] or list(type_names())
    day = f"2024-{1 + n % 12:02d}-{1 + (n // 12) % 28:02d}"
    text = f"Synthetic report {n}. "
    sentences: list[Any] = []
    raw: list[tuple[Any, ...]] = []
    mentions: dict[tuple[str, str, str | None], list[CharSpan]] = {}
    for i in range(per_article):
        start = len(text)
        actor = f"{rng.choice(FIRST)} {rng.choice(LAST)}" if rng.random() < 0.6 else rng.choice(ORGS)
        target = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        place, country = rng.choice(PLACES)
        etype = rng.choice(types)
        spans = {}
        for role, s in (("actor", actor), ("verb", VERBS.get(etype, "acted on")), ("target", target),
                        ("place", place)):
            if role == "place":
                text += " in "
            elif role != "actor":
                text += " "
            spans[role] = CharSpan(len(text), len(text) + len(s), s)
            text += s
        text += ". "
        sentences.append(Sentence(CharSpan.of(text, start, len(text) - 1)))
        a_type = "ORG" if actor in ORGS else "PERSON"
        for key, span in (((a_type, actor, country if a_type == "ORG" else None), spans["actor"]),
                          (("PERSON", target, None), spans["target"]),
                          (("GPE", place, country), spans["place"])):
            mentions.setdefault(key, []).append(span)
        raw.append((i, etype, spans, actor, target, place, country, a_type))
    ids = {key: f"E{k + 1}" for k, key in enumerate(mentions)}
    entities = tuple(Entity(ids[key], key[0], key[1], tuple(Mention(s) for s in spans), country=key[2],
                            kb_id=f"bench:{key[1]}" if key[0] == "GPE" else None)
                     for key, spans in mentions.items())
    events = []
    for i, etype, spans, actor, target, place, country, a_type in raw:
        a_key = (a_type, actor, country if a_type == "ORG" else None)
        events.append(Event(
            f"V{i + 1}", etype, spans["verb"],
            actor=EventArg(spans["actor"], ids[a_key], actor, a_key[2]),
            target=EventArg(spans["target"], ids[("PERSON", target, None)], target, None),
            date=EventDate(day, "day", "published"),
            place=EventPlace(spans["place"], place, "place", country=country), sentence=i))
    text = text.rstrip()
    h = content_hash(text)
    return Article(id=h[:16], content_hash=h, text=text, source=f"bench/{n}", title=f"Synthetic report {n}",
                   url=f"https://bench.invalid/{n}", site="bench.invalid", published=day + "T09:00:00+00:00",
                   language="en", sentences=tuple(sentences), entities=entities, events=tuple(events))


def load(url: str, n_articles: int, per_article: int, *, batch: int = 500) -> dict[str, Any]:
    """Fill the store up to ``n_articles``: ``SqlStore.put``'s own row builders, ``batch`` articles per
    transaction (one put per article runs at ~20-50 articles/s on a busy 2-core machine: 20+ minutes for
    1M events; batched, the same rows go in several times faster)."""
    from eventwire.store import SqlStore
    from eventwire.store.aggregates import add_entity_counts, add_event_days, day_counts, entity_counts
    from eventwire.store.sql import _attribution_rows, _check_spans, _event_rows, _rows
    from eventwire.store.tables import articles, attributions, entities, events, mentions, times

    with SqlStore.from_url(url) as store:
        have = store.counts()["articles"]
        if have >= n_articles:
            print(f"reusing {url}: {have} articles", file=sys.stderr)
            return {"loaded": 0, "seconds": 0.0}
        t0 = time.perf_counter()
        for lo in range(have, n_articles, batch):
            rows: dict[Any, list[Any]] = {t: [] for t in (articles, entities, mentions, times, attributions,
                                                          events)}
            for n in range(lo, min(lo + batch, n_articles)):
                a = synthetic_article(n, per_article)
                _check_spans(a)
                art, ents, mens, tms = _rows(a)
                rows[articles].append(art)
                rows[entities] += ents
                rows[mentions] += mens
                rows[times] += tms
                rows[attributions] += _attribution_rows(a)
                rows[events] += _event_rows(a)
            with store.engine.begin() as conn:
                for table, items in rows.items():
                    if items:
                        conn.execute(table.insert(), items)
                add_event_days(conn, day_counts(rows[events]))  # as SqlStore.put does
                add_entity_counts(conn, entity_counts(rows[entities], rows[mentions], rows[events]))
            done = min(lo + batch, n_articles)
            rate = (done - have) / (time.perf_counter() - t0)
            print(f"  {done}/{n_articles} articles ({rate:.0f}/s)", file=sys.stderr, flush=True)
        return {"loaded": n_articles - have, "seconds": round(time.perf_counter() - t0, 1)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    code = ("import sys, uvicorn; from eventwire.api import create_app; "
            "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), "
            "log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code, url, str(port)])
    return proc, wait_healthy(proc, f"http://127.0.0.1:{port}", tries=300)


def wait_healthy(proc: subprocess.Popen[bytes], base: str, *, tries: int) -> str:
    """``base`` once the server answers /api/health (polled every 0.1 s); the process killed otherwise."""
    for _ in range(tries):
        try:
            if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                return base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of process ``pid`` (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(base: str, n_articles: int, requests: int, pid: int) -> dict[str, dict[str, float]]:
    """Latency percentiles per query, and the server's mean CPU time per request: on a shared machine the
    wall-clock tail is mostly waiting for a core, the CPU time is what the query costs."""
    from eventwire.nlp.events.plover import type_names

    rng = random.Random(7)
    with httpx.Client(base_url=base, timeout=60) as c:
        people = c.get("/api/entities", params={"type": "PERSON", "limit": 200}).json()["items"]
        actors = [e["key"] for e in people]
        names = [e["name"] for e in people]
        ids = [a["id"] for a in c.get("/api/articles", params={"limit": 500, "offset": rng.randrange(
            max(n_articles - 500, 1))}).json()["items"]]
        countries = [c for _, c in PLACES]
        queries = {
            "events by actor": lambda: ("/api/events", {"actor": rng.choice(actors)}),
            "events by type and month": lambda: ("/api/events", {
                "type": rng.choice(type_names()), "date_from": f"2024-{rng.randint(1, 12):02d}",
                "date_to": None}),
            "timeline for a country": lambda: ("/api/timeline", {"country": rng.choice(countries)}),
            "article by id": lambda: (f"/api/articles/{rng.choice(ids)}", {}),
            "attributions by source": lambda: ("/api/attributions", {"source_entity": rng.choice(actors)}),
            "entity page (API)": lambda: (f"/api/entities/{rng.choice(actors)}", {}),
            # issue 9: search p95 < 100 ms at 1M events (full-text; a name asked again is a cache hit)
            "search (API events q)": lambda: ("/api/events", {"q": rng.choice(names)}),
            "search page": lambda: ("/search", {"q": rng.choice(names)}),
        }
        out: dict[str, dict[str, float]] = {}
        for name, make in queries.items():
            times = []
            cpu0: float | None = None
            for i in range(20 + requests):
                if i == 20:
                    cpu0 = _cpu_seconds(pid)
                path, params = make()
                if name == "events by type and month":
                    params["date_to"] = params["date_from"]
                t0 = time.perf_counter()
                r = c.get(path, params={k: v for k, v in params.items() if v is not None})
                dt = (time.perf_counter() - t0) * 1000
                if r.status_code != 200:
                    raise SystemExit(f"{name}: {r.status_code} {r.text[:200]}")
                if i >= 20:
                    times.append(dt)
            cpu1 = _cpu_seconds(pid)
            cpu = None if cpu0 is None or cpu1 is None else (cpu1 - cpu0) * 1000 / len(times)
            q = statistics.quantiles(times, n=100)
            out[name] = {"p50": round(q[49], 1), "p95": round(q[94], 1), "p99": round(q[98], 1),
                         "max": round(max(times), 1), "n": len(times),
                         "server_cpu_ms": None if cpu is None else round(cpu, 1)}
            shown = "" if cpu is None else f"  server CPU {cpu:6.1f} ms/request"
            print(f"  {name:28s} p50 {q[49]:7.1f} ms  p95 {q[94]:7.1f} ms  p99 {q[98]:7.1f} ms{shown}",
                  flush=True)
    return out


def run(url: str, args: argparse.Namespace) -> dict[str, Any]:
    n_articles = args.events // args.per_article
    print(f"{url}: {n_articles} articles x {args.per_article} events", flush=True)
    loaded = load(url, n_articles, args.per_article)
    proc, base = serve(url)
    try:
        with httpx.Client(base_url=base) as c:
            health = c.get("/api/health").json()
            total = c.get("/api/events", params={"limit": 1}).json()["total"]
        print(f"  events in the store: {total} (events table: {health.get('events')})", flush=True)
        load_before = os.getloadavg()
        print("  load average (1, 5, 15 min): " + " ".join(f"{x:.2f}" for x in load_before), flush=True)
        results = measure(base, n_articles, args.requests, proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {"url": url.split("@")[-1], "articles": n_articles, "events": total, "load": loaded,
            "loadavg_before": load_before, "loadavg_after": os.getloadavg(), "latency_ms": results}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--per-article", type=int, default=20)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--db", default=None, help="Database URL (default: SQLite in bench/out/)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    urls = [args.db or f"sqlite:///{OUT / f'api_{args.events}.db'}"]
    if args.db is None and os.environ.get("EVENTWIRE_BENCH_PG_URL"):
        urls.append(os.environ["EVENTWIRE_BENCH_PG_URL"])
    runs = [run(u, args) for u in urls]
    report = {"machine": {"cpus": os.cpu_count(), "load": os.getloadavg()}, "runs": runs}
    (OUT / "api_latency.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"wrote {OUT / 'api_latency.json'}")


if __name__ == "__main__":
    main()
