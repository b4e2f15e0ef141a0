"""The one pronoun resolver, with gender and number, that the entities, attributions and events layers use.

Pronoun words, their gender (m, f; n for "it"; p, plural, for "they") and case come from
``data/pronouns.tsv`` (``gazetteer.pronoun``).  The entities layer runs ``link_pronouns``: he/she link to a
salient person of agreeing gender nearby (same sentence before it, the subject first; "he said, Smith told
reporters"; then the two sentences before, their main subject first), never across a quotation's edge and
never to the subject of its own verb for an object pronoun ("X called on him"); it/its link to an ORG or GPE
and they/their to an ORG only when the subject just before is that entity.  Each link becomes a PRONOUN
mention of the entity, which is how the other layers see it: ``linked_entity`` (the entity whose mention
holds a pronoun) and, for a he/she the resolver left unlinked, ``nearest_person`` (the last person named in
the sentences before it), both over the article's ``docindex.EntityLookup``.  A he/she that stands for a
person noun the report leaves unnamed (``data/titles.tsv`` kind "unnamed": "The tram's [driver] was
arrested. [He] was later released") links to no entity; the index's ``nominal_antecedents`` keeps that noun,
which the events layer gives as the argument's words.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Protocol

from spacy.tokens import Token

from eventwire.model import MentionKind
from eventwire.nlp.docindex import EntityLookup, MentionLink, index_of
from eventwire.nlp.entities import gazetteer as gz

__all__ = ["PERSONAL", "Candidate", "EntityState", "compatible", "link_pronouns", "linked_entity",
           "nearest_person", "neuter", "personal", "quoted_tokens"]

# the personal pronouns a speaker is referred to by (attributions: "he said")
PERSONAL = frozenset({"he", "she", "him", "her"})
_SUBJ = frozenset({"nsubj", "nsubjpass"})
_BE = frozenset({"be", "is", "was", "are", "were", "been", "being", "'s", "’s", "isn't", "wasn't"})


@dataclass(slots=True, order=True)
class Candidate:
    """A possible antecedent: a person mention (or an unlinked person noun, ``group`` None)."""

    i: int  # token index of the mention's head
    group: int | None = field(compare=False)
    subj: bool = field(compare=False)
    root_subj: bool = field(compare=False)
    head: int = field(compare=False)  # token index of the syntactic head (for binding)
    gender: str | None = field(compare=False, default=None)


class EntityState(Protocol):
    """What the resolver reads from (and adds to) the entities layer's per-article state."""

    toks: list[Token]
    parsed: bool
    tagged: bool
    sent_of: list[int]
    sent_root: list[int]
    sent_start: list[int]
    groups: list[Any]  # entities.component._Group: .type, .gender (set here), .name_gender
    group_of_token: dict[int, int]
    in_quote: list[bool]
    nominal_of: dict[int, int]  # a he/she/him/her's token -> the head of the person noun it stands for

    def _add_extra(self, gi: int, start: int, end: int, kind: MentionKind) -> None: ...

    def _cand(self, i: int, gi: int | None, gender: str | None = None) -> Candidate: ...

    def _insert(self, cands: list[list[Candidate]], c: Candidate) -> None: ...

    def _where(self, kind: str) -> list[int]: ...


def linked_entity(lookup: EntityLookup, tok: Token) -> MentionLink | None:
    """The entity mention (a PRONOUN mention when the resolver linked ``tok``) that covers token ``tok``."""
    return lookup.covering(tok)


def nearest_person(lookup: EntityLookup, start: int, limit: int) -> str | None:
    """The entity id of the last PERSON mention starting in ``limit..start``: a he/she/him/her that the
    resolver left unlinked falls back to it (the attributions layer, within a few sentences)."""
    return lookup.last_person(limit, start)


def compatible(r: EntityState, c: Candidate, gender: str) -> bool:
    """Whether candidate ``c`` agrees in gender with a pronoun of ``gender``."""
    if c.group is None:
        return c.gender is None or c.gender == gender
    g = r.groups[c.group]
    known = g.gender or g.name_gender
    return known is None or known == gender


