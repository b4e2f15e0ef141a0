"""spaCy component "eventwire_events": PLOVER-typed events with actor, target, date, place, counts and
factuality, each pointing at the words that support it.  Writes ``doc._.ew_events``.

Per sentence:
1. the trigger lexicon (``data/plover_triggers.tsv``) nominates sentences: one without a trigger word costs
   one dictionary look-up per word and nothing more;
2. the trained classifier (``nlp/models/events``) scores the 16 types over the sentence's words and parse
   relations; the best type above ``threshold`` becomes an event, a second one above ``second`` too when it
   has a trigger word of its own, and the main verb's own type too when the best type came from a word
   below it and the classifier gives the verb's type 0.2 ("[demanded] that they [refuse] ..."); a
   construction (``data/plover_constructions.tsv``: "call ON someone TO do something") settles its word's
   type and its event stands beside the classifier's;
3. the trigger is the lexicon word of that type nearest the root (else the main verb, looking through
   reporting verbs into what was reported);
4. actor and target come from the parse (events/args.py), the place from locative phrases
   (events/places.py), counts and money from the sentence (events/quantities.py), the date from the clause's
   time expressions (publication date only as a labelled fallback);
5. factuality: negated events are dropped; conditional, alleged, speculated or planned markers in the clause
   set it; otherwise the attribution whose content holds the trigger (reported, alleged, ...), else asserted.
   Speculated material conflict ("could take action soon") is dropped: speculation is not an attack.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
from dataclasses import replace
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, POS, SENT_START
from spacy.language import Language
from spacy.symbols import NOUN, VERB
from spacy.tokens import Doc, Span, Token

from eventwire.model import Attribution, CharSpan, Event, EventDate, Factuality, TimeExpr
from eventwire.nlp import tables
from eventwire.nlp.docindex import EntityLookup, doc_text, index_of
from eventwire.nlp.events.args import actor_of, clause_head, speaker_of, target_of
from eventwire.nlp.events.lexicon import constructions, mode_words, planned_as, trigger_types
from eventwire.nlp.events.places import place_of
from eventwire.nlp.events.plover import event_type
from eventwire.nlp.events.quantities import find_quantities
from eventwire.nlp.extensions import register_extensions
from eventwire.nlp.models.events import MODEL_DIR, EventClassifier, load_classifier

__all__ = ["EventFinder", "make_event_finder"]

log = logging.getLogger(__name__)

_PRECISION = {
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
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_MODAL_DEPS = frozenset({"aux", "auxpass", "neg", "mark", "advmod", "acomp"})
# how far up the tree a modal marker may sit above the trigger: "said [it could [take action]]" is 2 steps
_MODAL_CLIMB = 3
_warned: list[bool] = []


@cache
def _modality() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(tables.text("event_modality.json"))
    return {k: (frozenset(v) if isinstance(v, list) else v) for k, v in data.items()}


# a word inside a clause that only comments on the main event ("..., [killing] 80 people") counts 3 levels
# deeper when picking a trigger: "carried out several [attacks] ..., killing ..." keeps "attacks"
_SIDE_CLAUSES = frozenset({"advcl", "relcl", "acl", "parataxis"})
_SIDE_DEPTH = 3


# a single line break ends a sentence when the line before it ends like one or is a short caption or heading
# ("Image: keystone" + newline + the next paragraph); a hard-wrapped line of running text does neither
_LINE_END = frozenset(".!?:;\"”’)]")
_SHORT_LINE = 8


def _line_break(doc: Doc, i: int, start: int) -> bool:
    """Whether the whitespace token ``i`` cuts the parser's sentence that begins at ``start`` in two for
    event classification."""
    text = doc[i].text
    if "\n\n" in text:
        return True
    if "\n" not in text or i <= start:
        return False
    if doc[i - 1].text[-1] in _LINE_END:
        return True
    words = 0
    j = i - 1
    while j >= start and not (doc[j].is_space and "\n" in doc[j].text):
        words += not (doc[j].is_punct or doc[j].is_space)
        if words >= _SHORT_LINE:
            return False
        j -= 1
    return True


def _governing_verb(tok: Token) -> Token | None:
    """The verb a noun belongs to ("[attacked] a base with warships"), at most three heads up."""
    cur = tok
    for _ in range(3):
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.pos_ == "VERB":
            return cur
    return None


def _depth(tok: Token) -> int:
    d = 0
    steps = 0
    while tok.head.i != tok.i and steps < 50:
        d += _SIDE_DEPTH if tok.dep_ in _SIDE_CLAUSES else 1
        tok = tok.head
        steps += 1
    return d


def _negated(tok: Token) -> bool:
    words = _modality()["negation"]
    heads = [tok, clause_head(tok)]
    return any(
        c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in words) for h in heads for c in h.children
    )


def _evaluated(tok: Token) -> bool:
    """A noun trigger that is the subject of "be" + adjective is talked about, not reported as happening:
    "These attacks are highly controversial" (but "attacks are imminent" announces them)."""
    head = tok.head
    m = _modality()
    # an adjective that says whether or when it happens is no evaluation: "operations would be [imminent]"
    timing = m["planned"] | m["speculated"]
    return (tok.pos_ == "NOUN" and tok.dep_ == "nsubj" and head.lemma_ == "be"
            and any(c.dep_ == "acomp" and c.lemma_.lower() not in timing for c in head.children))


def _main_verb(sent: Span) -> Token:
    """The sentence's main event word: its root, or what a reporting root reports ("X said [Y attacked]")."""
    root = sent.root
    if root.lemma_.lower() in _modality()["reporting"]:
        for c in root.children:
            if c.dep_ in ("ccomp", "xcomp"):
                return c
    return root


