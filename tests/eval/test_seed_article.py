"""The sample article our users feed in (../shared/samples/seed-article.txt, third-party: read, never copied)
keeps every event it had right, with the phone call's actor and target (skips without ../shared)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from eventwire.model import Article, ArticleInput
from eventwire.readers import read_paths

pytestmark = [pytest.mark.model, pytest.mark.eval]

ROOT = Path(__file__).resolve().parents[2]
SEED = Path(os.environ.get("EVENTWIRE_SHARED", ROOT.parent / "shared")) / "samples" / "seed-article.txt"


@pytest.mark.skipif(not SEED.exists(), reason="no ../shared/samples beside the checkout")
def test_seed_article_events(analyzer: Any) -> None:
    # read as a user's file is read: the reader strips the debris and finds the publication time
    inputs = [x for x in read_paths([SEED]) if isinstance(x, ArticleInput)]
    (article,) = analyzer.analyze(inputs)
    assert isinstance(article, Article)
    got = {(e.type, e.trigger.text): e for e in article.events}

    def who(arg: Any) -> str:
        return arg.span.text if arg is not None and arg.span is not None else ""

    call = got[("CONSULT", "spoke")]
    assert "Trump" in who(call.actor) and "Maduro" in who(call.target) and call.mode == "PHONE"
    for kind, trigger in [("AGREE", "offered"), ("REQUEST", "demanded"), ("COERCE", "closing"),
                          ("THREATEN", "operations"), ("MOBILIZE", "warships"), ("SANCTION", "placed"),
                          ("ASSAULT", "attacks"), ("ACCUSE", "accused")]:
        assert (kind, trigger) in got, sorted(got)
    assert str(got[("REQUEST", "demanded")].factuality) == "alleged"
    # "the US government has set up a threat base with warships off Venezuela": its ships, towards Venezuela
    warships = got[("MOBILIZE", "warships")]
    assert "government" in who(warships.actor) and "Venezuela" in who(warships.target)
    closing = got[("COERCE", "closing")]
    assert closing.date is not None and closing.date.value == "2025-11-29"
    # a demand to resign is in the text as well as Maduro's own demands
    assert sum(1 for kind, _ in got if kind == "REQUEST") >= 2
    assert not [k for k in got if k in {("REJECT", "took"), ("RETREAT", "ended"), ("CONCEDE", "allowed")}]
