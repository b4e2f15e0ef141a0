"""Online story assignment at scale: articles/s, CPU per article and memory with 10k and 100k articles stored.

    python bench/stories.py [--sizes 10000,100000] [--measure 500] [--db PATH]

1. Fill: synthetic articles (invented names, places and story words, no spaCy: text, title, date, URL)
   grouped in stories of 1-8 reports from different outlets, one in ten reports a light rewrite of another
   (a copy), are assigned to stories by the online assignment itself (``OnlineStories`` over the store's
   index tables), 1,000 per transaction and without the articles table (a fill through ``ingest``'s path
   costs ~25 ms of wall time per article, 40 minutes to 100k).  The SQLite file is kept in bench/out/ and
   reused: a rerun continues from what it holds.
2. Measure: at each size, ``--measure`` further articles go exactly through ``eventwire ingest``'s path
   (``SqlStore.put``, then ``StoryKeeper.add``: copy look-up by MinHash bands, online assignment, flags,
   one transaction each); ``StoryKeeper.add`` alone is timed (wall and process CPU time).

Prints a table and writes bench/out/stories.json.  Asserts nothing (the target, < 20 ms CPU per article at
100k stored, is read by people).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "src"))

from eventwire.aggregate.online import StoryKeeper  # noqa: E402
from eventwire.aggregate.stories import OnlineStories  # noqa: E402
from eventwire.model import Article  # noqa: E402
from eventwire.store import SqlStore  # noqa: E402
from eventwire.store.stories import SqlStoryBackend  # noqa: E402
from eventwire.store.tables import article_stories, stories  # noqa: E402
from eventwire.testing import make_article  # noqa: E402

SYLLABLES = ["ka", "lo", "ve", "mi", "ra", "to", "su", "ne", "di", "ba", "re", "an", "or", "el", "is", "ur",
             "ta", "mo", "li", "za", "po", "ge", "fa", "hu"]
TOPICS = {
    "flood": ["flood", "river", "rain", "evacuated", "dam", "rescue", "water", "homes", "villages"],
    "strike": ["strike", "workers", "union", "wages", "factory", "walkout", "pickets", "management"],
    "election": ["election", "votes", "ballot", "candidate", "turnout", "polls", "count", "campaign"],
    "protest": ["protest", "march", "crowd", "police", "square", "demonstrators", "banners", "tear gas"],
    "quake": ["earthquake", "magnitude", "tremor", "rubble", "collapsed", "aftershock", "survivors"],
    "talks": ["talks", "delegation", "ceasefire", "agreement", "envoy", "negotiators", "summit"],
    "fire": ["fire", "blaze", "firefighters", "smoke", "forest", "hectares", "wind", "evacuation"],
    "trial": ["trial", "court", "judge", "verdict", "prosecutors", "defence", "witness", "sentence"],
}
FILLER = ["officials said", "according to local media", "witnesses told reporters", "the statement said",
          "a spokesperson added", "residents said", "the agency reported", "sources confirmed"]
OUTLETS = [f"outlet{i}.example" for i in range(60)]
_POOL = random.Random(0)
VOCABULARY = ["".join(_POOL.choice(SYLLABLES) for _ in range(_POOL.randint(2, 4))) for _ in range(20_000)]


def _name(rng: random.Random, parts: int = 2) -> str:
    stem = "".join(rng.choice(SYLLABLES) for _ in range(parts))
    return stem.capitalize() + rng.choice(["n", "s", "r", "k"])


class _Story:
    def __init__(self, rng: random.Random, day: int) -> None:
        self.topic = rng.choice(list(TOPICS))
        self.people = [f"{_name(rng)} {_name(rng, 3)}" for _ in range(3)]
        self.place = _name(rng, 3)
        self.org = _name(rng) + " " + rng.choice(["Council", "Agency", "Party", "Union", "Group"])
        self.numbers = [str(rng.randint(3, 900)) for _ in range(3)]
        # each real story has words of its own (the ship's name, the law, the disease): invented ones here,
        # drawn from a large pool so that stories share some of them, as news vocabulary does
        self.words = [rng.choice(VOCABULARY) for _ in range(30)]
        self.day = day
        self.reports = rng.choice([1, 1, 2, 3, 3, 4, 5, 8])


def _text(rng: random.Random, s: _Story) -> str:
    topic = TOPICS[s.topic]
    sentences = []
    for _ in range(rng.randint(8, 14)):
        w = rng.sample(s.words, 4)
        sentences.append(f"{rng.choice(s.people)} of the {s.org} said the {rng.choice(topic)} in {s.place} "
                         f"left {rng.choice(s.numbers)} {w[0]} and {w[1]} near the {w[2]} {w[3]}, "
                         f"{rng.choice(FILLER)}.")
    return " ".join(sentences)


def synthetic(seed: int) -> Any:
    """Endless (article, is_copy) pairs: stories of several reports, some copies, days advancing."""
    rng = random.Random(seed)
    day, n = 0, 0
    while True:
        story = _Story(rng, day)
        texts: list[str] = []
        for r in range(story.reports):
            if texts and rng.random() < 0.1:
                words = rng.choice(texts).split()
                text = "Updated: " + " ".join(words[:-5])  # a syndicated copy with a new lede, cut short
            else:
                text = _text(rng, story)
            texts.append(text)
            n += 1
            when = f"2030-01-01T00:00:00+{(story.day + r) % 24:02d}:00"
            yield make_article(text, title=f"{story.place}: {story.topic} {' '.join(story.numbers[:1])}",
                               published=when.replace("2030-01-01", _day(story.day + r // 3)),
                               url=f"https://{rng.choice(OUTLETS)}/{n}", input_id=f"s{n}")
        if rng.random() < 0.02:
            day += 1


def _day(offset: int) -> str:
    import datetime as dt

    return (dt.date(2030, 1, 1) + dt.timedelta(days=offset)).isoformat()


def _rss_mb() -> float:
    try:
        import psutil

        return float(psutil.Process().memory_info().rss) / 2**20
    except ImportError:  # pragma: no cover - psutil is a dev dependency
        return float("nan")


def _stored(store: SqlStore) -> int:
    from sqlalchemy import func, select

    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(article_stories)).scalar() or 0)


def _add(store: SqlStore, keeper: StoryKeeper, article: Article) -> tuple[float, float]:
    store.put(article)
    wall, cpu = time.perf_counter(), time.process_time()
    keeper.add(article)
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000", help="stored articles at which to measure")
    ap.add_argument("--measure", type=int, default=500, help="articles timed at each size")
    ap.add_argument("--db", type=Path, default=OUT / "stories.db")
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args(argv)
    sizes = sorted(int(x) for x in args.sizes.split(","))
    args.db.parent.mkdir(parents=True, exist_ok=True)
    store = SqlStore.from_url(f"sqlite:///{args.db}")
    keeper = StoryKeeper(store)
    have = _stored(store)
    source = synthetic(args.seed)
    for _ in range(have):  # the generator is deterministic: skip what the file holds
        next(source)
    results: list[dict[str, Any]] = []
    t_fill = time.perf_counter()
    for size in sizes:
        while have < size:
            batch = [next(source) for _ in range(min(1000, size - have))]
            with store.transaction() as conn:
                online = OnlineStories(SqlStoryBackend(conn), keeper.options)
                for article in batch:
                    online.add(article)
            have += len(batch)
            if have % 5000 == 0:
                print(f"  filled {have} ({time.perf_counter() - t_fill:.0f} s)", file=sys.stderr, flush=True)
        walls, cpus = [], []
        for _ in range(args.measure):
            wall, cpu = _add(store, keeper, next(source))
            walls.append(wall)
            cpus.append(cpu)
            have += 1
        keeper.touched.clear()  # incidents are rebuilt per run, not per article: not part of this cost
        walls.sort()
        cpus.sort()
        with store.engine.connect() as conn:
            from sqlalchemy import func, select

            n_stories = int(conn.execute(select(func.count()).select_from(stories)).scalar() or 0)
        results.append({
            "stored": size, "stories": n_stories, "measured": args.measure,
            "articles_per_s": round(args.measure / sum(walls), 1),
            "cpu_ms_mean": round(1000 * sum(cpus) / len(cpus), 2),
            "cpu_ms_p95": round(1000 * cpus[int(0.95 * (len(cpus) - 1))], 2),
            "wall_ms_p50": round(1000 * walls[len(walls) // 2], 2),
            "wall_ms_p95": round(1000 * walls[int(0.95 * (len(walls) - 1))], 2),
            "rss_mb": round(_rss_mb(), 1), "db_mb": round(os.path.getsize(args.db) / 2**20, 1)})
    store.close()
    print(f"{'stored':>8} {'stories':>8} {'art/s':>7} {'cpu ms':>7} {'cpu p95':>8} {'wall p50':>9} "
          f"{'wall p95':>9} {'rss MB':>7} {'db MB':>7}")
    for r in results:
        print(f"{r['stored']:>8} {r['stories']:>8} {r['articles_per_s']:>7} {r['cpu_ms_mean']:>7} "
              f"{r['cpu_ms_p95']:>8} {r['wall_ms_p50']:>9} {r['wall_ms_p95']:>9} {r['rss_mb']:>7} "
              f"{r['db_mb']:>7}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "stories.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
