"""scripts/tune_stories.py: the kept predictions re-clustered give what ``extract --stories`` gave, scored
as the shared scorer scores stories (invented articles only)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from eventwire.aggregate.stories import StoryOptions, cluster_collection
from eventwire.model import Article
from eventwire.testing import make_article

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from tune_stories import b_cubed, cluster, grid, main, mistakes, read_articles

_TEXTS = {
    "f1": ("Ferry sinks off Halvard", "The ferry Nordlys sank off Halvard on Monday. Rescuers from Halvard "
           "pulled forty passengers of the ferry from the cold water, the coastguard said."),
    "f2": ("Halvard ferry rescue ends", "Coastguard divers ended the search for the sunken ferry Nordlys off "
           "Halvard. All forty passengers of the ferry were rescued."),
    "b1": ("Fire destroys Osterby bakery", "A fire destroyed the old bakery in Osterby overnight. "
           "Firefighters kept the flames from the bakery's neighbours, the mayor of Osterby said."),
    "b2": ("Osterby bakery to be rebuilt", "The owners of the Osterby bakery burnt down by the fire will "
           "rebuild it. Osterby's mayor promised help for the bakery."),
}


def _articles() -> list[Article]:
    return [make_article(text, title=title, input_id=rid, published=f"2031-03-0{i + 1}")
            for i, (rid, (title, text)) in enumerate(_TEXTS.items())]


def test_b_cubed_is_the_shared_scorers() -> None:
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    assert b_cubed(gold, {"a": "1", "b": "1", "c": "2", "d": "2"}) == (1.0, 1.0, 1.0)
    # one story for all: P = 1/2 for each record, R = 1
    f1, p, r = b_cubed(gold, {i: "1" for i in gold})
    assert (p, r) == (0.5, 1.0) and f1 == pytest.approx(2 / 3)
    # a record without a prediction is a singleton, not dropped
    f1, p, r = b_cubed(gold, {"a": "1", "b": "1", "c": "2"})
    assert p == 1.0 and r == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)


def test_kept_predictions_cluster_as_the_collection_did(tmp_path: Path) -> None:
    arts = _articles()
    keep = tmp_path / "pred.jsonl"
    keep.write_text("".join(json.dumps(a.to_dict()) + "\n" for a in arts), encoding="utf-8")
    direct = cluster_collection(arts)
    again = cluster(read_articles(keep), StoryOptions())
    assert again == {a.input_id: direct[a.id] for a in arts}
    assert again["f1"] == again["f2"] != again["b1"] == again["b2"]


def test_main_prints_each_setting_and_part(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    eval_dir, keep = tmp_path / "eval", tmp_path / "keep"
    keep.mkdir()
    arts = _articles()
    for name in ("stories-news", "stories-ecb"):
        (eval_dir / "data" / name).mkdir(parents=True)
        gold = [{"id": a.input_id, "story": a.input_id[0]} for a in arts]  # type: ignore[index]
        (eval_dir / "data" / name / f"{name}-dev.gold.jsonl").write_text(
            "".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    (keep / "stories-news.tune.pred.jsonl").write_text(
        "".join(json.dumps(a.to_dict()) + "\n" for a in arts), encoding="utf-8")
    assert main([str(eval_dir), str(keep), "--set", "threshold=0.16,0.99", "--show"]) == 0
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert "threshold=0.16" in lines[0] and "b3_f1 1.0000" in lines[0]
    # at 0.99 every report is its own story: recall 1/2
    assert any(line.startswith("threshold=0.99") and "r 0.5000" in line for line in lines)
    assert any("split 'f'" in line for line in lines)
    assert "stories-ecb.tune.pred.jsonl: missing" in out.err


def test_show_refuses_the_check_parts(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="tune parts only"):
        main([str(tmp_path), str(tmp_path), "--parts", "tune,check", "--show"])


def test_grid_types_values_like_the_options() -> None:
    assert grid(["threshold=0.1,0.2", "candidates=8"]) == [{"threshold": 0.1, "candidates": 8},
                                                          {"threshold": 0.2, "candidates": 8}]
    assert isinstance(grid(["candidates=8"])[0]["candidates"], int)
    assert grid([]) == [{}]
    with pytest.raises(SystemExit, match="NAME=V1"):
        grid(["treshold=0.1"])


def test_mistakes_name_mixed_and_split_stories() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    assert mistakes(gold, {"a": "1", "b": "2", "c": "2"}) == ["  mixed 2: {'x': 1, 'y': 1}",
                                                            "  split 'x': {'1': 1, '2': 1}"]
