"""Stage "type": which PLOVER types a sentence's events have, and the word that triggers each.

The trained classifier (``nlp/events/model``) scores the 16 types over the sentence's words and parse
relations; the best type above ``threshold`` becomes an event, a second one above ``second`` too when it has
a trigger word of its own, and the main verb's own type too when the best type came from a word below it and
the classifier gives the verb's type ``main_second`` ("[demanded] that they [refuse] ..."); a construction
settles its word's type and its event stands beside the classifier's.  The trigger is the lexicon word of
that type nearest the root (else the main verb, looking through reporting verbs into what was reported).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from spacy.tokens import Span, Token

from eventwire.nlp.events.detect import governing_verb
from eventwire.nlp.events.factuality import modality, negated
from eventwire.nlp.events.model import EventClassifier

__all__ = ["EventConfig", "depth", "main_verb", "trigger", "types"]

# a word inside a clause that only comments on the main event ("..., [killing] 80 people") counts 3 levels
# deeper when picking a trigger: "carried out several [attacks] ..., killing ..." keeps "attacks"
_SIDE_CLAUSES = frozenset({"advcl", "relcl", "acl", "parataxis"})
_SIDE_DEPTH = 3


@dataclass(frozen=True, slots=True)
class EventConfig:
    """The layer's thresholds (the factory's ``default_config``; type F1 on plover-dev/petrarch-dev against
    each: see ``events/model/MODEL_CARD.md``)."""

    threshold: float = 0.3
    second: float = 0.5
    # a type with a trigger word of its own in the sentence needs less confidence (the lexicon agrees)
    threshold_typed: float = 0.2
    lexicon_boost: float = 1.0
    threshold_fallback: float = 0.15
    typed_ratio: float = 0.5
    construction_boost: float = 2.0
    main_second: float = 0.2
    construction_floor: float = 0.05
    # a trigger word of another clause, of a type the sentence's reading left out, scored on its clause alone
    # (:func:`clause_types`; whole articles only): the least probability, and the types it may give
    clause: float = 1.0
    clause_types: frozenset[str] = frozenset()


def depth(tok: Token) -> int:
    """Tree depth of ``tok``, a side clause counting ``_SIDE_DEPTH`` levels."""
    d = 0
    steps = 0
    while tok.head.i != tok.i and steps < 50:
        d += _SIDE_DEPTH if tok.dep_ in _SIDE_CLAUSES else 1
        tok = tok.head
        steps += 1
    return d


def main_verb(sent: Span) -> Token:
    """The sentence's main event word: its root, or what a reporting root reports ("X said [Y attacked]")."""
    root = sent.root
    if root.lemma_.lower() in modality()["reporting"]:
        for c in root.children:
            if c.dep_ in ("ccomp", "xcomp"):
                return c
    return root


def types(config: EventConfig, classifier: EventClassifier | None, sent: Span,
          cands: list[tuple[Token, tuple[str, ...]]], settled_tokens: set[int]) -> list[tuple[str, float]]:
    """The types (with probabilities) of a sentence's events, from the classifier and the lexicon."""
    if classifier is not None:
        probs = classifier.classify(sent)
        labels = classifier.labels
        typed = {t for _, types in cands for t in types}
        settled = {types[0] for tok, types in cands if tok.i in settled_tokens}
        if settled and config.construction_boost != 1.0:
            # a construction is a surer signal than a lone lemma: "called on him to resign" asks
            boost = config.construction_boost
            probs = probs * numpy.array([boost if lab in settled else 1.0 for lab in labels])
            probs = probs / probs.sum()
        if config.lexicon_boost != 1.0:
            # two independent signals: a type the sentence also has a trigger word for is more likely
            probs = probs * numpy.array([config.lexicon_boost if lab in typed else 1.0 for lab in labels])
            probs = probs / probs.sum()
        order = numpy.argsort(-probs)
        out = [(labels[int(order[0])], float(probs[order[0]]))]
        if out[0][0] not in typed and config.typed_ratio < 1.0:
            # the best type has no trigger word here but a close runner-up has: "Critics ... [accuse] it"
            alt = next((int(j) for j in order[1:] if labels[int(j)] in typed), None)
            if alt is not None and float(probs[alt]) >= config.typed_ratio * out[0][1]:
                out = [(labels[alt], float(probs[alt]))]
        if len(order) > 1 and float(probs[order[1]]) >= config.second:
            out.append((labels[int(order[1])], float(probs[order[1]])))
        main = main_verb(sent)
        own = next((types for tok, types in cands if tok.i == main.i), ())
        if own and not {k for k, _ in out} & set(own):
            # the main verb is an event word of its own while the best type came from a word below it:
            # "Greece [demanded] that its partners [refuse] ..." is a demand beside the refusal
            p, lab = max((float(probs[labels.index(t)]), t) for t in own)
            if p >= config.main_second:
                out.append((lab, p))
        kept = [x for x in out if x[1] >= (config.threshold_typed if x[0] in typed else config.threshold)]
        if not kept and config.threshold_fallback < 1.0:
            # nothing confident: the best type that a trigger word of the sentence can signal, if the
            # classifier gives it some weight ("[placed] a bounty of $50 million on ..." at 0.19)
            best = max(((float(p), lab) for p, lab in zip(probs, labels, strict=True) if lab in typed),
                       default=(0.0, ""))
            if best[0] >= config.threshold_fallback:
                kept = [(best[1], best[0])]
        for lab in sorted(settled - {k for k, _ in kept}):
            # a construction is precise where a lemma is not: its event stands even when the classifier
            # prefers another reading of the sentence ("called on him to resign over the phone", 0.16),
            # unless the classifier all but rules it out ("warships ... launched war games", 0.016)
            p = float(probs[labels.index(lab)])
            if p >= config.construction_floor:
                kept.append((lab, p))
        # a construction's type picks its trigger first: it settles its word's sense, so another type may not
        # take that word as the sentence's fallback trigger ("Feinstein [called] on the department to look
        # at ..." asks; it is no phone call)
        kept.sort(key=lambda x: x[0] not in settled)
        return kept
    # no trained weights: the lexicon type of the word nearest the root, at a low confidence
    _, types = min(cands, key=lambda c: depth(c[0]))
    return [(types[0], 0.3)]


