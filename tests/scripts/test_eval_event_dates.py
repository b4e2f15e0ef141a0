"""scripts/eval_event_dates.py's alignment: a gold date is checked against the event stated in its evidence,
not against whichever event of its type a pairing picks (invented records only)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from eval_event_dates import aligned_dates


def _event(kind: str, start: int, end: int, value: str | None, source: str = "text") -> dict[str, Any]:
    return {"type": kind, "trigger": {"span": [start, end], "text": "x"},
            "date": {"value": value, "source": source} if value else None}


def test_each_gold_date_meets_the_event_in_its_evidence() -> None:
    # two accusations by one actor: the later one is the gold's; a pairing by type and actor could take the
    # first, dated otherwise
    gold = [{"id": "a", "published": "2031-06-10", "text": "", "events": [
        {"type": "ACCUSE", "date": "2031-06-09", "evidence_span": [100, 140]},
        {"type": "CONSULT", "date": "2031-06", "evidence_span": [200, 230]},
        {"type": "PROTEST", "date": "2031-06-08", "evidence_span": [300, 320]},  # nothing predicted there
        {"type": "ACCUSE", "date": None, "evidence_span": [400, 420]},  # no gold date: not counted
    ]}]
    pred = {"a": {"events": [_event("ACCUSE", 10, 16, "2031-06-01"), _event("ACCUSE", 110, 116, "2031-06-09"),
                             _event("CONSULT", 205, 208, "2031-06-03", "article")]}}
    counts, wrong = aligned_dates(gold, pred, {"a": "ours"}, lambda g, p: g == p, examples=5)
    assert (counts[("all", "n")], counts[("all", "ok")]) == (2, 2)  # a month gold accepts a day in it
    assert counts[("source=article", "ok")] == 1 and counts[("ours", "unmatched")] == 1
    assert wrong == []


def test_a_wrong_date_is_counted_and_shown() -> None:
    gold = [{"id": "b", "text": "",
             "events": [{"type": "ASSAULT", "date": "2031-06-09", "evidence_span": [0, 30]}]}]
    pred = {"b": {"events": [_event("ASSAULT", 3, 9, "2031-06-10", "published")]}}
    counts, wrong = aligned_dates(gold, pred, {"b": "ours"}, lambda g, p: g == p, examples=1)
    assert (counts[("all", "n")], counts[("all", "ok")], counts[("source=published", "n")]) == (1, 0, 1)
    assert len(wrong) == 1 and "gold 2031-06-09 pred 2031-06-10" in wrong[0]
