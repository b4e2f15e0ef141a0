"""Stage "speech": what a speaker does by saying it.

Most happenings an annotator counts in whole news articles are speech acts (events-news tuning part: 79 of
131 are accusations, support or requests), and most of them have no event word at all: "The governor is a
disgrace," the senator said; she called the meeting "excellent"; "I vote for her to unite us".  The trigger
lexicon cannot find them (a reporting verb reports; it is not itself an event), so this stage reads the
attribution layer's output instead: every attribution with a source is a candidate speech act, typed by a
small trained softmax model (``events/model/speech.json``, ``scripts/train_event_speech.py``) over the words
of its content, its cue and the rest of its sentence, and VADER's sentiment of both, into the speech-act
types the model was trained with (accusing, supporting, requesting, rejecting, threatening) or none.  Its
actor is the source, its target the person or organisation the content is about: a name, or a word for people
or a body where no name says whom ("accused [the rebels] of bad faith"), as a trained ranker weighs them.
The candidates go on to the vet stage like every other: they are only nominated here.

A pure function of model objects (no spaCy objects), so the trainer reads exactly what the product does.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from eventwire.model import (
    Attribution,
    AttributionKind,
    CharSpan,
    Entity,
    Event,
    EventArg,
    EventDate,
    Factuality,
    Mention,
    MentionKind,
    TimeExpr,
)
from eventwire.nlp import tables
from eventwire.nlp.docindex import EntityLookup
from eventwire.nlp.events.dates import dateable, event_date, owned, publication_fallback

__all__ = ["SpeechModel", "common_candidates", "load_speech_model", "speech_events", "speech_features",
           "speech_target", "target_candidates"]

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_NEGATORS = frozenset({"not", "no", "never", "n't", "nothing", "nobody", "neither", "nor", "without"})
# a speech act is done to a person or a body: a country named in a quote is usually where, not whom
_TARGET_TYPES = ("PERSON", "ORG", "NORP", "GPE")
_LOCATIVE = re.compile(r"\b(?:in|at|inside|outside|near)\s+(?:the\s+)?$", re.IGNORECASE)
_CHANNEL = re.compile(r"\b(?:on|via)\s+(?:the\s+)?$", re.IGNORECASE)
_FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our", "myself", "ourselves"})
# how near the cue (characters) a time expression says when something was said: events-news tune date
# accuracy .683 (the sentence's time nearest the cue) -> .717 at 30 (60: .683; never: .650)
_CUE_REACH = 30


@dataclass(frozen=True, slots=True)
class SpeechModel:
    """Softmax weights over :func:`speech_features` (``speech.json``)."""

    labels: tuple[str, ...]  # "none" first
    weights: Mapping[str, Sequence[float]]  # feature -> one weight per label
    floor: float  # a candidate is nominated when its best act type has at least this probability
    targets: Mapping[str, float] = field(default_factory=dict)  # the target ranker's weights

    def may_nominate(self, features: Mapping[str, float]) -> bool:
        """Whether some act type could reach the floor once VADER's features are added to ``features``
        (which lack them): False only where no polarity can lift any act that far, so the caller may skip
        VADER and nominate exactly what it nominated before.  On 100 bench articles VADER ran 59.5 times per
        article before, 7.5 now, at ~53 us a call: ~2.7 ms CPU per article (this Intel Xeon); extract output
        byte-identical on events-news dev, events-heldout and 100 bench articles.  Each pair of polarity
        features is bounded together: ``*_pos``/``*_neg`` come from one compound score (one of them is 0,
        each at most 1) and ``*_posw``/``*_negw`` are shares of the text (at least 0, summing to at most 1),
        so a weight difference ``a`` on one and ``b`` on the other changes a logit difference by at least
        ``min(0, a, b)``."""
        n = len(self.labels)
        zero = [0.0] * n
        z = self._logits(features)
        pairs = [(self.weights.get(f"{prefix}_{a}", zero), self.weights.get(f"{prefix}_{b}", zero))
                 for prefix in _POLARITY_PREFIXES for a, b in _POLARITY_PAIRS]
        for act in range(1, n):
            rest = 0.0
            for other in range(n):
                if other != act:
                    gap = z[other] - z[act] + _SHARE_SLACK * sum(
                        min(0.0, w1[other] - w1[act], w2[other] - w2[act]) for w1, w2 in pairs)
                    rest += math.exp(gap)
            if 1.0 / (1.0 + rest) >= self.floor - _BOUND_MARGIN:
                return True
        return False

    def _logits(self, features: Mapping[str, float]) -> list[float]:
        z = [0.0] * len(self.labels)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None:
                for k, w in enumerate(row):
                    z[k] += value * w
        return z

    def probabilities(self, features: Mapping[str, float]) -> list[float]:
        z = self._logits(features)
        top = max(z)
        exp = [math.exp(v - top) for v in z]
        total = sum(exp)
        return [v / total for v in exp]


def load_speech_model(path: Path) -> SpeechModel | None:
    """The model saved by scripts/train_event_speech.py, or None when absent."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return SpeechModel(labels=tuple(data["labels"]),
                       weights={str(k): tuple(float(x) for x in v) for k, v in data["weights"].items()},
                       floor=float(data["floor"]),
                       targets={str(k): float(v) for k, v in data.get("targets", {}).items()})


