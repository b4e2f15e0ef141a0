"""Stage 1: cue verbs from the lexicon (``data/attribution_cues.tsv``) with a clause complement.

The subject is the source, the complement the content ("Ruiz told reporters that ..."); "X, he said, Y"
(parataxis) takes the head clause around the cue; "described X as “…”" takes the object when it holds a
quotation; "is said to have demanded" (passive + infinitive) has no source and is alleged.
"""

from __future__ import annotations

from functools import cache

from spacy.strings import get_string_id
from spacy.tokens import Token

from eventwire.nlp.attributions import lexicon as lex
from eventwire.nlp.attributions.state import ArticleState, Draft

__all__ = ["from_verb", "verb_cues"]

_COMP = frozenset({"ccomp"})
# Left neighbours of a cue verb that belong to the cue.
_CUE_LEFT = frozenset({"aux", "auxpass", "neg", "advmod"})
# "called for X", "pointed to X", "called on X": the preposition is part of the cue.
_CUE_PREPS = frozenset({"for", "on", "to"})
_CUE_PARTICLES = frozenset({"out"})  # "pointed out"
# An object content ends where the cue's clause goes on: "described X as “Y” [and, with ...]".
_CLAUSE_BREAK = frozenset({"cc", "punct", "conj", "advcl", "ccomp", "parataxis"})


@cache
def _cue_ids() -> frozenset[int]:
    return frozenset(get_string_id(lemma) for lemma in lex.cues())


def verb_cues(st: ArticleState) -> None:
    """Add an attribution for each cue verb with a content (and its other side)."""
    # lemma hashes in one array read, then a set test: no Token object for the ~95% that are no cue
    ids = _cue_ids()
    lemmas = st.doc.to_array("LEMMA").tolist() if len(st.doc) else []
    for i in [k for k, h in enumerate(lemmas) if h in ids]:
        t = st.toks[i]
        cue = lex.cue_for(t.lemma_)
        if cue is None or not st.is_verb(t):
            continue
        if cue.cls == "cite" and t.dep_ in ("advcl", "xcomp"):
            continue  # "reports, citing X, that": a chain, see citing.py
        if t.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
            continue  # "to find", "to tell": an infinitive is a plan, rarely an attribution (25% on dev)
        a = from_verb(st, t, cue)
        if a is not None:
            st.attrs.append(a)
            # "X, Trump told reporters: “Y”": a clause on each side of the cue, two attributions
            b = from_verb(st, t, cue, other_side=True)
            if b is not None:
                st.attrs.append(b)


