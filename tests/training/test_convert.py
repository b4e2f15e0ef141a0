"""training/attributions/convert.py on a tiny invented dataset (no shared data needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import spacy
from spacy.tokens import DocBin

from eventwire.testing import load_script

REPO = Path(__file__).resolve().parents[2]


def _convert() -> Any:
    return load_script(REPO / "training/attributions/convert.py", "attr_convert")


T1 = ('The harbour master said the ferry would sail at noon. "It is safe," she added, '
      '"and the wind has dropped."')
T2 = "According to the port authority, two cranes broke down. Dockers fear more delays."


def _sp(text: str, part: str, nth: int = 0) -> list[int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return [start, start + len(part)]


def _records() -> list[dict[str, Any]]:
    def role(text: str, *parts: str) -> dict[str, Any]:
        spans = [_sp(text, p) for p in parts]
        return {"spans": spans, "text": " ".join(text[s:e] for s, e in spans)}

    return [
        {"id": "a", "compartment": "train", "text": T1, "attributions": [
            {"source": role(T1, "The harbour master"), "cue": role(T1, "said"),
             "content": role(T1, "the ferry would sail at noon")},
            {"source": role(T1, "she"), "cue": role(T1, "added"),
             "content": role(T1, '"It is safe,"', '"and the wind has dropped."')},
        ]},
        {"id": "b", "compartment": "dev", "text": T2, "attributions": [
            {"source": role(T2, "the port authority"), "cue": role(T2, "According to"),
             "content": role(T2, "two cranes broke down")},
            {"source": role(T2, "Dockers"), "cue": role(T2, "fear"), "content": role(T2, "more delays")},
            {"source": None, "cue": role(T2, "fear"), "content": role(T2, " more delays")},
        ]},
    ]


def test_convert_writes_role_span_groups(tmp_path: Path) -> None:
    conv = _convert()
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    nlp = spacy.blank("en")
    parts = conv.convert(conv.read_records(gold), nlp)
    assert sorted(parts) == ["dev", "train"]
    (doc_a,) = parts["train"].get_docs(nlp.vocab)
    (doc_b,) = parts["dev"].get_docs(nlp.vocab)
    assert [s.text for s in doc_a.spans["attr_source"]] == ["The harbour master", "she"]
    assert [s.text for s in doc_a.spans["attr_cue"]] == ["said", "added"]
    # the discontinuous content is one span per piece, quotation marks included as annotated
    assert [s.text for s in doc_a.spans["attr_content"]] == [
        "the ferry would sail at noon", '"It is safe,"', '"and the wind has dropped."']
    assert {s.label_ for s in doc_a.spans["attr_content"]} == {"CONTENT"}
    # duplicates collapse; a leading space in a gold span is stripped; a null source adds nothing
    assert [s.text for s in doc_b.spans["attr_content"]] == ["two cranes broke down", "more delays"]
    assert [s.text for s in doc_b.spans["attr_cue"]] == ["According to", "fear"]
    assert [s.text for s in doc_b.spans["attr_source"]] == ["the port authority", "Dockers"]
    assert doc_b.user_data["id"] == "b"


def test_convert_compartment_filter_and_docbin_roundtrip(tmp_path: Path) -> None:
    conv = _convert()
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    assert [r["id"] for r in conv.read_records(gold, ["dev"])] == ["b"]
    nlp = spacy.blank("en")
    db = conv.convert(conv.read_records(gold, ["train"]), nlp)["train"]
    path = tmp_path / "train.spacy"
    db.to_disk(path)
    (doc,) = DocBin().from_disk(path).get_docs(nlp.vocab)
    assert len(doc.spans["attr_cue"]) == 2
    for group in ("attr_cue", "attr_source", "attr_content"):
        for span in doc.spans[group]:
            assert doc.text[span.start_char:span.end_char] == span.text