@cache
def _sentiment() -> Any:
    """VADER's rule-based sentiment analyser (a registry package, its lexicon inside): how warmly or harshly
    the content speaks, with negation and intensifiers handled, a prior the few thousand training
    attributions cannot learn word by word.  Stateless between calls: shared by threads."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=2048)
def sentiment_of(text: str) -> tuple[float, float, float]:
    """(compound, pos, neg) of VADER's scores, remembered: a content is often its whole sentence, and one
    content is read for each cue that reports it (a fifth of the calls on the bench corpus; VADER takes
    ~30-65 us a call, ~2-5 ms of the events layer per bench article).  A pure function of the text, so the
    memo is safe to share between threads."""
    scores = _sentiment().polarity_scores(text)
    return float(scores["compound"]), float(scores["pos"]), float(scores["neg"])


# the features _polarity writes, as "<prefix>_<name>": pos/neg from VADER's compound score, posw/negw its
# positive and negative shares of the text
_POLARITY_PREFIXES = ("content", "sentence")
_POLARITY_PAIRS = (("pos", "neg"), ("posw", "negw"))
# VADER rounds each share to 3 decimals: a pair may sum to 1.001, bounded as if it reached 1.01
_SHARE_SLACK = 1.01
# the bound is summed in another order than the probabilities: a candidate within this of the floor is
# always scored in full
_BOUND_MARGIN = 1e-6


def _polarity(text: str, prefix: str, out: dict[str, float]) -> None:
    compound, pos, neg = sentiment_of(text)
    out[f"{prefix}_pos"] = max(compound, 0.0)
    out[f"{prefix}_neg"] = max(-compound, 0.0)
    out[f"{prefix}_posw"] = pos
    out[f"{prefix}_negw"] = neg


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _surname(name: str) -> str | None:
    """The last capitalised word of a name ("Obama" of "US President Barack Obama"), if it has one."""
    words = [w for w in _WORD.findall(name) if w[0].isupper()]
    return words[-1].removesuffix("'s").removesuffix("’s").lower() if words else None


def _inside(span: CharSpan, spans: Sequence[CharSpan]) -> bool:
    return any(s.start <= span.start and span.end <= s.end for s in spans)


@cache
def _channels() -> frozenset[str]:
    """Platforms and broadcasters (data/event_channels.txt)."""
    return frozenset(w.lower() for w in tables.words("event_channels.txt"))


def _position_features(f: dict[str, float], span: CharSpan, in_content: bool, at: Sequence[int],
                       cue: CharSpan | None) -> None:
    """A target candidate's place beside the quote and the cue, for every kind of candidate alike."""
    if in_content and at:
        # how far into the quote: the one a quote is about is often named first
        f["t_content_offset"] = min(1.0, (span.start - min(at)) / 200.0)
    if cue is not None:
        gap = span.start - cue.end
        if 0 <= gap <= 3:
            f["t_after_cue"] = 1.0  # "called [Trump] 'unfit'", "praised [the rescuers]"
        elif span.end <= cue.start:
            f["t_before_cue"] = 1.0


