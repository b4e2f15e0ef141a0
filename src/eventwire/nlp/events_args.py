"""Who did it and to whom: an event's actor and target from the dependency parse, linked to our entities.

The actor is the subject of the trigger's clause (the agent of a passive); the target the first object or
prepositional object that names someone, searched a few steps down from the trigger.  An argument's words are
its phrase without relative clauses and appositions (capped at ``_MAX_ARG_TOKENS``), its entity the one whose
mention covers the phrase's head, its sector a word of the phrase found in ``data/event_sectors.tsv``.
"""

from __future__ import annotations

import bisect
import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Token

from eventwire.model import CharSpan, Entity, EventArg, MentionKind
from eventwire.nlp import gazetteer as gz

__all__ = ["EntityIndex", "actor_of", "clause_head", "sector_of", "target_of"]

_SUBJ = frozenset({"nsubj", "csubj"})
_PASS_SUBJ = frozenset({"nsubjpass"})
# a phrase stops before these dependents: "rebels [who seized the town]", "Maduro, [the president],"
_CUT = frozenset({"relcl", "acl", "advcl", "appos", "punct", "cc", "parataxis", "prep"})
_KEEP_PREP_OF = frozenset({"of"})  # "members of the government" keeps its "of" phrase
# prepositions whose object is who an event is done to ("against X", "with X", "on X", "to X")
_TARGET_PREPS = (
    "against",
    "with",
    "on",
    "to",
    "at",
    "from",
    "toward",
    "towards",
    "into",
    "upon",
    "for",
    "over",
    "between",
    "of",
    "in",
)
_MAX_ARG_TOKENS = 14
# how far up the tree the actor search climbs: "X decided [to try [to attack]]" is 2 steps
_MAX_CLIMB = 4
_NAMED = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_AGENTIVE_POS = frozenset({"PROPN", "PRON", "NOUN"})


@dataclass(frozen=True, slots=True)
class _Link:
    entity: Entity
    kind: MentionKind


class EntityIndex:
    """Which entity mention covers a character offset (mentions sorted by start)."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        rows = sorted(
            ((m.span.start, m.span.end, e, m.kind) for e in entities for m in e.mentions), key=lambda r: r[0]
        )
        self.starts = [r[0] for r in rows]
        self.rows = rows

    def at(self, start: int, end: int) -> Iterator[_Link]:
        """Mentions overlapping ``[start, end)``, left to right."""
        i = bisect.bisect_right(self.starts, end) - 1
        out = []
        while i >= 0 and i >= len(self.starts) - len(self.rows):
            s, e, ent, kind = self.rows[i]
            if e > start and s < end:
                out.append((s, _Link(ent, kind)))
            if s < start - 200:  # mentions are short: nothing further left can overlap
                break
            i -= 1
        return iter(link for _, link in sorted(out, key=lambda x: x[0]))

    def covering(self, tok: Token) -> _Link | None:
        for link in self.at(tok.idx, tok.idx + len(tok)):
            return link
        return None


def clause_head(tok: Token) -> Token:
    """The verb whose clause a (noun) trigger belongs to: "called for [sanctions]" -> "called"."""
    cur = tok
    for _ in range(_MAX_CLIMB):
        if cur.pos_ in ("VERB", "AUX") or cur.dep_ == "ROOT":
            return cur
        cur = cur.head
    return cur


def _phrase(head: Token) -> tuple[int, int]:
    """Token range ``[lo, hi)`` of ``head``'s phrase without clauses and appositions."""
    lo = hi = head.i
    stack = [head]
    while stack:
        t = stack.pop()
        lo, hi = min(lo, t.i), max(hi, t.i)
        for c in t.children:
            if c.dep_ in _CUT and not (c.dep_ == "prep" and c.lower_ in _KEEP_PREP_OF and t is head):
                continue
            if c.dep_ == "conj" or c.dep_ == "compound" or c.dep_ == "poss" or c.i - head.i < _MAX_ARG_TOKENS:
                stack.append(c)
    doc = head.doc
    # a phrase never runs over a line break: the parser attaches headlines and datelines across them
    for i in range(head.i - 1, lo - 1, -1):
        if "\n" in doc[i].text_with_ws:
            lo = i + 1
            break
    for i in range(head.i, hi):
        if "\n" in doc[i].whitespace_ or "\n" in doc[i + 1].text:
            hi = i
            break
    while lo < head.i and (doc[lo].is_punct or doc[lo].is_space or doc[lo].dep_ in ("det", "cc")):
        lo += 1
    while hi > head.i and (doc[hi].is_punct or doc[hi].is_space or doc[hi].dep_ in ("case", "cc")):
        hi -= 1
    if hi - lo + 1 > _MAX_ARG_TOKENS:
        lo, hi = head.left_edge.i if head.left_edge.i >= head.i - 4 else head.i, head.i
    return lo, hi + 1


@cache
def _sectors() -> dict[str, str]:
    path = resources.files("eventwire").joinpath("data", "event_sectors.tsv")
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)
        for sector, words in reader:
            for w in words.split(","):
                out.setdefault(w.strip().lower(), sector.strip())
    return out


def sector_of(words: Sequence[str], head: int) -> str | None:
    """The sector a phrase's words make explicit: its head word first, then two-word names, then the others
    right to left ("Venezuelan army commander" -> MIL from "commander")."""
    table = _sectors()
    low = [w.lower() for w in words]
    order = [head, *range(len(low) - 1, -1, -1)]
    for i in range(len(low) - 1):
        pair = low[i] + " " + low[i + 1]
        if pair in table:
            return table[pair]
    for i in order:
        if 0 <= i < len(low) and low[i] in table:
            return table[low[i]]
    return None


