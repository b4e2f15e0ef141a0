"""Stage "date": an event's date from the time expressions of its clause, else of its sentence; the
publication day only as a labelled fallback (``EventDate.source == "published"``)."""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Span, Token

from eventwire.model import EventDate, TimeExpr
from eventwire.nlp.events.roles import clause_head

__all__ = ["DATE_PRECISION", "ISO_DAY", "date_of"]

DATE_PRECISION = {  # a time expression's precision -> its event date's
    "instant": "day",
    "day": "day",
    "week": "week",
    "month": "month",
    "quarter": "month",
    "season": "month",
    "year": "year",
    "decade": "year",
    "century": "year",
}
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")



def date_of(
    trigger: Token, sent: Span, si: int, times: tuple[TimeExpr, ...], published: str | None
) -> EventDate | None:
    """The event's date: its clause's time expression, else the sentence's, else the publication day."""
    usable = [
        t
        for t in times
        if sent.start_char <= t.span.start < sent.end_char
        and t.value
        and not t.value.endswith("_REF")
        and t.type in ("DATE", "TIME")
        and t.precision in DATE_PRECISION
    ]
    if usable:
        doc = trigger.doc
        idx = [tok.idx for tok in sent]
        clause = {t.i for t in clause_head(trigger).subtree}

        def rank(t: TimeExpr) -> tuple[int, int]:
            tok = doc[sent.start + max(bisect.bisect_right(idx, t.span.start) - 1, 0)]
            return (0 if tok.i in clause else 1, abs(t.span.start - trigger.idx))

        best = min(usable, key=rank)
        return EventDate(value=best.value, precision=DATE_PRECISION[best.precision], source="text",
                         time=best.id)
    if published and ISO_DAY.match(published):
        return EventDate(value=published[:10], precision="day", source="published")
    return None