def target_candidates(text: str, attribution: Attribution, entities: Sequence[Entity],
                      sentence: CharSpan | None, political: frozenset[str] = frozenset(),
                      mentions: EntityLookup | None = None
                      ) -> list[tuple[Entity, CharSpan, dict[str, float]]]:
    """Whom the speech act may be about: each person, organisation, group or country named in the content or
    elsewhere in the sentence, never the source, with its first such mention (by name before by pronoun) and
    what the target ranker reads of it.  ``mentions``: the lookup over ``entities``, when the caller has it
    (the candidates are found by offset, not by a walk over every mention of every entity)."""
    content = attribution.content
    source = attribution.source
    cue = attribution.cue
    at = [c.start for c in content]
    # a candidate mention lies inside the content or the sentence: it starts between their ends
    bounds = [(c.start, c.end) for c in content] + ([(sentence.start, sentence.end)] if sentence else [])
    if not bounds:
        return []
    if mentions is None:
        mentions = EntityLookup(entities)
    local = mentions.starting_in(min(lo for lo, _ in bounds), max(hi for _, hi in bounds))
    # the source's surname: a person the article names apart ("Mr Obama" beside "President Barack Obama")
    # is still the speaker, never whom they speak of
    surname = _surname(source.text) if source is not None else None
    out = []
    for entity in entities:
        places = local.get(entity.id)
        if places is None or entity.id == attribution.source_entity or entity.type not in _TARGET_TYPES:
            continue
        if surname and entity.type == "PERSON" and any(
                m.kind == MentionKind.NAME and _surname(m.span.text) == surname for m in entity.mentions):
            continue
        best: tuple[tuple[int, int, int], Mention] | None = None
        inside = 0
        for place in places:
            m = entity.mentions[place]
            if source is not None and m.span.start < source.end and source.start < m.span.end:
                continue
            if m.span.text.lower() in _FIRST_PERSON:
                continue  # "we" in a quote is the speaker's side
            if entity.type != "PERSON" and _LOCATIVE.search(text, max(0, m.span.start - 12), m.span.start):
                continue  # "at [the White House], Obama said": where, not whom
            if m.span.text.lower() in _channels() and _CHANNEL.search(text, max(0, m.span.start - 9),
                                                                       m.span.start):
                continue  # "said [on Twitter]": where it was said, not whom about
            if _inside(m.span, content):
                where = 0
                inside += 1
            elif sentence is not None and sentence.start <= m.span.start and m.span.end <= sentence.end:
                where = 1
            else:
                continue
            rank = (where, 0 if m.kind == MentionKind.NAME else 1, m.span.start)
            if best is None or rank < best[0]:
                best = (rank, m)
        if best is None:
            continue
        (where, _, _), m = best
        f = {f"t_type={entity.type}": 1.0, f"t_kind={m.kind}": 1.0,
             "t_in_content" if where == 0 else "t_in_sentence": 1.0,
             "t_content_mentions": math.log1p(inside),
             "t_article_mentions": math.log1p(len(entity.mentions))}
        if entity.id in political:
            f["t_political"] = 1.0
        _position_features(f, m.span, where == 0, at, cue)
        if text[m.span.end:m.span.end + 2] in ("'s", "’s"):
            f["t_possessive"] = 1.0  # "Clinton's emails": whose, not always whom
        out.append((entity, m.span, f))
    out.sort(key=lambda c: c[1].start)
    for k, (_, _, f) in enumerate(out):
        f["t_first"] = 1.0 if k == 0 else 0.0
    return out


Candidates = Sequence[tuple[Entity | None, CharSpan, dict[str, float]]]
_MASS = frozenset({"police", "people"})  # plural in sense though not in form


@cache
def _common_nouns() -> re.Pattern[str]:
    """Words for people and bodies (data/speech_target_nouns.txt) with a determiner before them, or in the
    plural, as one pattern."""
    words = {w.lower() for w in tables.words("speech_target_nouns.txt")}
    plural = {w for w in words if w.endswith("s") or w in _MASS}

    def alternatives(ws: set[str]) -> str:
        return "|".join(sorted(map(re.escape, ws), key=len, reverse=True))

    # a singular word bare only as a capitalised title standing for its holder ("I want to emphasize to
    # you, Mr. [President]"; a name after the title is an entity's mention, which is never a candidate)
    titles = alternatives({w.capitalize() for w in words - plural})
    return re.compile(rf"\b(?:the|both|all|some|those|these|its|their|his|her)\s+(?:{alternatives(words)})\b|"
                      rf"\b(?:{alternatives(plural)})\b|\b(?-i:{titles})\b", re.IGNORECASE)


