"""Writer for the kill test: puts invented articles forever, announcing each before and after.

    python store_kill_writer.py DB_URL FIRST [PAUSE_AT]

prints "begin N" just before ``put(make_article(N))`` and "stored N" after its commit, for N = FIRST, ...
With PAUSE_AT, the put of article PAUSE_AT stops inside its transaction (after the entity rows, before
the mention rows), prints "inside N" and sleeps, so that a kill is sure to land mid-transaction.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import event
from store_factory import make_article

from eventwire.store import SqlStore
from eventwire.store.tables import entities

SENTENCES = 60  # ~35 entities, ~200 mentions, 60 times: a put spends milliseconds inside its transaction


def main() -> None:
    url, first = sys.argv[1], int(sys.argv[2])
    pause_at = int(sys.argv[3]) if len(sys.argv) > 3 else None
    current = [first]
    with SqlStore.from_url(url) as store:

        @event.listens_for(store.engine, "after_execute")
        def _pause(conn: Any, clause: Any, *_args: Any) -> None:
            if current[0] == pause_at and getattr(clause, "table", None) is entities:
                print(f"inside {current[0]}", flush=True)
                time.sleep(60)

        n = first
        while True:
            article = make_article(n, sentences=SENTENCES)
            current[0] = n
            print(f"begin {n}", flush=True)
            store.put(article)
            print(f"stored {n}", flush=True)
            n += 1


if __name__ == "__main__":
    main()