class EventFinder:
    """Finds events in a parsed, entity- and attribution-annotated Doc."""

    def __init__(
        self,
        classifier: EventClassifier | None,
        threshold: float = 0.3,
        second: float = 0.5,
        threshold_typed: float = 0.2,
        lexicon_boost: float = 1.0,
        threshold_fallback: float = 0.15,
        typed_ratio: float = 0.5,
        construction_boost: float = 2.0,
        main_second: float = 0.2,
        construction_floor: float = 0.05,
    ) -> None:
        self.classifier = classifier
        # type F1 on plover-dev/petrarch-dev against threshold: see MODEL_CARD.md
        self.threshold = threshold
        self.second = second
        # a type with a trigger word of its own in the sentence needs less confidence (the lexicon agrees)
        self.threshold_typed = threshold_typed
        self.lexicon_boost = lexicon_boost
        self.threshold_fallback = threshold_fallback
        self.typed_ratio = typed_ratio
        self.construction_boost = construction_boost
        self.main_second = main_second
        self.construction_floor = construction_floor
        self.lexicon = trigger_types()
        self.constructions = constructions()
        # No per-article state on self: the API analyses POSTs from a thread pool with one shared pipeline.

    # ------------------------------------------------------------------ per document

    def __call__(self, doc: Doc) -> Doc:
        register_extensions()
        if not len(doc) or not doc.has_annotation("DEP"):
            doc._.ew_events = ()
            return doc
        index = index_of(doc).entities(doc)
        times: tuple[TimeExpr, ...] = doc._.ew_times
        attributions: tuple[Attribution, ...] = doc._.ew_attributions
        published: str | None = doc._.ew_published
        events: list[Event] = []
        # one array read instead of a Python Token per word: a 750-word article has ~40 candidate words
        arr = doc.to_array([SENT_START, POS, LEMMA, IS_SPACE, DEP])
        starts = [0] + [int(i) for i in numpy.flatnonzero(arr[:, 0] == 1) if i > 0]
        ends = [*starts[1:], len(doc)]
        spaces = [int(i) for i in numpy.flatnonzero(arr[:, 3])]
        breaks = [i for i in spaces if _line_break(doc, i, starts[bisect.bisect_right(starts, i) - 1])]
        settled: set[int] = set()  # token indexes of this Doc whose construction matched
        found = self._candidate_types(doc, arr, settled)
        keys = sorted(found)
        for si, (a, b) in enumerate(zip(starts, ends, strict=True)):
            if bisect.bisect_left(keys, a) == bisect.bisect_left(keys, b):
                continue  # no trigger word: nothing to classify
            # a paragraph break inside a "sentence" (a headline or byline the parser ran on) splits it
            cuts = (
                [a] + [i for i in breaks[bisect.bisect_left(breaks, a) : bisect.bisect_left(breaks, b)]] + [b]
            )
            for lo, hi in pairwise(cuts):
                inside = keys[bisect.bisect_left(keys, lo) : bisect.bisect_left(keys, hi)]
                cands = [(doc[i], found[i]) for i in inside]
                if cands:
                    events += self._sentence(doc[lo:hi], si, cands, settled, index, times, attributions,
                                             published)
        doc._.ew_events = tuple(replace(e, id=f"V{i + 1}") for i, e in enumerate(events))
        return doc

    def _candidate_types(self, doc: Doc, arr: Any, settled: set[int]) -> dict[int, tuple[str, ...]]:
        """Token index -> the types its lemma can signal, for every trigger word of the Doc (reporting verbs
        excepted: what they report holds the event); adds the words a construction settled to ``settled``."""
        strings = doc.vocab.strings
        reporting = _modality()["reporting"]
        compound = strings["compound"]
        out: dict[int, tuple[str, ...]] = {}
        for pos_id, pc in ((VERB, "V"), (NOUN, "N")):
            for i in numpy.flatnonzero(arr[:, 1] == pos_id):
                if pos_id == NOUN and arr[i, 4] == compound:
                    continue  # a noun naming a kind of thing is no event: "threat base", "attack helicopter"
                lemma = strings[int(arr[i, 2])].lower()
                types = self.lexicon.get((lemma, pc), ())
                if lemma in reporting or not (types or (lemma, pc) in self.constructions):
                    continue
                # a word outside the lexicon is a trigger only in its construction ("land [operations]")
                construed = self._construed(doc[int(i)], lemma, pc, types, settled)
                if construed:
                    out[int(i)] = construed
        return out

    def _construed(self, tok: Token, lemma: str, pc: str, types: tuple[str, ...],
                   settled: set[int]) -> tuple[str, ...]:
        """The word's types, or the one type its construction settles ("called ON him TO resign" asks)."""
        verb = _governing_verb(tok) if pc == "N" else None
        governed = self.lexicon.get((verb.lemma_.lower(), "V"), ()) if verb is not None else ()
        for cx in self.constructions.get((lemma, pc), ()):
            if governed and cx.type not in governed:
                continue  # "attacked warships off the coast": the ships are what another event is done to
            if cx.matches((c.dep_, c.lower_) for c in tok.children):
                settled.add(tok.i)
                return (cx.type,)
        return types

    def _types(self, sent: Span, cands: list[tuple[Token, tuple[str, ...]]],
               settled_tokens: set[int]) -> list[tuple[str, float]]:
        if self.classifier is not None:
            probs = self.classifier.classify(sent)
            labels = self.classifier.labels
            typed = {t for _, types in cands for t in types}
            settled = {types[0] for tok, types in cands if tok.i in settled_tokens}
            if settled and self.construction_boost != 1.0:
                # a construction is a surer signal than a lone lemma: "called on him to resign" asks
                boost = self.construction_boost
                probs = probs * numpy.array([boost if lab in settled else 1.0 for lab in labels])
                probs = probs / probs.sum()
            if self.lexicon_boost != 1.0:
                # two independent signals: a type the sentence also has a trigger word for is more likely
                probs = probs * numpy.array([self.lexicon_boost if lab in typed else 1.0 for lab in labels])
                probs = probs / probs.sum()
            order = numpy.argsort(-probs)
            out = [(labels[int(order[0])], float(probs[order[0]]))]
            if out[0][0] not in typed and self.typed_ratio < 1.0:
                # the best type has no trigger word here but a close runner-up has: "Critics ... [accuse] it"
                alt = next((int(j) for j in order[1:] if labels[int(j)] in typed), None)
                if alt is not None and float(probs[alt]) >= self.typed_ratio * out[0][1]:
                    out = [(labels[alt], float(probs[alt]))]
            if len(order) > 1 and float(probs[order[1]]) >= self.second:
                out.append((labels[int(order[1])], float(probs[order[1]])))
            main = _main_verb(sent)
            own = next((types for tok, types in cands if tok.i == main.i), ())
            if own and not {k for k, _ in out} & set(own):
                # the main verb is an event word of its own while the best type came from a word below it:
                # "Greece [demanded] that its partners [refuse] ..." is a demand beside the refusal
                p, lab = max((float(probs[labels.index(t)]), t) for t in own)
                if p >= self.main_second:
                    out.append((lab, p))
            kept = [x for x in out if x[1] >= (self.threshold_typed if x[0] in typed else self.threshold)]
            if not kept and self.threshold_fallback < 1.0:
                # nothing confident: the best type that a trigger word of the sentence can signal, if the
                # classifier gives it some weight ("[placed] a bounty of $50 million on ..." at 0.19)
                best = max(((float(p), lab) for p, lab in zip(probs, labels, strict=True) if lab in typed),
                           default=(0.0, ""))
                if best[0] >= self.threshold_fallback:
                    kept = [(best[1], best[0])]
            for lab in sorted(settled - {k for k, _ in kept}):
                # a construction is precise where a lemma is not: its event stands even when the classifier
                # prefers another reading of the sentence ("called on him to resign over the phone", 0.16),
                # unless the classifier all but rules it out ("warships ... launched war games", 0.016)
                p = float(probs[labels.index(lab)])
                if p >= self.construction_floor:
                    kept.append((lab, p))
            return kept
        # no trained weights: the lexicon type of the word nearest the root, at a low confidence
        _, types = min(cands, key=lambda c: _depth(c[0]))
        return [(types[0], 0.3)]

    def _trigger(
        self, sent: Span, kind: str, cands: list[tuple[Token, tuple[str, ...]]], used: set[int]
    ) -> tuple[Token, bool] | None:
        typed = [t for t, types in cands if kind in types and t.i not in used]
        if typed:
            typed.sort(key=lambda t: (_negated(t), _depth(t), t.pos_ != "VERB", t.i))
            return typed[0], True
        if used:
            return None  # a second event needs a trigger word of its own
        main = _main_verb(sent)
        return main, False

    def _sentence(
        self,
        sent: Span,
        si: int,
        cands: list[tuple[Token, tuple[str, ...]]],
        settled: set[int],
        index: EntityLookup,
        times: tuple[TimeExpr, ...],
        attributions: tuple[Attribution, ...],
        published: str | None,
    ) -> list[Event]:
        out: list[Event] = []
        used: set[int] = set()
        for kind, prob in self._types(sent, cands, settled):
            picked = self._trigger(sent, kind, cands, used)
            if picked is None:
                continue
            trigger, typed = picked
            used.add(trigger.i)
            if _negated(trigger) or _evaluated(trigger):
                continue
            factuality, cues, attribution = _factuality(trigger, sent, attributions)
            announced = factuality == Factuality.PLANNED and kind in planned_as()
            if announced:
                kind = planned_as()[kind]  # "will visit": an agreement to meet, not yet a meeting
            if factuality == Factuality.SPECULATED and event_type(kind).quad == 4:
                continue  # speculation about force, sanctions or protest is not that event (GDELT's failure)
            bounds = (sent.start, sent.end)
            if not out:  # one reading per sentence, shared by its events
                quantities = tuple(find_quantities(doc_text(sent.doc), sent.start_char, sent.end_char))
            actor, actor_head = actor_of(trigger, index, bounds)
            if actor is None and announced and attribution is not None:
                # nobody acts yet in "operations would be imminent": the one who announces them does
                source = next((a.source for a in attributions if a.id == attribution), None)
                if source is not None:
                    actor, actor_head = speaker_of(source, sent.doc, index, bounds)
            target = target_of(trigger, actor_head, index, bounds)
            text = doc_text(sent.doc)
            out.append(
                Event(
                    id="",
                    type=kind,
                    trigger=CharSpan.of(text, trigger.idx, trigger.idx + len(trigger.text)),
                    mode=_mode(kind, trigger),
                    actor=actor,
                    target=target,
                    date=_date(trigger, sent, si, times, published),
                    place=place_of(trigger, index),
                    quantities=quantities,
                    factuality=factuality,
                    factuality_cues=cues,
                    attribution=attribution,
                    sentence=si,
                    confidence=round(prob * (1.0 if typed else 0.8), 3),
                )
            )
        return out