def common_candidates(text: str, attribution: Attribution, sentence: CharSpan | None,
                      named: Sequence[Entity] = (), mentions: EntityLookup | None = None
                      ) -> list[tuple[Entity | None, CharSpan, dict[str, float]]]:
    """Whom the speech act may be about that no name says: words for people or bodies in the content or the
    rest of the sentence ("accused [the rebels] of bad faith", "praised [the authority]"), outside the source
    and outside every mention of ``named`` (the article's entities: "Seattle [police]" is the name's).
    ``mentions``: the lookup over ``named``, when the caller has it."""
    content = attribution.content
    bounds = [(c.start, c.end) for c in content] + ([(sentence.start, sentence.end)] if sentence else [])
    if not bounds:
        return []
    lo, hi = min(b for b, _ in bounds), max(e for _, e in bounds)
    taken = (mentions if mentions is not None else EntityLookup(named)).overlapping(lo, hi)
    if attribution.source is not None:
        taken.append((attribution.source.start, attribution.source.end))
    at = [c.start for c in content]
    out: list[tuple[Entity | None, CharSpan, dict[str, float]]] = []
    seen: set[str] = set()
    for m in _common_nouns().finditer(text, lo, hi):
        start, end = m.span()
        if any(s < end and start < e for s, e in taken):
            continue
        span = CharSpan(start, end, text[start:end])
        inside = _inside(span, content)
        if not inside and not (sentence is not None and sentence.start <= start and end <= sentence.end):
            continue
        head = m.group(0).split()[-1].lower()
        if head in seen:
            continue  # its first mention, as for a name
        seen.add(head)
        f = {"t_type=COMMON": 1.0, "t_in_content" if inside else "t_in_sentence": 1.0}
        _position_features(f, span, inside, at, attribution.cue)
        out.append((None, span, f))
    return out


def speech_target(text: str, attribution: Attribution, entities: Sequence[Entity],
                  sentence: CharSpan | None, political: frozenset[str] = frozenset(),
                  ranker: Mapping[str, float] | None = None,
                  cands: Candidates | None = None) -> tuple[Entity | None, CharSpan] | None:
    """Whom the speech act is about: the candidate the trained ranker scores highest, else (no ranker) the
    first one the content names, by name before by pronoun, else one named in the rest of the sentence
    ("Obama called [Mr Trump] 'unfit'").  ``cands``: the attribution's target_candidates, if known."""
    if cands is None:
        cands = target_candidates(text, attribution, entities, sentence, political)
    if not cands:
        return None
    if ranker:
        best = max(cands, key=lambda c: sum(v * ranker.get(k, 0.0) for k, v in c[2].items()))
    else:
        best = min(cands, key=lambda c: (0 if c[2].get("t_in_content") else 1,
                                         0 if c[2].get("t_kind=name") else 1, c[1].start))
    return best[0], best[1]