def clause_types(config: EventConfig, classifier: EventClassifier | None, sent: Span,
                 cands: list[tuple[Token, tuple[str, ...]]], used: set[int], kinds: set[str],
                 settled: set[int] | frozenset[int] = frozenset()) -> list[tuple[Token, str, float]]:
    """Events of a sentence's other clauses: the classifier reads a sentence as one or two types, so "The
    strikes killed several children and [triggered] impassioned [protests] in the city" lost the protest to
    the killing.  A trigger word no type of the sentence took (``used``), of a type none of them is
    (``kinds``) and one of ``config.clause_types``, is scored on its own clause alone (its verb's words, a
    noun's governing verb's), and is an event of its type where that reaches ``config.clause``.  Not for a
    clause that is the whole sentence (already read), nor a noun that a date names ("the [2011] terrorist
    attacks", "the September attacks"): a happening told by its date is one the article recalls, most
    often told elsewhere in it.  A word a construction settled (``settled``: "[pledged] to work closely with
    ...") is an event of its type whatever its clause scores, even where its clause is the whole sentence."""
    if classifier is None or config.clause >= 1.0 or not config.clause_types:
        return []
    out: list[tuple[Token, str, float]] = []
    taken = set(used)
    for tok, all_types in cands:
        # a construction settles its word's type ("[pledged] to work closely with ..." agrees), whatever the
        # sentence was read as: it stands at any score, of any type
        construed = tok.i in settled
        types = all_types if construed else tuple(t for t in all_types if t in config.clause_types)
        if not types or tok.i in taken or set(types) & kinds:
            continue
        if tok.pos_ == "NOUN" and any(c.ent_type_ == "DATE" for c in tok.children):
            continue
        head = tok if tok.pos_ == "VERB" else (governing_verb(tok) or tok)
        lo, hi = head.left_edge.i, head.right_edge.i + 1
        if lo <= sent.start and hi >= sent.end and not construed:
            continue
        probs = classifier.classify(sent.doc[lo:hi])
        p, lab = max((float(probs[classifier.labels.index(t)]), t) for t in types)
        if p >= config.clause or construed:
            out.append((tok, lab, p))
            taken.add(tok.i)
            kinds = kinds | {lab}
    return out


def trigger(
    sent: Span, kind: str, cands: list[tuple[Token, tuple[str, ...]]], used: set[int]
) -> tuple[Token, bool] | None:
    """The trigger of a ``kind`` event and whether it is a lexicon word of that type."""
    typed = [t for t, types in cands if kind in types and t.i not in used]
    if typed:
        typed.sort(key=lambda t: (negated(t), depth(t), t.pos_ != "VERB", t.i))
        return typed[0], True
    if used:
        return None  # a second event needs a trigger word of its own
    main = main_verb(sent)
    return main, False