def _mode(kind: str, trigger: Token) -> str | None:
    modes = mode_words().get(kind)
    if not modes:
        return None
    lemma = trigger.lemma_.lower()
    for mode, words in modes:
        if lemma in words:
            return mode
    clause = clause_head(trigger)
    # the words next to the trigger and its clause verb, not the whole sentence: "spoke [on the phone]"
    near = [*trigger.children, *clause.children, *(g for c in trigger.children for g in c.children)]
    lemmas = {t.lemma_.lower() for t in near} | {t.lower_ for t in near}
    for mode, words in modes:
        if lemmas & words:
            return mode
    return None


def _chain(trigger: Token) -> list[Token]:
    """The trigger, its clause verb and up to ``_MODAL_CLIMB`` governing verbs ("threatened [to attack]")."""
    out = [trigger]
    cur = clause_head(trigger)
    if cur.i != trigger.i:
        out.append(cur)
    for _ in range(_MODAL_CLIMB):
        if cur.dep_ not in ("xcomp", "ccomp", "advcl", "conj") or cur.head.i == cur.i:
            break
        if cur.head.lemma_.lower() in _modality()["reporting"]:
            break
        cur = cur.head
        out.append(cur)
    return out


def _factuality(
    trigger: Token, sent: Span, attributions: tuple[Attribution, ...]
) -> tuple[Factuality, tuple[CharSpan, ...], str | None]:
    m = _modality()
    text = doc_text(trigger.doc)
    chain = _chain(trigger)
    markers: list[tuple[str, Token]] = []
    for h in chain:
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
                    _attribution(trigger.idx, attributions)[1],
                )
    via, attribution_id = _attribution(trigger.idx, attributions)
    cues: tuple[CharSpan, ...] = ()
    if cue is not None:
        cues = (CharSpan.of(text, cue.idx, cue.idx + len(cue.text)),)
    if decided is not None:
        return decided, cues, attribution_id
    if via is not None:
        return via.factuality, tuple(via.factuality_cues), attribution_id
    return Factuality.ASSERTED, (), None