def speech_features(text: str, attribution: Attribution, entities: Sequence[Entity],
                    sentence: CharSpan | None, political: frozenset[str], cands: Candidates | None = None,
                    moods: dict[int, dict[str, float]] | None = None, polarity: bool = True
                    ) -> dict[str, float]:
    """What the speech-act model reads of one attribution: its content's words (a word after a negator is a
    feature of its own: "not trusted"), its cue, the sentence's other words, who speaks and whom it names.
    ``cands`` (its target_candidates) and ``moods`` (sentence polarity by sentence start) spare work when
    the caller has them; ``polarity=False`` leaves VADER's features out (see
    :meth:`SpeechModel.may_nominate`)."""
    f: dict[str, float] = {"bias": 1.0}
    cue = attribution.cue.text.lower() if attribution.cue is not None else "(none)"
    f[f"cue={cue}"] = 1.0
    f[f"kind={attribution.kind}"] = 1.0
    words: list[str] = []
    for c in attribution.content:
        words += _words(c.text)
    scale = 1.0 / math.sqrt(max(1, len(set(words))))
    negate = 0
    for w in words:
        if w in _NEGATORS or w.endswith("n't"):
            negate = 3
            continue
        f[f"w={w}"] = scale
        if negate:
            f[f"not={w}"] = scale
            negate -= 1
    if sentence is not None:
        # the words around the quote say what was done with it: "lit into", "mocking", "praised"
        outside = [w for w in _words(text[sentence.start:sentence.end])]
        inner = set(words)
        rest = [w for w in outside if w not in inner]
        rs = 1.0 / math.sqrt(max(1, len(set(rest))))
        for w in rest:
            f[f"s={w}"] = rs
        if text[sentence.start:sentence.end].rstrip("\"”’' )").endswith("?"):
            f["question"] = 1.0
    f["content_words_log"] = math.log1p(len(words))
    if polarity:
        _polarity(" ".join(c.text for c in attribution.content), "content", f)
    if sentence is not None and polarity:
        mood = moods.get(sentence.start) if moods is not None else None
        if mood is None:
            mood = {}
            _polarity(text[sentence.start:sentence.end], "sentence", mood)
            if moods is not None:
                moods[sentence.start] = mood
        f.update(mood)
    if attribution.anonymous:
        f["anonymous"] = 1.0
    source = next((e for e in entities if e.id == attribution.source_entity), None)
    f[f"source={source.type if source is not None else 'words'}"] = 1.0
    if source is not None and source.id in political:
        f["source_political"] = 1.0
    if {"you", "your"} & set(words):
        f["you"] = 1.0
    found = speech_target(text, attribution, entities, sentence, political, cands=cands)
    if found is None:
        f["target=none"] = 1.0
    else:
        entity, span = found
        f[f"target={entity.type if entity is not None else 'COMMON'}"] = 1.0
        f["target_in_content" if _inside(span, attribution.content) else "target_in_sentence"] = 1.0
        if entity is not None and entity.id in political:
            f["target_political"] = 1.0
    return f


# words that only stand for a name: the argument is given by its entity's name ("Kaine, [who] criticized ..."
# has the source "who", linked by the attribution layer to Kaine)
_STANDS_FOR = frozenset({"he", "she", "it", "they", "him", "her", "them", "i", "we", "who", "whom", "which",
                         "that"})


def _arg(text: str, entity: Entity | None, span: CharSpan) -> EventArg:
    if entity is None:
        return EventArg(span=span, name=span.text)
    pronoun = any(m.kind == MentionKind.PRONOUN and m.span.start == span.start for m in entity.mentions)
    if pronoun or span.text.lower() in _STANDS_FOR:
        named = [m for m in entity.mentions if m.kind == MentionKind.NAME]
        if named:
            span = named[0].span  # the speaker by name where the text says "he"
    elif "," in span.text:
        # a source with its apposition or relative clause ("Vey, who added that ...", "Dara Quell, a
        # veteran consultant who ran ..."): the actor is the name, not the description
        inside = [m.span for m in entity.mentions if m.kind == MentionKind.NAME
                  and span.start <= m.span.start and m.span.end <= span.end]
        if inside:
            span = min(inside, key=lambda s: s.start)
    return EventArg(span=span, entity=entity.id, name=entity.name, country=entity.country)


_OWNED = re.compile(r"(?:\b(?:his|her|their|its|our|my|your)|['’]s)\s+$", re.IGNORECASE)


def _sentence_of(sentences: Sequence[CharSpan], span: CharSpan) -> CharSpan | None:
    i = bisect.bisect_right([s.start for s in sentences], span.start) - 1
    return sentences[i] if 0 <= i < len(sentences) and span.start < sentences[i].end else None


# what lies between a judging cue and a time that dates it: its object, then "in 2011", "on Monday", "last
# week" (no quotation, colon, semicolon or comma: past those the time is the content's)
_OBJECT_THEN_TIME = re.compile(r"^[^\"“”'‘’:;,]*?\b(?:in|on|last|this|during)\s+$", re.IGNORECASE)
_JUDGED_REACH = 40  # characters from the cue to the time: an object of a few words


@cache
def _judging() -> tuple[str, ...]:
    """Beginnings of cue words that judge someone (data/event_judging_cues.txt)."""
    return tuple(w.lower() for w in tables.words("event_judging_cues.txt"))


