"""Training examples for the event-type classifier, read from the shared folder (never copied here).

    examples(shared_dir) -> list of {"text", "label", "source", "weight"}

* ``training/ngec_synthetic_events.csv``: 4,500 synthetic stories with the PLOVER type they were prompted for.
  The type is the story's, so only its headline (from ``prompt``) and the lead's first two sentences are
  used: those state the prompted event; later sentences drift to background.
* ``eval/data/plv/plv-dev.gold.jsonl``: ~1,044 labelled news sentences (PLV's training half; PLV's YIELD
  merges CONCEDE and RETREAT, split here by the trigger lexicon).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

csv.field_size_limit(10**7)

_LEAD_CHARS = 600
_SENT_END = re.compile(r"(?<=[a-z0-9\)”\"][.!?])\s+(?=[A-Z“\"])")


def _lead_sentences(text: str) -> list[str]:
    """The story's first two sentences (a cheap split: the parse comes later, per sentence)."""
    head = text.strip()[: 2 * _LEAD_CHARS]
    parts = _SENT_END.split(head, maxsplit=2)
    return [p.strip() for p in parts[:2] if p.strip()]


_RELABEL = Path(__file__).with_name("ngec_relabel.tsv")


def _relabels() -> list[tuple[re.Pattern[str], str, str]]:
    rows = [line.rstrip("\n").split("\t") for line in _RELABEL.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [(re.compile(p, re.I), frm, to) for p, frm, to in rows[1:]]


def ngec(path: Path) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    relabels = _relabels()
    with path.open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            label = row["label"].strip().upper()
            for pattern, frm, to in relabels:
                if label == frm and pattern.search(row["title"]):
                    label = to
            headline = row["prompt"].strip().splitlines()[0].strip() if row["prompt"].strip() else ""
            if headline:
                out.append(
                    {
                        "text": headline,
                        "label": label,
                        "mode": row["mode"] or None,
                        "source": f"ngec:{i}:title",
                        "kind": "title",
                    }
                )
            for n, sentence in enumerate(_lead_sentences(row["text"])):
                kind = "lead" if n == 0 else "lead2"
                out.append(
                    {
                        "text": sentence,
                        "label": label,
                        "mode": row["mode"] or None,
                        "source": f"ngec:{i}:{kind}",
                        "kind": kind,
                    }
                )
    return out


def plv(path: Path) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            events = rec.get("events") or []
            if not events:
                continue
            out.append(
                {
                    "text": rec["text"],
                    "label": str(events[0]["type"]).upper(),
                    "mode": None,
                    "source": f"plv:{rec['id']}",
                    "kind": "plv",
                    "actors": events[0].get("actor_texts"),
                    "targets": events[0].get("target_texts"),
                }
            )
    return out


def examples(shared: Path) -> list[dict[str, Any]]:
    shared = shared.parent if (shared / "score.py").exists() else shared
    return ngec(shared / "training/ngec_synthetic_events.csv") + plv(
        shared / "eval/data/plv/plv-dev.gold.jsonl"
    )


if __name__ == "__main__":
    ex = examples(Path(sys.argv[1]))
    print(len(ex), "examples")
