"""Output: duplicates merged (two quotations one cue found separately are one attribution).
"""

from __future__ import annotations

from eventwire.model import AttributionKind
from eventwire.nlp.attributions.state import ArticleState, Draft

__all__ = ["dedupe"]


def dedupe(st: ArticleState) -> None:
    """Drop repeated attributions; two quotations one cue found separately become one."""
    seen: set[tuple[int | None, tuple[tuple[int, int], ...]]] = set()
    keep: list[Draft] = []
    remap: dict[int, int] = {}
    # two quotations one cue found separately ('"X," Holt told the crowd, "but Y."') are one attribution
    direct: dict[tuple[tuple[int, int], tuple[int, int] | None], int] = {}
    for k, a in enumerate(st.attrs):
        key = (a.cue[0] if a.cue else None, tuple(a.content))
        if key in seen:
            continue
        seen.add(key)
        if a.kind == AttributionKind.DIRECT and a.cue is not None:
            other = direct.get((a.cue, a.source))
            if other is not None and all(abs(st.sent(c[0]) - st.sent(a.cue[0])) <= 1
                                         for c in (*keep[other].content, *a.content)):
                keep[other].content = sorted({*keep[other].content, *a.content})
                remap[k] = other
                continue
            direct[(a.cue, a.source)] = len(keep)
        remap[k] = len(keep)
        keep.append(a)
    for a in keep:
        a.via = remap.get(a.via) if a.via is not None else None
    st.attrs = keep