def _judged(text: str, cue: CharSpan, t: TimeExpr) -> bool:
    """Whether a time inside the content dates the saying: right after the object of a cue that judges
    someone ("who criticized fellow Democrats [in 2011] for seeking ...", "praised Putin [in 2015] as a
    strong leader"), not in a clause of what was said ("said Clinton lied in 2012": a cue that judges
    nobody).  events-heldout date accuracy 138 -> 139 of 168, the evidence-aligned set 362 -> 363 of 421."""
    if not cue.text.lower().startswith(_judging()) or not 0 < t.span.start - cue.end <= _JUDGED_REACH:
        return False
    between = text[cue.end:t.span.start]
    return _OBJECT_THEN_TIME.match(between) is not None and " that " not in between.lower()


def _date(text: str, times: Sequence[TimeExpr], attribution: Attribution, trigger: CharSpan,
          published: str | None, sentence: CharSpan | None = None) -> EventDate | None:
    """When it was said: a time expression next to the cue, outside what was said ("said on Monday", "told
    reporters Tuesday"), else the nearest one before the cue in its sentence, outside what was said ("Last
    May, a judge handling the lawsuit ordered ..."; one after it is most often another happening's: "compared
    him to Perry's lapse in 2012"), and not one that dates a thing someone has ("following his 2004
    campaign, Dean launched ..."); the content's dates are those of what it reports.  Else a day that ends
    the sentence after the cue, outside what was said.  Else the publication day, a labelled fallback that the
    vet stage replaces by the article's own day."""
    # a time inside the source's own words dates what the source did, not the saying ("Mr Trump, [who
    # stormed to victory on Wednesday], said ... on Thursday")
    source = (attribution.source,) if attribution.source is not None else ()

    def near(t: TimeExpr) -> bool:
        if _inside(t.span, attribution.content) and not _judged(text, trigger, t):
            return False
        if _inside(t.span, source):
            return False
        return -_CUE_REACH <= t.span.start - trigger.end <= _CUE_REACH or \
            -_CUE_REACH <= trigger.start - t.span.end <= _CUE_REACH
    usable = [t for t in times if dateable(t) and near(t) and not owned(text, t)]
    if not usable and sentence is not None:
        usable = [t for t in times if dateable(t) and sentence.start <= t.span.start
                  and t.span.end <= trigger.start and not _inside(t.span, attribution.content)
                  and not _inside(t.span, source)
                  and not _OWNED.search(text, max(0, t.span.start - 12), t.span.start)
                  and not owned(text, t)]
    if not usable and sentence is not None:
        # the time that ends the sentence, after the cue and outside what was said, tells when it was said
        # however far from the cue ("called the plan 'reckless' in a tweet [Sunday]."; "criticised it in one
        # of her messages about the vote [Sunday]."): aligned date set 407 -> 408 of 462
        usable = [t for t in times if dateable(t) and t.precision in ("day", "instant")
                  and trigger.end <= t.span.start < sentence.end
                  and not _inside(t.span, attribution.content) and not _inside(t.span, source)
                  and not owned(text, t) and _SENTENCE_END.match(text, t.span.end, sentence.end) is not None]
    if not usable and sentence is not None and attribution.kind != AttributionKind.DIRECT:
        # a day that ends reported words but for the occasion of the saying that trails it ("said Brel was the
        # founder of the group [on Wednesday] at a rally in Lirra") dates the saying, not what was said
        usable = [t for t in times if dateable(t) and t.precision in ("day", "instant")
                  and trigger.end <= t.span.start < sentence.end and _inside(t.span, attribution.content)
                  and not owned(text, t)
                  and _occasion_tail().match(text, t.span.end, sentence.end) is not None]
    if usable:
        return event_date(min(usable, key=lambda t: abs(t.span.start - trigger.start)))
    return publication_fallback(published)


@cache
def _occasion_tail() -> re.Pattern[str]:
    """An occasion of the saying trailing a day up to its sentence's end ("[on Wednesday] at a rally in
    Lirra."): its nouns are data/event_occasions.txt."""
    nouns = "|".join(re.escape(w) for w in tables.words("event_occasions.txt"))
    return re.compile(
        r"\s*,?\s*(?:at|in|during|on)\s+(?:a|an|the|his|her|their|its)?\s*[^.!?]{0,60}?\b(?:" + nouns + r")\b"
        r"[^.!?,]{0,50}(?:,\s+(?:and|but)\b|[.!?\"”’)\s]*$)", re.IGNORECASE)


