"""A process killed with SIGKILL in the middle of ``put`` leaves no partial article behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_factory import make_article
from store_kill_writer import SENTENCES

from eventwire.model import Article
from eventwire.store import SqlStore

WRITER = Path(__file__).resolve().parent / "store_kill_writer.py"
RANDOM_ROUNDS = 3


def _run_and_kill(url: str, first: int, rng: random.Random, *, pause: bool) -> tuple[int, int]:
    """Start a writer and SIGKILL it during its target-th put: (puts reported committed, target's n).

    Without ``pause`` the kill comes a random 0-5 ms after the target put began (a put takes a few ms,
    so it lands before, inside or just after the transaction); with ``pause`` it comes while the writer
    sleeps inside the transaction.
    """
    target = first + rng.randint(1, 10)
    argv = [sys.executable, str(WRITER), url, str(first)] + ([str(target)] if pause else [])
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    committed = 0
    try:
        assert proc.stdout is not None
        while True:
            line = proc.stdout.readline()
            assert line, f"writer died early: {proc.stderr.read() if proc.stderr else ''}"
            word, n = line.split()
            if word == "stored":
                committed += 1
            elif word == "inside" or (word == "begin" and int(n) == target and not pause):
                time.sleep(0 if pause else rng.uniform(0, 0.005))
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return committed, target


def _check_complete(url: str, seed: int) -> list[Article]:
    """Every stored article equals the one that was put, and no row belongs to anything else."""
    with SqlStore.from_url(url) as store:
        stored = [store.get(s.id) for s in store.list_articles(limit=10_000)]
        counts = store.counts()
    articles = [a for a in stored if a is not None]
    assert len(articles) == len(stored)
    for a in articles:
        expected = make_article(int(a.metadata["n"]), sentences=SENTENCES)
        assert a == expected, f"seed {seed}: article {a.id} (n={a.metadata['n']}) is incomplete"
    assert counts == {
        "articles": len(articles),
        "analyzed": len(articles),
        "skipped": 0,
        "entities": sum(len(a.entities) for a in articles),
        "mentions": sum(len(e.mentions) for a in articles for e in a.entities),
        "times": sum(len(a.times) for a in articles),
    }, f"seed {seed}: rows of an article that is not there"
    return articles


@pytest.mark.slow
def test_sigkill_mid_put_leaves_no_partial_article(db_url: str) -> None:
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    SqlStore.from_url(db_url).close()  # create the schema before the first kill

    committed = 0
    for r in range(RANDOM_ROUNDS):
        committed += _run_and_kill(db_url, first=r * 1000, rng=rng, pause=False)[0]
        stored = _check_complete(db_url, seed)
        # Every put reported as committed survived the kill (the one killed may be there too).
        assert committed <= len(stored) <= committed + r + 1, f"seed {seed}"

    done, paused = _run_and_kill(db_url, first=RANDOM_ROUNDS * 1000, rng=rng, pause=True)
    stored = _check_complete(db_url, seed)
    ns = {int(a.metadata["n"]) for a in stored}
    assert paused not in ns, f"seed {seed}: the article killed inside its transaction is (partly) there"
    assert len(stored) >= committed + done
