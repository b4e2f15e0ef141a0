"""scripts/compare_events.py: per-article counts summed give the whole-set figures, and the paired
bootstrap tells a one-article difference from a steady one (counts invented; no shared scorer needed)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from compare_events import article_counts, figures, paired_bootstrap


def _row(pred: int, gold: int, typ: int, actor: int, target: int, dated: int = 0, right: int = 0
         ) -> dict[str, int]:
    return {"pred": pred, "gold": gold, "type": typ, "actor": actor, "target": target, "dated": dated,
            "dated_right": right}


def test_figures_are_the_per_event_figures_of_the_summed_counts() -> None:
    rows = [_row(4, 5, 3, 2, 1, 2, 1), _row(2, 0, 0, 0, 0), _row(4, 5, 4, 4, 3, 4, 4)]
    f = figures(rows)
    assert f["type P"] == pytest.approx(7 / 10)
    assert f["type F1"] == pytest.approx(2 * 7 / (10 + 10))
    assert f["+actor F1"] == pytest.approx(2 * 6 / 20)
    assert f["+actor+target F1"] == pytest.approx(2 * 4 / 20)
    assert f["date accuracy"] == pytest.approx(5 / 6)


def test_a_difference_in_one_article_is_not_a_steady_one() -> None:
    base = [_row(4, 4, 3, 3, 2, 3, 2) for _ in range(30)]
    # B gains one type+actor match in one article only: the interval holds zero
    lucky = [dict(r) for r in base]
    lucky[0] = _row(4, 4, 4, 4, 2, 3, 2)
    lo, hi, worse = paired_bootstrap(base, lucky, samples=500)["+actor F1"]
    assert lo == 0.0 < hi and worse == 0.0
    # B gains one in every article: steady, the whole interval above zero
    steady = [_row(4, 4, 4, 4, 2, 3, 2) for _ in range(30)]
    lo, hi, worse = paired_bootstrap(base, steady, samples=500)["+actor F1"]
    assert lo > 0.0 and worse == 0.0
    # and a loss shows as one
    lo, hi, worse = paired_bootstrap(steady, base, samples=500)["type F1"]
    assert hi < 0.0 and worse == 1.0


def test_an_article_without_gold_events_counts_its_predictions_as_false() -> None:
    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("not scored: nothing to match")

    score = SimpleNamespace(score_events=never)
    counts = article_counts(score, {"id": "a", "events": []}, {"id": "a", "events": [{"type": "ACCUSE"}] * 3})
    assert counts == _row(3, 0, 0, 0, 0)


def test_an_article_with_gold_events_is_scored_by_the_shared_scorer() -> None:
    seen: list[Any] = []

    def score_events(pairs: Any, problems: Any) -> Any:
        seen.append(pairs)
        prf = {"tp": 1, "pred": 2, "gold": 3}
        return {"event_type": prf, "type_actor": {**prf, "tp": 1}, "type_actor_target": {**prf, "tp": 0},
                "date": {"ok": 1, "n": 1}}, [], {}

    gold = {"id": "a", "events": [{"type": "ACCUSE"}]}
    counts = article_counts(SimpleNamespace(score_events=score_events), gold, {"id": "a", "events": None})
    assert counts == _row(2, 3, 1, 1, 0, 1, 1)
    assert seen == [[(gold, {"id": "a", "events": []})]]
