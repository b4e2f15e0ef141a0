"""Article text cut into segments for highlighting: every span boundary starts a new segment.

Spans overlap (an entity inside an attribution's content inside a sentence), and overlaps may cross, so
nested ``<mark>`` elements cannot represent them.  Instead the text is cut at every start and end of every
span; each segment lists the annotations covering it (``ent:E1 att-con:A2``) and its offsets.  The browser
test re-reads the offsets to check the highlights match the stored spans exactly.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ..model import Article

__all__ = ["Segment", "highlight_spans", "segments"]


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    text: str
    refs: tuple[str, ...]  # "ent:E1", "tim:T1", "att-src:A1", "att-cue:A1", "att-con:A1", "evt:V1", ...
    classes: tuple[str, ...]  # CSS classes: ent ent-PERSON, tim, att-src, att-cue, att-con, evt, ...


def highlight_spans(article: Article) -> list[tuple[int, int, str, str]]:
    """``(start, end, ref, css class)`` for every highlighted span of ``article``."""
    out: list[tuple[int, int, str, str]] = []
    for e in article.entities:
        for m in e.mentions:
            out.append((m.span.start, m.span.end, f"ent:{e.id}", f"ent ent-{e.type}"))
    for t in article.times:
        out.append((t.span.start, t.span.end, f"tim:{t.id}", "tim"))
    for a in article.attributions:
        if a.source is not None:
            out.append((a.source.start, a.source.end, f"att-src:{a.id}", "att-src"))
        if a.cue is not None:
            out.append((a.cue.start, a.cue.end, f"att-cue:{a.id}", "att-cue"))
        for c in a.content:
            out.append((c.start, c.end, f"att-con:{a.id}", "att-con"))
    for v in article.events:
        out.append((v.trigger.start, v.trigger.end, f"evt:{v.id}", "evt"))
        for role, arg in (("evt-actor", v.actor), ("evt-target", v.target)):
            if arg is not None and arg.span is not None:
                out.append((arg.span.start, arg.span.end, f"{role}:{v.id}", role))
    return [a for a in out if a[0] < a[1]]


def segments(article: Article) -> list[Segment]:
    """The whole text as consecutive segments (unannotated stretches have no refs)."""
    text = article.text
    spans = highlight_spans(article)
    cuts = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    # Sweep: O((segments + spans) log) with start/end events instead of testing every span per segment.
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for i, (s, e, _, _) in enumerate(spans):
        starts.setdefault(s, []).append(i)
        ends.setdefault(e, []).append(i)
    active: set[int] = set()
    out: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        if a == b:
            continue
        ordered = sorted(active)
        refs = tuple(dict.fromkeys(spans[i][2] for i in ordered))
        classes = tuple(dict.fromkeys(c for i in ordered for c in spans[i][3].split()))
        out.append(Segment(a, b, text[a:b], refs, classes))
    return out