def personal(r: EntityState, p: Token, pr: gz.Pronoun, cands: list[list[Candidate]]) -> Candidate | None:
    """The candidate a he/she/him/her pronoun stands for (its ``group`` None for a person noun no name
    owns, "the driver"), or None."""
    s = r.sent_of[p.i]
    excluded: set[int] = set()
    if r.parsed and pr.case == "obj":
        # "X called on him": him is not X (binding), nor is it X anywhere else in the window.
        verb = p.head.head if p.head.dep_ == "prep" else p.head
        excluded = {c.group for c in cands[s] if c.subj and c.head == verb.i and c.group is not None}

    quoted = r.in_quote[p.i]

    def ok(c: Candidate) -> bool:
        # Inside a quotation a speaker says "I", so he/she there points at someone also quoted.
        if quoted and not r.in_quote[c.i]:
            return False
        return compatible(r, c, pr.gender) and c.group not in excluded

    here = cands[s]
    if r.parsed and pr.case == "poss" and p.head.dep_ == "conj":  # "Maduro and his government"
        for c in here:
            if c.i == p.head.head.i and ok(c):
                return c
    before = [c for c in here if c.i < p.i and ok(c)]
    if pr.case == "refl":
        subj = [c for c in before if c.subj]
        return subj[-1] if subj else None
    if before:
        subj = [c for c in before if c.subj]
        return (subj or before)[-1]
    after = [c for c in here if c.i > p.i and c.subj and ok(c)]
    if after and r.parsed and after[0].head in {a.i for a in p.ancestors}:
        return after[0]  # "he said, Smith told reporters"
    for prev in (s - 1, s - 2):
        if prev < 0:
            break
        cs = [c for c in cands[prev] if ok(c)]
        if cs:
            best = [c for c in cs if c.root_subj] or [c for c in cs if c.subj] or cs[-1:]
            return best[0]
    return after[0] if after else None


def neuter(r: EntityState, p: Token, pr: gz.Pronoun, resolved: dict[int, int | None]) -> int | None:
    """it/its -> ORG/GPE, they/their -> ORG, only when the subject just before is that entity.

    "It" as the subject of "be" is skipped: in news it is mostly expletive or a cleft ("it is likely
    that", "It was X who"), and "they" looks no further back than its own sentence.
    """
    if not r.parsed or p.dep_ not in _SUBJ | {"poss"}:
        return None
    if p.dep_ in _SUBJ and (p.head.lemma_ == "be" or p.head.lower_ in _BE):
        return None
    doc, s = r.toks, r.sent_of[p.i]
    subj: int | None = None
    lo = r.sent_start[s]
    for k in range(p.i - 1, lo - 1, -1):
        if doc[k].dep_ in _SUBJ and (not r.tagged or doc[k].pos_ in ("NOUN", "PROPN", "PRON")):
            subj = k
            break
    if subj is None and pr.gender == "n" and s > 0:
        root = doc[r.sent_root[s - 1]]
        subj = next((c.i for c in root.children if c.dep_ in _SUBJ), None)
    if subj is None:
        return None
    if subj in resolved:
        return resolved[subj]
    gi = r.group_of_token.get(subj)
    if gi is None:
        return None
    types = ("ORG",) if pr.gender == "p" else ("ORG", "GPE")
    if r.groups[gi].type not in types or (pr.gender == "n" and doc[subj].tag_ in ("NNS", "NNPS")):
        return None
    return gi


def quoted_tokens(r: EntityState) -> list[bool]:
    """Which tokens are inside a quotation (the article's own, ``quotes.find_quotes`` through the index:
    balanced marks only, so a stray or mistyped mark, "“rapists“", opens nothing that runs on)."""
    if not r.toks:
        return []
    quotes = index_of(r.toks[0].doc).quotes
    starts = [start for start, _ in quotes]
    out = []
    for t in r.toks:
        k = bisect.bisect_right(starts, t.idx) - 1
        out.append(k >= 0 and t.idx < quotes[k][1])
    return out


def link_pronouns(r: EntityState, cands: list[list[Candidate]]) -> None:
    """Link the article's pronouns to entities (PRONOUN mentions); sets gender on people."""
    r.in_quote = quoted_tokens(r)
    resolved: dict[int, int | None] = {}
    for i in r._where("pronouns"):
        t = r.toks[i]
        pr = gz.pronoun(t.text)
        if pr is None or t.i in r.group_of_token:
            continue
        if r.tagged and t.pos_ not in ("PRON", "DET", ""):
            continue
        if pr.gender in ("m", "f"):
            found = personal(r, t, pr, cands)
            gi = found.group if found is not None else None
            if found is not None and gi is None:
                # a person noun no name owns ("The tram's [driver] was arrested. [He] was later released"),
                # directly or through a pronoun that stood for it: the events layer's words for him
                head = r.nominal_of.get(found.i, found.i)
                if gz.is_unnamed_person(r.toks[head].text):
                    # not an office nor a word that is mostly a name's epithet ("the senator", "the New York
                    # businessman"): those are someone's here, by name
                    r.nominal_of[t.i] = head
            if gi is not None:
                g = r.groups[gi]
                g.gender = g.gender or pr.gender
            r._insert(cands, r._cand(t.i, gi, pr.gender))
        else:
            gi = neuter(r, t, pr, resolved)
            resolved[t.i] = gi
        if gi is not None:
            r._add_extra(gi, t.i, t.i + 1, MentionKind.PRONOUN)