def from_verb(st: ArticleState, v: Token, cue: lex.Cue, other_side: bool = False) -> Draft | None:
    """The attribution of cue verb ``v``, or None when its parse gives no content or source."""
    children = list(v.children)
    if any(c.dep_ == "prt" and c.lower_ not in _CUE_PARTICLES for c in children):
        return None  # "call off", "think up": another verb
    comps = [c for c in children if c.dep_ in _COMP]
    if not comps:  # "reports, citing X, that ...": the parse hangs the clause on "citing"
        comps = [g for c in children if c.dep_ == "advcl" and c.lemma_ == "cite"
                 for g in c.children if g.dep_ in _COMP]
    # "he is ambivalent; he had said that ...": the clause with "that" (or after the cue) is the content
    comps.sort(key=lambda c: (not any(g.dep_ == "mark" for g in c.children), c.i < v.i))
    if other_side:
        comps = [c for c in comps[1:] if (c.i < v.i) != (comps[0].i < v.i) and not any(
            t.text == ";" for t in st.toks[min(c.right_edge.i, v.i):max(c.left_edge.i, v.i)])]
        if not comps:
            return None
    passive_subj = next((c for c in children if c.dep_ == "nsubjpass"), None)
    xcomp = next((c for c in children if c.dep_ == "xcomp"), None)
    spans: list[tuple[int, int]] = []
    passive = False
    prep_cue = -1
    if passive_subj is not None and xcomp is not None and (
            cue.lemma in st.markers.passive_alleged or cue.lemma in st.markers.passive_speculated):
        spans = [x for x in (st.chars(passive_subj.left_edge.i, passive_subj.right_edge.i),
                             st.chars(xcomp.left_edge.i, xcomp.right_edge.i)) if x]
        passive = True
    elif comps:
        c = comps[0]
        lo, hi = c.left_edge.i, c.right_edge.i
        if lo < v.i < hi:  # the cue sits inside: "The plan, he said, is dead" mis-attached
            spans = [x for x in (st.chars(lo, v.left_edge.i - 1), st.chars(v.right_edge.i + 1, hi))
                     if x]
        else:
            spans = [x for x in (st.chars(lo, hi),) if x]
    elif v.head.i != v.i and (v.dep_ == "parataxis" or (
            v.dep_ == "ccomp" and v.head.i < v.i and xcomp is None and lex.cue_for(v.head.lemma_) is None
            and all(c.is_punct or c.is_space for c in st.toks[v.i + 1:v.right_edge.i + 1]))):
        # "X, he said, Y" and "Maduro appeared on television CNN reported": the head clause around
        h = v.head
        while h.dep_ == "conj" and h.head.i != h.i:
            h = h.head
        lo, hi = h.left_edge.i, h.right_edge.i
        spans = [x for x in (st.chars(lo, v.left_edge.i - 1), st.chars(v.right_edge.i + 1, hi))
                 if x]
    elif (v.dep_ == "ccomp" and v.head.i > v.right_edge.i and (mark := next(
            (c for c in v.head.children if c.dep_ == "mark" and c.lower_ == "that" and c.i > v.i),
            None))):
        # "The Gazette reports, citing X, that Y offered": the parse makes the cue a clause of Y
        spans = [x for x in (st.chars(mark.i, v.head.right_edge.i),) if x]
    elif xcomp is not None and cue.cls in ("intention", "speech", "deny", "allege", "emotion"):
        spans = [x for x in (st.chars(xcomp.left_edge.i, xcomp.right_edge.i),) if x]
    else:
        # "described X as “…”", "called for X", "cited X": the object is the content
        stop = min((c.i for c in children if c.i > v.i and c.dep_ in _CLAUSE_BREAK),
                   default=len(st.toks))
        objs = [c for c in children if c.i < stop and (c.dep_ in ("dobj", "oprd") or (
            c.dep_ == "prep" and c.i > v.i and c.lower_ in st.markers.content_preps))]
        if cue.lemma in st.markers.addressee_verbs:
            objs = [c for c in objs if c.dep_ == "prep"]
        if objs:
            lo = min(c.left_edge.i for c in objs)
            hi = max(c.right_edge.i for c in objs)
            particle = objs[0] if objs[0].dep_ == "prep" and objs[0].lower_ in _CUE_PREPS else None
            if particle is not None and particle.i == lo:
                lo = particle.i + 1  # "called for [X]": the preposition belongs to the cue
                prep_cue = particle.i
            rng = st.chars(lo, hi)
            if rng and (st.quotes_in([rng]) or (
                    cue.cls in st.markers.object_content_classes
                    and (particle is not None or any(c.dep_ in ("dobj", "oprd") for c in objs))
                    and not all(c.pos_ == "PRON" for c in objs))):
                spans = [rng]
    if not passive:
        spans = [st.cut_tail(*x) for x in spans]
    # "reports, citing X, that ...": the citing phrase is a second source, never content
    # (the phrase only: the parse may hang the content clause itself on "citing")
    holes = [(c.left_edge.idx, st.end(max([c.i] + [g.right_edge.i for g in c.children
                                                     if g.dep_ not in _COMP and g.i > c.i])))
             for h in (v, *comps[:1]) for c in h.children
             if c.lemma_ == "cite" and c.dep_ in ("advcl", "xcomp")]
    if holes:
        spans = [x for x in (st.trim(*x) for x in st.minus(spans, holes)) if x]
    spans = [st.snap(*x) for x in spans]
    spans = [x for x in (st.paragraph(x, v.idx) for x in spans) if x]
    if not spans:
        return None
    subj = None if passive else st.subject(v)
    if passive:
        agent = next((c for c in children if c.dep_ == "agent"), None)
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        subj = pobj
    if subj is None and not passive:
        return None
    source = st.source_span(subj) if subj is not None else None
    if source is not None and source[0] < v.idx < source[1]:
        source = st.trim(source[0], v.idx)  # "tweets criticizing X": the noun before the cue
    if source is not None and any(s <= source[0] < e for s, e in spans):
        return None  # the subject is inside the content: a mis-parse
    cue_lo, cue_hi = v.i, v.i
    for c in children:  # "pointed out", "called for"
        if (c.dep_ == "prt" or c.i == prep_cue) and c.i == cue_hi + 1:
            cue_hi = c.i
    # PolNeAR's cues take the auxiliaries and adverbs glued to the verb ("has also said", "didn't
    # expect") and a colon right after it ("said:")
    left = {c.i for c in children if c.dep_ in _CUE_LEFT and c.i < v.i}
    while cue_lo - 1 in left:
        cue_lo -= 1
    if cue_hi + 1 < len(st.toks) and st.toks[cue_hi + 1].text == ":":
        cue_hi += 1
    return Draft(kind=cue.kind, content=spans, source=source,
                 source_head=st.named(subj).i if subj is not None else None,
                 cue=(st.toks[cue_lo].idx, st.end(cue_hi)), cue_tok=v.i, cls=cue.cls,
                 factuality=cue.factuality, passive=passive)