def _attribution(at: int, attributions: tuple[Attribution, ...]) -> tuple[Attribution | None, str | None]:
    """The attribution whose content holds character ``at`` (the innermost one when nested)."""
    best: tuple[int, Attribution] | None = None
    for a in attributions:
        for s in a.content:
            if s.start <= at < s.end and (best is None or s.end - s.start < best[0]):
                best = (s.end - s.start, a)
    return (best[1], best[1].id) if best is not None else (None, None)


def _date(
    trigger: Token, sent: Span, si: int, times: tuple[TimeExpr, ...], published: str | None
) -> EventDate | None:
    usable = [
        t
        for t in times
        if sent.start_char <= t.span.start < sent.end_char
        and t.value
        and not t.value.endswith("_REF")
        and t.type in ("DATE", "TIME")
        and t.precision in _PRECISION
    ]
    if usable:
        doc = trigger.doc
        idx = [tok.idx for tok in sent]
        clause = {t.i for t in clause_head(trigger).subtree}

        def rank(t: TimeExpr) -> tuple[int, int]:
            tok = doc[sent.start + max(bisect.bisect_right(idx, t.span.start) - 1, 0)]
            return (0 if tok.i in clause else 1, abs(t.span.start - trigger.idx))

        best = min(usable, key=rank)
        return EventDate(value=best.value, precision=_PRECISION[best.precision], source="text", time=best.id)
    if published and _ISO_DAY.match(published):
        return EventDate(value=published[:10], precision="day", source="published")
    return None


