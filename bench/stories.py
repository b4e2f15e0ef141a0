"""Online story assignment at scale: articles/s, CPU per article and memory with 10k and 100k articles stored.

    python bench/stories.py [--sizes 10000,100000] [--measure 500] [--db PATH]

1. Fill: synthetic articles (invented names, places and story words, no spaCy: text, title, date, URL)
   grouped in stories of 1-8 reports from different outlets, one in ten reports a light rewrite of another
   (a copy).  The index tables are written as the online assignment would leave them had it found every
   synthetic story: each article's vectors under the document frequencies so far, summed per story, the
   story's salient terms posted (a fill through ``ingest``'s own path cost 37 ms of wall time per article on
   the shared 2-core machine: an hour to 100k).  The SQLite file is kept in bench/out/ and reused: a rerun
   continues from what it holds.
2. Measure: at each size, ``--measure`` further articles go exactly through ``eventwire ingest``'s path
   (``SqlStore.put``, then ``StoryKeeper.add``: copy look-up by MinHash bands, online assignment, flags,
   one transaction each); ``StoryKeeper.add`` alone is timed (wall and process CPU time).

Prints a table and writes bench/out/stories.json.  Asserts nothing (the target, < 20 ms CPU per article at
100k stored, is read by people).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "src"))

from eventwire.aggregate.online import StoryKeeper  # noqa: E402
from eventwire.aggregate.stories import (  # noqa: E402
    _PREFIXES,
    StoryOptions,
    _add,
    _flat,
    _tf_idf,
    _top,
    _unit,
    article_terms,
    story_id_for,
)
from eventwire.model import Article  # noqa: E402
from eventwire.store import SqlStore  # noqa: E402
from eventwire.store.stories import DOCUMENTS  # noqa: E402
from eventwire.store.tables import article_stories, stories, story_df, story_keys, story_terms  # noqa: E402
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
    """Endless (story number, article) pairs: stories of several reports, some copies, days advancing."""
    rng = random.Random(seed)
    day, n, number = 0, 0, 0
    while True:
        story = _Story(rng, day)
        number += 1
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
            yield number, make_article(text, title=f"{story.place}: {story.topic} {story.numbers[0]}",
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
    with store.engine.connect() as conn:
        return int(conn.execute(select(story_df.c.df).where(story_df.c.term == DOCUMENTS)).scalar() or 0)


class _Filler:
    """Writes the index tables for whole synthetic stories (see the module docstring), in bulk."""

    def __init__(self, store: SqlStore, options: StoryOptions) -> None:
        self.store, self.options = store, options
        with store.engine.connect() as conn:
            self.df: Counter[str] = Counter({t: int(n) for t, n in conn.execute(select(story_df.c.term,
                                                                                        story_df.c.df))})
        self.documents = self.df.pop(DOCUMENTS, 0)

    def write(self, stories_batch: list[list[Article]]) -> None:
        opts = self.options
        story_rows, term_rows, key_rows, member_rows = [], [], [], []
        counted: Counter[str] = Counter()
        for reports in stories_batch:
            # a copy of a copy can repeat a text exactly: one article, as the store keeps it
            members = list({a.id: a for a in reports}.values())
            sums: list[dict[str, float]] = [{}, {}]
            for article in members:
                terms = article_terms(article, opts)
                keys = [p + t for part, p in zip(terms.parts(), _PREFIXES, strict=True) for t in part]
                self.df.update(keys)
                counted.update(keys)
                self.documents += 1
                for i, (part, prefix) in enumerate(zip(terms.parts(), _PREFIXES, strict=True)):
                    raw = {t: _tf_idf(c, self.df[prefix + t], self.documents, opts) for t, c in part.items()}
                    _add(sums[i], _unit(_top({t: x for t, x in raw.items() if x > 0}, opts.max_terms)), 1.0)
            parts = [_top(total, opts.max_terms) for total in sums]
            sid = story_id_for(members[0].id)
            norms = [math.sqrt(sum(x * x for x in part.values())) for part in parts]
            story_rows.append({"id": sid, "title": members[0].title, "first_published": members[0].published,
                               "last_published": members[-1].published, "articles": len(members),
                               "norm_words": norms[0], "norm_names": norms[1], "seq": self.documents})
            term_rows += [{"story_id": sid, "term": t, "weight": w} for t, w in _flat(parts).items()]
            salient = _top(_flat([_unit(part) for part in parts]), opts.query_terms)
            key_rows += [{"term": t, "story_id": sid, "seq": self.documents} for t in salient]
            member_rows += [{"article_id": a.id, "story_id": sid, "duplicate_of": None, "seq": self.documents}
                            for a in members]
        counted[DOCUMENTS] = len(member_rows)
        with self.store.transaction() as conn:
            for table, rows in ((stories, story_rows), (story_terms, term_rows), (story_keys, key_rows),
                                (article_stories, member_rows)):
                for i in range(0, len(rows), 5000):
                    conn.execute(table.insert(), rows[i:i + 5000])
            df_rows = [{"term": t, "df": n} for t, n in sorted(counted.items())]
            stmt = sqlite_insert(story_df)
            stmt = stmt.on_conflict_do_update(index_elements=[story_df.c.term],
                                              set_={"df": story_df.c.df + stmt.excluded.df})
            for i in range(0, len(df_rows), 5000):
                conn.execute(stmt, df_rows[i:i + 5000])


def _ingest(store: SqlStore, keeper: StoryKeeper, article: Article) -> tuple[float, float] | None:
    """``ingest``'s path for one article; the wall and CPU seconds of its story assignment (None when the
    store already holds its text, as ingest then assigns nothing)."""
    if store.put(article) == "unchanged":
        return None
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
    filler = _Filler(store, keeper.options)
    pending: tuple[int, Article] | None = None
    results: list[dict[str, Any]] = []
    t_fill = time.perf_counter()
    for size in sizes:
        while have < size:
            batch: list[list[Article]] = []
            current = -1
            while have < size:
                number, article = pending or next(source)
                pending = None
                if number != current:
                    if len(batch) >= 500:
                        pending = (number, article)
                        break
                    batch.append([])
                    current = number
                batch[-1].append(article)
                have += 1
            filler.write(batch)
            print(f"  filled {have} ({time.perf_counter() - t_fill:.0f} s)", file=sys.stderr, flush=True)
        walls, cpus = [], []
        for _ in range(args.measure):
            # the reports after the fill, as they arrive (a story cut at the size goes on among them)
            _, article = pending or next(source)
            pending = None
            timed = _ingest(store, keeper, article)
            if timed is not None:
                walls.append(timed[0])
                cpus.append(timed[1])
            have += 1
        keeper.touched.clear()  # incidents are rebuilt per run, not per article: not part of this cost
        walls.sort()
        cpus.sort()
        with store.engine.connect() as conn:
            n_stories = int(conn.execute(select(func.count()).select_from(stories)).scalar() or 0)
        results.append({
            "stored": size, "stories": n_stories, "measured": len(walls),
            "articles_per_s": round(len(walls) / sum(walls), 1),
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
