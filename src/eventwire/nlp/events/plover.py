"""The PLOVER event ontology, read from ``data/plover.tsv``: the only place the 16 event types are spelled.

Code that needs a type name asks this module (``event_type(name)`` validates the spelling once, at
import time of the caller) instead of writing its own list, so a renamed or added type is one table edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from eventwire.nlp import tables

__all__ = ["QUAD_CLASSES", "EventType", "event_type", "event_types", "is_event_type", "type_names"]

# PLOVER's four "quad classes": the coarse cooperation/conflict x verbal/material grid.
QUAD_CLASSES: dict[int, str] = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
                                4: "material conflict"}


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    quad: int  # key of QUAD_CLASSES
    target_required: bool
    modes: tuple[str, ...]
    definition: str

    @property
    def quad_class(self) -> str:
        return QUAD_CLASSES[self.quad]




@cache
def event_types() -> tuple[EventType, ...]:
    """The 16 PLOVER event types in table order (cooperation first, then conflict)."""
    out = []
    for name, quad, target, modes, definition in tables.rows("plover.tsv"):
        out.append(EventType(name=name, quad=int(quad), target_required=target == "required",
                             modes=tuple(m for m in modes.split(",") if m), definition=definition))
    return tuple(out)


@cache
def type_names() -> tuple[str, ...]:
    return tuple(t.name for t in event_types())


@cache
def _by_name() -> dict[str, EventType]:
    return {t.name: t for t in event_types()}


def is_event_type(name: str) -> bool:
    return name in _by_name()


def event_type(name: str) -> EventType:
    """The ontology row of ``name``; KeyError names the known types when ``name`` is not one of them."""
    found = _by_name().get(name)
    if found is None:
        raise KeyError(f"{name!r} is not a PLOVER event type; known: {', '.join(type_names())}")
    return found