_DEFAULTS: dict[str, Any] = {"model_dir": "", "threshold": 0.3, "second": 0.5, "threshold_typed": 0.2,
                             "lexicon_boost": 1.0, "threshold_fallback": 0.15,
                             "typed_ratio": 0.5, "construction_boost": 2.0, "main_second": 0.2,
                             "construction_floor": 0.05}


@Language.factory(
    "eventwire_events",
    default_config=_DEFAULTS,
    assigns=["doc._.ew_events"],
    requires=["doc._.ew_entities", "doc._.ew_times", "doc._.ew_attributions", "token.dep", "token.lemma",
              "doc.sents"],
)
def make_event_finder(
    nlp: Language,
    name: str,
    model_dir: str,
    threshold: float,
    second: float,
    threshold_typed: float,
    lexicon_boost: float,
    threshold_fallback: float,
    typed_ratio: float,
    construction_boost: float,
    main_second: float,
    construction_floor: float,
) -> EventFinder:
    register_extensions()
    clf = load_classifier(Path(model_dir) if model_dir else MODEL_DIR)
    if clf is None and not _warned:
        _warned.append(True)
        log.warning(
            "event classifier weights not found in %s: event types come from the trigger lexicon only "
            "(run `make train-events`)",
            model_dir or MODEL_DIR,
        )
    return EventFinder(clf, threshold=threshold, second=second, threshold_typed=threshold_typed,
                       lexicon_boost=lexicon_boost, threshold_fallback=threshold_fallback,
                       typed_ratio=typed_ratio, construction_boost=construction_boost,
                       main_second=main_second, construction_floor=construction_floor)
