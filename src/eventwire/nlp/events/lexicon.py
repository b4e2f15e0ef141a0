"""The event trigger and mode lexicons (``data/plover_triggers.tsv``, ``data/plover_modes.tsv``).

A trigger lemma nominates a sentence for event classification and a word as the event's trigger; it never
decides the type alone (a verb lexicon alone gives GDELT's failures: "call" is a phone call or a demand).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from eventwire.nlp import tables
from eventwire.nlp.events.plover import event_type

__all__ = ["NOUN", "NO_EVENT", "VERB", "Construction", "clause_types", "constructions", "mode_words",
           "planned_as", "planned_kept", "pos_class", "symmetric_types", "trigger_types", "verbal_as"]

VERB = "V"
NOUN = "N"
NO_EVENT = "-"  # a construction's type when it says its word is no event there ("odds [shot] up")
_POS_CLASS = {"VERB": VERB, "NOUN": NOUN, "PROPN": None, "AUX": None}




def pos_class(pos: str) -> str | None:
    """V for verbs, N for common nouns, None for anything else."""
    return _POS_CLASS.get(pos) if pos in _POS_CLASS else None


@cache
def trigger_types() -> dict[tuple[str, str], tuple[str, ...]]:
    """``(lemma, V|N)`` -> the event types the word can signal, in table order."""
    out: dict[tuple[str, str], list[str]] = {}
    for name, pos, lemmas in tables.rows("plover_triggers.tsv"):
        event_type(name)  # a misspelt type in the table fails here, not silently
        for lemma in lemmas.split(","):
            types = out.setdefault((lemma.strip().lower(), pos), [])
            if name not in types:
                types.append(name)
    return {k: tuple(v) for k, v in out.items()}


@cache
def mode_words() -> dict[str, tuple[tuple[str, frozenset[str]], ...]]:
    """type -> ((mode, lemmas that make it explicit), ...) in table order (the first match wins)."""
    out: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for name, mode, lemmas in tables.rows("plover_modes.tsv"):
        if mode not in event_type(name).modes:
            raise ValueError(f"plover_modes.tsv: {mode} is not a mode of {name} in plover.tsv")
        out.setdefault(name, []).append((mode, frozenset(w.strip().lower() for w in lemmas.split(","))))
    return {k: tuple(v) for k, v in out.items()}


@dataclass(frozen=True)
class Construction:
    """A trigger word whose dependents settle its type (``data/plover_constructions.tsv``), or settle that
    it is no event at all (type :data:`NO_EVENT`)."""

    type: str
    needs: tuple[frozenset[str], ...]  # each: the alternatives one of which must be among the children
    # each: alternatives none of which may be among the children ("!xcomp|prep:on" in the table)
    excludes: tuple[frozenset[str], ...] = ()
    kept: bool = False  # its event stands whatever vetting scores it ("kept" in the table)
    # the word keeps its other readings and is an event of this type besides ("also" in the kept column)
    also: bool = False

    def matches(self, children: Iterable[tuple[str, str]]) -> bool:
        """True when every requirement holds among ``children`` given as (dependency label, lower word)."""
        have: set[str] = set()
        for dep, low in children:
            have.add(dep)
            have.add(dep + ":" + low)
        return all(alts & have for alts in self.needs) and not any(alts & have for alts in self.excludes)


@cache
def constructions() -> dict[tuple[str, str], tuple[Construction, ...]]:
    """``(lemma, V|N)`` -> its constructions in table order (the first match wins)."""
    out: dict[tuple[str, str], list[Construction]] = {}
    for name, pos, lemma, deps, *rest in tables.rows("plover_constructions.tsv"):
        if name != NO_EVENT:
            event_type(name)
        kept = rest[0] if rest else ""
        if kept not in ("", "yes", "no", "also"):
            raise ValueError(f"plover_constructions.tsv: kept must be yes, no, also or empty, not {kept!r} "
                             f"({lemma})")
        items = [item.strip() for item in deps.split(",") if item.strip() and item.strip() != "-"]
        needs = tuple(frozenset(a.strip() for a in item.split("|")) for item in items
                      if not item.startswith("!"))
        excludes = tuple(frozenset(a.strip() for a in item[1:].split("|")) for item in items
                         if item.startswith("!"))
        out.setdefault((lemma.lower(), pos), []).append(Construction(name, needs, excludes, kept == "yes",
                                                                       kept == "also"))
    return {k: tuple(v) for k, v in out.items()}


@cache
def verbal_as() -> dict[str, str]:
    """type -> the type it is when one political person does it to another (``data/plover_verbal.tsv``)."""
    rows = tables.rows("plover_verbal.tsv")
    return {event_type(name).name: event_type(verbal).name for name, verbal in rows}


@cache
def planned_as() -> dict[str, str]:
    """type -> the type a merely planned event of it is coded as (``data/plover_planned.tsv``)."""
    out: dict[str, str] = {}
    for name, planned, _ in tables.rows("plover_planned.tsv"):
        out[event_type(name).name] = event_type(planned).name
    return out


@cache
def planned_kept() -> frozenset[str]:
    """Types whose announcement stands whatever vetting scores it (``kept`` in ``data/plover_planned.tsv``);
    an announcement of the others is vetted as any candidate is."""
    out = set()
    for name, _, kept in tables.rows("plover_planned.tsv"):
        if kept not in ("yes", "no"):
            raise ValueError(f"plover_planned.tsv: kept must be yes or no, not {kept!r} ({name})")
        if kept == "yes":
            out.add(event_type(name).name)
    return frozenset(out)


@cache
def symmetric_types() -> frozenset[str]:
    """Types whose actor and target may change places (``data/plover_symmetric.tsv``)."""
    return frozenset(event_type(row[0]).name for row in tables.rows("plover_symmetric.tsv"))


@cache
def clause_types() -> frozenset[str]:
    """Types read clause by clause too (``data/event_clause_types.txt``; classify.clause_types)."""
    return frozenset(event_type(name).name for name in tables.words("event_clause_types.txt"))