_SENTENCE_END = re.compile(r"[\s.!?\"”’)]*$")
_THIRD_PERSON = re.compile(r"\b(?:he|him|his|she|her)\b", re.IGNORECASE)


def _pronoun_target(text: str, attribution: Attribution, entities: Sequence[Entity],
                    sentences: Sequence[CharSpan]) -> tuple[Entity, CharSpan] | None:
    """Whom "he" or "she" in what was said means when no name is at hand: the person last named before the
    attribution, in its sentence or the two before, who is not the speaker ("He is a very fine man," the
    President-elect said of the president he had just met)."""
    if not any(_THIRD_PERSON.search(c.text) for c in attribution.content):
        return None
    first = min([c.start for c in attribution.content] + ([attribution.cue.start] if attribution.cue else []))
    lo = sentences[max(0, attribution.sentence - 2)].start if sentences else 0
    best: tuple[int, Entity, CharSpan] | None = None
    for entity in entities:
        if entity.type != "PERSON" or entity.id == attribution.source_entity:
            continue
        for m in entity.mentions:
            if m.kind != MentionKind.NAME or not lo <= m.span.start < first:
                continue
            if attribution.source is not None and m.span.start < attribution.source.end \
                    and attribution.source.start < m.span.end:
                continue
            if best is None or m.span.start > best[0]:
                best = (m.span.start, entity, m.span)
    return None if best is None else (best[1], best[2])


def speech_events(text: str, sentences: Sequence[CharSpan], attributions: Sequence[Attribution],
                  entities: Sequence[Entity], political: frozenset[str], times: Sequence[TimeExpr],
                  published: str | None, model: SpeechModel,
                  mentions: EntityLookup | None = None,
                  foreign: Mapping[str, frozenset[str]] | None = None) -> list[Event]:
    """One candidate speech act per attribution whose best act type reaches the model's floor.
    ``mentions``: the lookup over ``entities``, when the caller has it (the article's index does).
    ``foreign``: per attribution id, the ids of its sentence's times the grammar says date another happening
    (dates.foreign_times), which never date the saying."""
    out: list[Event] = []
    by_id = {e.id: e for e in entities}
    moods: dict[int, dict[str, float]] = {}  # a sentence's polarity, read once for all its attributions
    if mentions is None:
        mentions = EntityLookup(entities)
    for a in attributions:
        if a.source is None or a.factuality in (Factuality.DENIED, Factuality.CONDITIONAL):
            continue
        sentence = sentences[a.sentence] if 0 <= a.sentence < len(sentences) else None
        cands = target_candidates(text, a, entities, sentence, political, mentions)
        if not model.may_nominate(speech_features(text, a, entities, sentence, political, cands, moods,
                                                  polarity=False)):
            continue  # no sentiment could make it an act: VADER not run
        probs = model.probabilities(speech_features(text, a, entities, sentence, political, cands, moods))
        k = max(range(1, len(probs)), key=lambda j: probs[j])
        if probs[k] < model.floor:
            continue
        trigger = a.cue if a.cue is not None else a.content[0]
        # the names, and words for whom no name says ("accused [the rebels] of bad faith"), as the ranker
        # weighs them; where no name is at hand, "he" or "she" in what was said first (events-news tune
        # +actor+target .397 -> .414)
        found: tuple[Entity | None, CharSpan] | None = (
            None if cands else _pronoun_target(text, a, entities, sentences))
        if found is None:
            found = speech_target(text, a, entities, sentence, political, model.targets,
                                  [*cands, *common_candidates(text, a, sentence, entities, mentions)])
        target = _arg(text, found[0], found[1]) if found is not None else None
        actor = _arg(text, by_id.get(a.source_entity) if a.source_entity else None, a.source)
        out.append(Event(id="", type=model.labels[k], trigger=trigger, actor=actor, target=target,
                         date=_date(text, [t for t in times if t.id not in (foreign or {}).get(a.id, ())], a,
                                    trigger, published, _sentence_of(sentences, trigger)),
                         factuality=Factuality.ASSERTED,
                         sentence=a.sentence, confidence=round(probs[k], 3)))
    return out
