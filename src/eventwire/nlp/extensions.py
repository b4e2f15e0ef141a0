"""The custom attributes our components read and write on a spaCy Doc.

Set before the pipeline runs (by nlp/analyzer.py, from the article's metadata):
    doc._.ew_published   ISO-8601 publication date/datetime string or None: the anchor for relative dates.
    doc._.ew_date_order  "DMY" / "MDY": numeric date order the reader detected (readers/dates.py), or None.
Built by the first layer that reads it (nlp/docindex.py):
    doc._.ew_index       the per-article DocIndex every layer reads.
Written by components (spaCy-free model objects, so nlp/convert.py only assembles):
    doc._.ew_entities    tuple[model.Entity, ...]   by the "eventwire_entities" component
    doc._.ew_times       tuple[model.TimeExpr, ...] by the "eventwire_times" component
    doc._.ew_attributions tuple[model.Attribution, ...] by the "eventwire_attributions" component
    doc._.ew_events      tuple[model.Event, ...]    by the "eventwire_events" component
"""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["register_extensions"]

_DOC_EXTENSIONS: dict[str, object] = {
    "ew_published": None,
    "ew_date_order": None,
    "ew_index": None,
    "ew_entities": (),
    "ew_times": (),
    "ew_attributions": (),
    "ew_events": (),
}


def register_extensions() -> None:
    """Register every Doc extension once (idempotent; safe to call from each component factory)."""
    for name, default in _DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
