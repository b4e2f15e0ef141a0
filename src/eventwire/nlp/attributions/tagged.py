"""Stage 5: role spans from the trained tagger (``doc.spans["attr_cue" / "attr_source" / "attr_content"]``).

A predicted cue that no rule found becomes an attribution with the nearest predicted source and content of
its sentence; the tagger only fills the gaps the rules left (its spans were exact less often on dev).
"""

from __future__ import annotations

from collections.abc import Iterable

from eventwire.model import AttributionKind, Factuality
from eventwire.nlp.attributions import lexicon as lex
from eventwire.nlp.attributions import verbs
from eventwire.nlp.attributions.state import ArticleState, Draft

__all__ = ["model_spans"]

_CONF_MODEL = 0.5


def model_spans(st: ArticleState) -> None:
    """Add attributions for the tagger's cues that no rule found."""
    groups = st.doc.spans
    if "attr_cue" not in groups:
        return
    # characters already claimed, as a byte mask: an any() over a list of ranges per test was 60% of
    # this component's time with the tagger on
    mask = bytearray(len(st.text))

    def claim(ranges: Iterable[tuple[int, int] | None]) -> None:
        for r in ranges:
            if r is not None:
                mask[r[0]:r[1]] = b"\x01" * (r[1] - r[0])

    def free(s: int, e: int) -> bool:
        return mask.find(1, s, e) < 0

    claim(r for a in st.attrs for r in (a.cue, a.source, *a.content))

    def ranges(key: str) -> list[tuple[int, int]]:
        if key not in groups:
            return []
        out = []
        for sp in groups[key]:
            r = st.trim(sp.start_char, sp.end_char) if len(sp) else None
            if r is not None:
                out.append(r)
        return out

    sources, contents = ranges("attr_source"), ranges("attr_content")
    for cs, ce in ranges("attr_cue"):
        if not free(cs, ce):
            continue
        # a verb cue the lexicon lacks: the parse gives source and content as for a known cue
        # (on dev, parse-derived contents were exact twice as often as the tagger's own spans)
        verb = next((t for t in reversed(st.toks[st.tok_at(cs):st.tok_at(ce - 1) + 1])
                     if st.parsed and t.pos_ == "VERB"), None)
        if verb is not None and verb.lemma_ in st.markers.not_cue_verbs:
            continue
        if verb is not None:
            known = lex.cue_for(verb.lemma_) or lex.Cue(verb.lemma_, "speech", AttributionKind.INDIRECT,
                                                        Factuality.REPORTED)
            a = verbs.from_verb(st, verb, known)
            if a is not None and a.cue is not None and free(*a.cue) and all(free(*c) for c in a.content):
                a.confidence = _CONF_MODEL
                st.attrs.append(a)
                claim((a.source, a.cue, *a.content))
                continue
        sent = st.sent(cs)
        near_c = [c for c in contents if free(*c) and abs(st.sent(c[0]) - sent) <= 1]
        if not near_c:
            continue
        content = min(near_c, key=lambda c: abs(c[0] - cs))
        near_s = [x for x in sources if free(*x) and st.sent(x[0]) == sent and not
                  (content[0] <= x[0] < content[1])]
        if not near_s:
            continue  # tagger spans without a source were right a third of the time on dev
        source = st.noun_phrase(min(near_s, key=lambda x: abs(x[0] - cs)))
        subj = st.subject(verb) if verb is not None else None
        whole = st.source_span(subj) if subj is not None else None
        if subj is not None and whole is not None and whole[0] <= source[0] and source[1] <= whole[1]:
            # the tagger marked part of the cue verb's subject ("[Tom] Clarke, a nursing home owner,"):
            # the parse gives the whole phrase, as for a rule-found cue
            source = whole
        if not free(*source) or not st.nominal(source):
            continue
        named = st.named(subj) if source is whole and subj is not None else None
        head = named.i if named is not None else st.tok_at(source[1] - 1)
        cue_tok = st.tok_at(cs)
        cue = lex.cue_for(st.toks[cue_tok].lemma_) if st.toks[cue_tok].lemma_ else None
        spans = [st.snap(*content)]
        st.attrs.append(Draft(kind=cue.kind if cue else AttributionKind.INDIRECT, content=spans,
                                source=source, source_head=head, cue=(cs, ce), cue_tok=cue_tok,
                                cls=cue.cls if cue else "speech",
                                factuality=cue.factuality if cue else Factuality.REPORTED,
                                confidence=_CONF_MODEL))
        claim((source, (cs, ce), content))
