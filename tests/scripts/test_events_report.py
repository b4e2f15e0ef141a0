"""scripts/events_report.py: located precision and recall count a prediction only where its trigger lies
inside the evidence of a gold event of its type (records invented)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from events_report import located, report

TEXT = ("The mayor met the governor on Monday. Later the mayor criticised the council. "
        "Voters backed the plan in a poll.")


def _pred(kind: str, word: str) -> dict[str, Any]:
    start = TEXT.index(word)
    return {"type": kind, "trigger": {"text": word, "span": [start, start + len(word)]},
            "actor": None, "target": None}


def _gold(kind: str, evidence: str, *, as_span: bool = False) -> dict[str, Any]:
    if as_span:
        start = TEXT.index(evidence)
        return {"type": kind, "evidence_span": [start, start + len(evidence)]}
    return {"type": kind, "evidence": evidence}


def test_a_prediction_counts_only_inside_evidence_of_its_own_type() -> None:
    gold = [{"id": "a", "text": TEXT, "events": [
        _gold("CONSULT", "The mayor met the governor on Monday"),
        _gold("ACCUSE", "the mayor criticised the council", as_span=True)]}]
    pred = {"a": {"id": "a", "text": TEXT, "events": [
        _pred("CONSULT", "met"),  # inside the meeting's evidence: located
        _pred("SUPPORT", "criticised"),  # inside evidence, of another type: not located
        _pred("ACCUSE", "backed")]}}  # of a gold type, but in no gold evidence: score.py would still pair it
    assert located(gold, pred) == {"located_precision": round(1 / 3, 3), "located_recall": 0.5}


def test_two_predictions_in_one_evidence_find_one_gold_event() -> None:
    gold = [{"id": "a", "text": TEXT, "events": [_gold("CONSULT", "The mayor met the governor on Monday")]}]
    pred = {"a": {"id": "a", "text": TEXT, "events": [_pred("CONSULT", "met"), _pred("CONSULT", "governor")]}}
    assert located(gold, pred) == {"located_precision": 1.0, "located_recall": 1.0}
    assert report(gold, pred)["located_recall"] == 1.0


def test_an_article_not_predicted_is_left_out_and_nothing_divides_by_zero() -> None:
    gold = [{"id": "b", "text": TEXT, "events": [_gold("CONSULT", "met the governor")]}]
    assert located(gold, {}) == {"located_precision": 0.0, "located_recall": 0.0}