def _arg(head: Token, index: EntityIndex) -> EventArg:
    doc: Doc = head.doc
    lo, hi = _phrase(head)
    span = doc[lo:hi]
    text = doc.text
    cspan = CharSpan.of(text, span.start_char, span.end_char)
    link = index.covering(head)
    if link is None:
        link = next(index.at(span.start_char, span.end_char), None)
    entity = link.entity if link is not None else None
    country = entity.country if entity is not None else None
    if country is None:
        for t in span:
            found = gz.nationality_of(t.text) if t.text[:1].isupper() else None
            if found is not None:
                country = found.alpha3
                break
    words = [t.text for t in span]
    sector = sector_of(words, head.i - lo)
    return EventArg(
        span=cspan,
        entity=entity.id if entity is not None else None,
        name=entity.name if entity is not None else cspan.text,
        country=country,
        sector=sector,
    )


def _subject(verb: Token, raised: bool = False) -> tuple[Token | None, bool]:
    """(subject, passive) of a verb; the agent of a passive ("was attacked by X") is the actor, and with
    ``raised`` (we came up from its "to" clause) so is the passive subject: "X is said [to have demanded]"."""
    passive: Token | None = None
    for c in verb.children:
        if c.dep_ in _SUBJ:
            return c, False
        if c.dep_ in _PASS_SUBJ:
            passive = c
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g, True
    if passive is not None and raised:
        return passive, False
    return None, passive is not None


def actor_of(
    trigger: Token,
    index: EntityIndex,
    within: tuple[int, int] | None = None,
) -> tuple[EventArg | None, Token | None]:
    """The actor (and its head token): the trigger clause's subject, climbing through "decided to" /
    coordinated verbs / noun triggers to the nearest verb that has one; never outside the token range
    ``within`` (a paragraph the parser joined to its neighbour)."""
    lo, hi = within or (0, len(trigger.doc))
    cur = clause_head(trigger)
    raised = False
    for _ in range(_MAX_CLIMB):
        subj, passive = _subject(cur, raised)
        if subj is not None and not lo <= subj.i < hi:
            return None, None
        if subj is not None and subj.pos_ in _AGENTIVE_POS | {"NUM", "DET", "ADJ"}:
            if subj.pos_ == "PRON" and subj.lower_ in ("it", "that", "this", "which", "there", "what"):
                link = index.covering(subj)
                if link is None:
                    return None, None
            return _arg(subj, index), subj
        if passive and subj is None:
            return None, None
        if cur.dep_ in ("xcomp", "conj", "ccomp", "advcl", "relcl", "acl", "pcomp") and cur.head is not cur:
            if cur.dep_ == "relcl":  # "the rebels who attacked" -> the noun the clause modifies
                return _arg(cur.head, index), cur.head
            raised = cur.dep_ == "xcomp"
            cur = cur.head
            continue
        break
    return None, None


_VALUES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
# rank bonuses (lower is better): a name beats a prepositional level; a word for people or organisations
# ("refugees", "the army") beats a thing ("shells", "information")
_NAMED_BONUS = 15
_AGENT_BONUS = 8


def _nominal(tok: Token) -> bool:
    if tok.ent_type_ in _VALUES:
        return False
    return tok.pos_ in _AGENTIVE_POS and (tok.pos_ != "PRON" or tok.lower_ not in ("it", "this", "that"))


def _candidates(start: Token) -> Iterator[tuple[int, Token]]:
    """Object-like nominals below ``start``, with a rank: direct objects, then prepositional objects of
    target prepositions in ``_TARGET_PREPS`` order, one or two levels down."""
    for c in start.children:
        if c.dep_ in ("dobj", "dative", "iobj", "nsubjpass", "attr", "oprd") and _nominal(c):
            yield 0, c
        if c.dep_ in ("prep", "agent") and c.lower_ in _TARGET_PREPS:
            for g in c.children:
                if g.dep_ == "pobj" and _nominal(g):
                    yield 1 + _TARGET_PREPS.index(c.lower_), g


def target_of(
    trigger: Token, actor_head: Token | None, index: EntityIndex, within: tuple[int, int] | None = None
) -> EventArg | None:
    """The target: the best-ranked object near the trigger, preferring one that names an entity; the
    passive subject ("X was attacked") when there is nothing else."""
    seen: list[tuple[int, int, Token]] = []
    starts = [trigger]
    head = clause_head(trigger)
    if head is not trigger:
        starts.append(head)
    level = 0
    frontier = starts
    while frontier and level < 3:
        nxt = []
        for s in frontier:
            for rank, tok in _candidates(s):
                if actor_head is not None and (tok is actor_head or tok.i == actor_head.i):
                    continue
                if within is not None and not within[0] <= tok.i < within[1]:
                    continue
                named = tok.ent_type_ in _NAMED or index.covering(tok) is not None
                agent = not named and tok.lower_ in _sectors()
                bonus = _NAMED_BONUS if named else _AGENT_BONUS if agent else 0
                seen.append((level * 20 + rank - bonus, tok.i, tok))
                nxt.append(tok)
            for c in s.children:
                if c.dep_ in ("xcomp", "ccomp") and level == 0:
                    nxt.append(c)
        frontier = nxt
        level += 1
    if not seen:
        return None
    seen.sort(key=lambda r: (r[0], r[1]))
    return _arg(seen[0][2], index)
