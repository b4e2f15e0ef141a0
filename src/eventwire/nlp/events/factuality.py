"""Stage "factuality": whether an event happened as told, and the words that say so.

Negated events are dropped (``negated``) and evaluated ones ("these attacks are controversial") too
(``evaluated``); conditional, alleged, speculated or planned markers in the trigger's clause or up to
``_MODAL_CLIMB`` governing verbs set the factuality; otherwise the attribution whose content holds the
trigger (reported, alleged, ...), else asserted.  Word lists: ``data/event_modality.json``.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from spacy.tokens import Span, Token

from eventwire.model import Attribution, CharSpan, Factuality
from eventwire.nlp import tables
from eventwire.nlp.docindex import doc_text
from eventwire.nlp.events.roles import clause_head

__all__ = ["attribution_of", "evaluated", "factuality_of", "habitual", "modality", "negated"]

_MODAL_DEPS = frozenset({"aux", "auxpass", "neg", "mark", "advmod", "acomp"})

# how far up the tree a modal marker may sit above the trigger: "said [it could [take action]]" is 2 steps
_MODAL_CLIMB = 3



@cache
def modality() -> dict[str, Any]:
    """The modality word lists of ``data/event_modality.json``, as sets."""
    data: dict[str, Any] = json.loads(tables.text("event_modality.json"))
    return {k: (frozenset(v) if isinstance(v, list) else v) for k, v in data.items()}


def negated(tok: Token) -> bool:
    """Whether the trigger or its clause verb is negated, or a noun trigger denied by its determiner ("Trump
    has [no] meaningful opposition", "[no] talks were held")."""
    words = modality()["negation"]
    if tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
        return True
    heads = [tok, clause_head(tok)]
    return any(
        c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in words) for h in heads for c in h.children
    )


def habitual(tok: Token) -> bool:
    """Whether the trigger or its clause verb says how things usually go rather than what happened ("she
    [rarely] asks her colleagues to campaign for her", "they [often] meet"): a generic statement is no
    event."""
    words = modality()["habitual"]
    return any(c.dep_ == "advmod" and c.lower_ in words for h in (tok, clause_head(tok)) for c in h.children)


def evaluated(tok: Token) -> bool:
    """A noun trigger that is the subject of "be" + adjective is talked about, not reported as happening:
    "These attacks are highly controversial" (but "attacks are imminent" announces them)."""
    head = tok.head
    m = modality()
    # an adjective that says whether or when it happens is no evaluation: "operations would be [imminent]"
    timing = m["planned"] | m["speculated"]
    return (tok.pos_ == "NOUN" and tok.dep_ == "nsubj" and head.lemma_ == "be"
            and any(c.dep_ == "acomp" and c.lemma_.lower() not in timing for c in head.children))


def _chain(trigger: Token) -> list[Token]:
    """The trigger, its clause verb and up to ``_MODAL_CLIMB`` governing verbs ("threatened [to attack]")."""
    out = [trigger]
    cur = clause_head(trigger)
    if cur.i != trigger.i:
        out.append(cur)
    for _ in range(_MODAL_CLIMB):
        if cur.dep_ not in ("xcomp", "ccomp", "advcl", "conj") or cur.head.i == cur.i:
            break
        if cur.head.lemma_.lower() in modality()["reporting"]:
            break
        cur = cur.head
        out.append(cur)
    return out


def _inverted(verb: Token) -> Token | None:
    """The auxiliary of a subordinate clause that puts it before its subject: a condition without "if"
    ("it would have been cool [had] Clinton congratulated him", "[should] Russia attack, ..."), the event
    only supposed (``conditional_inverting`` in data/event_modality.json).  A main clause so inverted is a
    question, which vetting reads."""
    inverting = modality()["conditional_inverting"]
    if verb.dep_ == "ROOT":
        return None
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return None
    aux = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ in inverting), None)
    if aux is None and verb.head.lower_ in inverting and verb.head.dep_ != "ROOT":
        aux = verb.head  # the parser may hang the clause under the auxiliary: "[had] -> Vey congratulated"
    return aux if aux is not None and aux.i < subj.i else None


def factuality_of(
    trigger: Token, sent: Span, attributions: tuple[Attribution, ...]
) -> tuple[Factuality, tuple[CharSpan, ...], str | None]:
    """The factuality, its cue words and the id of the attribution that holds the trigger."""
    m = modality()
    text = doc_text(trigger.doc)
    chain = _chain(trigger)
    markers: list[tuple[str, Token]] = []
    inverted: Token | None = None
    for h in chain:
        if inverted is None:
            inverted = _inverted(h)
        for c in h.children:
            if c.dep_ in _MODAL_DEPS:
                markers.append((c.lemma_.lower(), c))
                markers.append((c.lower_, c))
        for c in h.children:  # "offered X ... [if he resigns]": a conditional clause on the event
            if c.dep_ == "advcl":
                markers += [
                    (g.lower_, g) for g in c.children if g.dep_ == "mark" and g.lower_ in m["conditional"]
                ]
        if h.i != trigger.i and not any(c.dep_ == "prt" for c in h.children):
            # a governing verb marks the event ("[set] to attack", "[plans] talks"), not as a phrasal verb,
            # whose particle changes its sense: "has [set up] a base with warships" happened
            markers.append((h.lemma_.lower(), h))
    prefix = text[sent.start_char : trigger.idx].lower()
    decided: Factuality | None = None
    cue: Token | None = None
    for key, fact in (
        ("conditional", Factuality.CONDITIONAL),
        ("alleged", Factuality.ALLEGED),
        ("speculated", Factuality.SPECULATED),
        ("planned", Factuality.PLANNED),
    ):
        hit = next((tok for word, tok in markers if word in m[key]), None)
        if hit is None and key == "conditional":
            hit = inverted
        if hit is not None:
            decided, cue = fact, hit
            break
        if key == "alleged":
            phrase = next((p for p in m["alleged_phrases"] if p in prefix), None)
            if phrase is not None:
                at = text.lower().rfind(phrase, sent.start_char, trigger.idx)
                return (
                    Factuality.ALLEGED,
                    (CharSpan.of(text, at, at + len(phrase)),),
                    attribution_of(trigger.idx, attributions)[1],
                )
    via, attribution_id = attribution_of(trigger.idx, attributions)
    cues: tuple[CharSpan, ...] = ()
    if cue is not None:
        cues = (CharSpan.of(text, cue.idx, cue.idx + len(cue.text)),)
    if decided is not None:
        return decided, cues, attribution_id
    if via is not None:
        return via.factuality, tuple(via.factuality_cues), attribution_id
    return Factuality.ASSERTED, (), None


def attribution_of(at: int, attributions: tuple[Attribution, ...]) -> tuple[Attribution | None, str | None]:
    """The attribution whose content holds character ``at`` (the innermost one when nested)."""
    best: tuple[int, Attribution] | None = None
    for a in attributions:
        for s in a.content:
            if s.start <= at < s.end and (best is None or s.end - s.start < best[0]):
                best = (s.end - s.start, a)
    return (best[1], best[1].id) if best is not None else (None, None)
