"""The sha256 of every body of a fixed list of GETs on the big store: a change meant to make a response
cheaper must leave it the same bytes.

    python bench/api_bodies.py [--events 1000000] [--db URL] [--out bench/out/api_bodies.json]

The app is built in this process (FastAPI's TestClient, a cache of its own: every body computed), over the
store bench/api_latency.py builds.  The list (~870 GETs at 1M events): the overview and its type filters,
country timelines; 60 entities (the 40 and the 10 least named of the 200 people the benchmarks ask for, 5
places, 5 organisations) through the API (default limit and 100), the page, their events as actor and target
and their attributions; 60 searches (those people's names and words, parts, cases, misses) through the search
page, the events API (first page, second page, oldest first), articles, attributions, entities and the
overview; 10 articles as JSON and page.  Prints the sha256 over all of them and writes each one's to
``--out``, to find which moved: run it on the build before and after, compare.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_latency import OUT, load

TYPES = ["PROTEST", "ASSAULT", "CONSULT", "ACCUSE", "COERCE", "AID"]
COUNTRIES = ["PRT", "DEU", "ITA", "POL", "FRA", "NOR", "IRN"]
WORDS = ["Ana", "Ortiz", "ana ortiz", "Velmora", "police", "zz", "Qx", "Sato", "a Or", "no such name"]


def paths(client: object) -> list[str]:
    from fastapi.testclient import TestClient

    assert isinstance(client, TestClient)

    def items(**params: object) -> list[dict[str, str]]:
        found: list[dict[str, str]] = client.get("/api/entities", params=params).json()["items"]
        return found

    people = items(type="PERSON", limit=200)
    named = people[:40] + people[-10:] + items(type="GPE", limit=5) + items(type="ORG", limit=5)
    keys = [p["key"] for p in named]
    out = ["/", *[f"/?type={t}" for t in TYPES], *[f"/api/timeline?country={c}" for c in COUNTRIES]]
    for k in keys:
        qk = quote(k, safe=":")
        out += [f"/api/entities/{qk}", f"/entities/{qk}", f"/api/entities/{qk}?limit=100",
                f"/api/events?{urlencode({'actor': k})}", f"/api/events?{urlencode({'target': k})}",
                f"/api/attributions?{urlencode({'source_entity': k})}"]
    for q in [p["name"] for p in people[:40] + people[-10:]] + WORDS:
        out += [f"/search?{urlencode({'q': q})}", f"/api/events?{urlencode({'q': q})}",
                f"/api/events?{urlencode({'q': q, 'offset': 50})}",
                f"/api/events?{urlencode({'q': q, 'sort': 'date'})}", f"/api/articles?{urlencode({'q': q})}",
                f"/api/attributions?{urlencode({'q': q})}", f"/api/entities?{urlencode({'q': q})}",
                f"/?{urlencode({'q': q})}"]
    ids = [a["id"] for a in client.get("/api/articles", params={"limit": 10, "offset": 1234}).json()["items"]]
    return out + [f"/api/articles/{i}" for i in ids] + [f"/articles/{i}" for i in ids]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--per-article", type=int, default=20)
    ap.add_argument("--db", default=None, help="Database URL (default: SQLite in bench/out/)")
    ap.add_argument("--out", type=Path, default=OUT / "api_bodies.json")
    args = ap.parse_args()
    from fastapi.testclient import TestClient

    from eventwire.api import create_app

    OUT.mkdir(parents=True, exist_ok=True)
    url = args.db or f"sqlite:///{OUT / f'api_{args.events}.db'}"
    load(url, args.events // args.per_article, args.per_article)
    each: dict[str, list[object]] = {}
    total = hashlib.sha256()
    with TestClient(create_app(url)) as client:
        for path in paths(client):
            r = client.get(path)
            digest = hashlib.sha256(r.content).hexdigest()
            each[path] = [r.status_code, digest]
            total.update(f"{path} {r.status_code} {digest}\n".encode())
    args.out.write_text(json.dumps(each, indent=0), encoding="utf-8")
    print(f"{len(each)} bodies, sha256 of all: {total.hexdigest()} (each: {args.out})")


if __name__ == "__main__":
    main()
