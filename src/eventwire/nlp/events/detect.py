"""Stage "detect": the trigger words of a Doc and the pieces of its sentences to classify.

The trigger lexicon (``data/plover_triggers.tsv``) nominates words (a sentence without one costs one
dictionary look-up per word and nothing more); a construction (``data/plover_constructions.tsv``: "call ON
someone TO do something") settles its word's type; a paragraph break inside a parser's sentence (a headline
or byline run on) splits it.
"""

from __future__ import annotations

from typing import Any

import numpy
from spacy.symbols import NOUN, VERB
from spacy.tokens import Doc, Token

from eventwire.nlp.docindex import index_of
from eventwire.nlp.entities import gazetteer as gz
from eventwire.nlp.events.factuality import modality
from eventwire.nlp.events.lexicon import NO_EVENT, Construction, pos_class
from eventwire.nlp.events.roles import AGENT_TYPES
from eventwire.nlp.events.speech import sentiment_of

__all__ = ["Constructions", "Lexicon", "blocked", "candidate_types", "construed", "governing_verb",
           "line_break"]

Lexicon = dict[tuple[str, str], tuple[str, ...]]
Constructions = dict[tuple[str, str], tuple[Construction, ...]]

# a single line break ends a sentence when the line before it ends like one or is a short caption or heading
# ("Image: keystone" + newline + the next paragraph); a hard-wrapped line of running text does neither
_LINE_END = frozenset(".!?:;\"”’)]")
_SHORT_LINE = 8



def line_break(doc: Doc, i: int, start: int) -> bool:
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


def governing_verb(tok: Token) -> Token | None:
    """The verb a noun belongs to ("[attacked] a base with warships"), at most three heads up."""
    cur = tok
    for _ in range(3):
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.pos_ == "VERB":
            return cur
    return None


def candidate_types(doc: Doc, arr: Any, lexicon: Lexicon, constructions: Constructions,
                    settled: set[int], kept: set[int] | None = None,
                    ruled_out: dict[int, tuple[str, ...]] | None = None,
                    besides: dict[int, str] | None = None) -> dict[int, tuple[str, ...]]:
    """Token index -> the types its lemma can signal, for every trigger word of the Doc (reporting verbs
    excepted: what they report holds the event); adds the words a construction settled to ``settled``, and
    to ``ruled_out`` the trigger words a construction says are no event here, with their lemma's types."""
    strings = doc.vocab.strings
    reporting = modality()["reporting"]
    compound = strings["compound"]
    out: dict[int, tuple[str, ...]] = {}
    for pos_id, pc in ((VERB, "V"), (NOUN, "N")):
        for i in numpy.flatnonzero(arr[:, 1] == pos_id):
            if pos_id == NOUN and arr[i, 4] == compound:
                continue  # a noun naming a kind of thing is no event: "threat base", "attack helicopter"
            lemma = strings[int(arr[i, 2])].lower()
            types = lexicon.get((lemma, pc), ())
            if lemma in reporting or not (types or (lemma, pc) in constructions):
                continue
            # a word outside the lexicon is a trigger only in its construction ("land [operations]")
            settles = construed(doc[int(i)], lemma, pc, types, settled, lexicon, constructions, kept,
                                besides)
            if settles:
                out[int(i)] = settles
            elif types and ruled_out is not None:
                ruled_out[int(i)] = types
    return out


_AMOUNTS = frozenset({"MONEY", "CARDINAL", "QUANTITY"})
_RELATIVE_SUBJECTS = frozenset({"who", "that", "which"})


# a name given with "call", "brand", "dub" or "label" ("called her [weak]", "branded the plan [a disgrace]")
# judges whom it is given to when VADER's compound score of its words passes this either way (VADER's own
# neutral band)
_NAMING_POLARITY = 0.05


def _naming(name: Token) -> str:
    """How a name given to someone judges them (an ``oprd`` dependent, its conjuncts included): "~neg",
    "~pos", "~quoted" (an epithet inside one of the article's quotations VADER has no score for: "a
    “sociopath”") or "~plain" ("called it a phone call")."""
    doc = name.doc
    last = doc[name.right_edge.i]
    lo, hi = doc[name.left_edge.i].idx, last.idx + len(last)
    quoted = any(start < hi and lo < end for start, end in index_of(doc).quotes)
    words = [t.text for t in name.subtree if not t.is_quote]
    compound = sentiment_of(" ".join(words))[0]
    if compound <= -_NAMING_POLARITY:
        return "~neg"
    if compound >= _NAMING_POLARITY:
        return "~pos"
    return "~quoted" if quoted else "~plain"


def _person_pronoun(word: Token, case: str) -> bool:
    """A he / she / they pronoun of this case (data/pronouns.tsv): someone, not a thing ("it")."""
    pronoun = gz.pronoun(word.text)
    return pronoun is not None and pronoun.gender != "n" and pronoun.case == case


def _party(word: Token) -> bool:
    """Whether a name is given to someone, or to what someone said or did ("called [Vey] a liar", "called
    [Vey's remarks] racist"), rather than to a thing of nobody's ("called [it] a grim turning point", "what
    she called a [dismal evening]", "called [the summit] a failure")."""
    if _person_pronoun(word, "obj") or word.ent_type_ in AGENT_TYPES:
        return True
    return any(c.dep_ == "poss" and (c.ent_type_ in AGENT_TYPES or _person_pronoun(c, "poss"))
               for c in word.children)


def _dependents(tok: Token) -> list[tuple[str, str]]:
    """The word's children as (dependency label, lower word), its head as ("head", lower word), an amount's
    object standing for the amount:
    in "froze [$40 million] in [aid]" what was frozen is aid; a preposition also with its object's word
    ("prep", "on>bail"): "released [on bail]" is not "released [on Sunday]"."""
    out = []
    if tok.head.i != tok.i:
        # the word it hangs on, as "head": "[in] charge of the inquiry" is no accusation
        out.append(("head", tok.head.lower_))
    if tok.dep_ == "relcl" and not any(c.dep_ in ("dobj", "nsubjpass") for c in tok.children) \
            and any(c.dep_ == "nsubj" and c.lower_ not in _RELATIVE_SUBJECTS for c in tok.children):
        # a relative clause with a subject of its own and no object: the noun it qualifies is its object
        # ("the highest [office] he has [held]" holds an office as "held office" does)
        out.append(("dobj", tok.head.lower_))
    for c in tok.children:
        out.append((c.dep_, c.lower_))
        if c.dep_ == "oprd" and c.pos_ in ("NOUN", "PROPN", "ADJ"):
            out.append(("oprd", _naming(c)))
        if c.dep_ == "dobj" and _party(c):
            out.append(("dobj", "~party"))
        if c.dep_ == "prep":
            out.extend(("prep", f"{c.lower_}>{g.lower_}") for g in c.children if g.dep_ == "pobj")
        if c.dep_ == "dobj" and (c.ent_type_ in _AMOUNTS or c.like_num):
            out.extend(("dobj", g.lower_) for p in c.children if p.dep_ == "prep" and p.lower_ in ("in", "of")
                       for g in p.children if g.dep_ == "pobj")
    return out


def blocked(tok: Token, constructions: Constructions) -> bool:
    """Whether a construction says the word is no event at all here ("[gave] a speech", "[held] a lead"):
    read also when the word is only a sentence's fallback trigger, its main verb."""
    pc = pos_class(tok.pos_)
    if pc is None:
        return False
    other_senses = [cx for cx in constructions.get((tok.lemma_.lower(), pc), ()) if cx.type == NO_EVENT]
    if not other_senses:
        return False
    children = _dependents(tok)  # once per word, not once per construction
    return any(cx.matches(children) for cx in other_senses)


def construed(tok: Token, lemma: str, pc: str, types: tuple[str, ...], settled: set[int], lexicon: Lexicon,
              constructions: Constructions, kept: set[int] | None = None,
              besides: dict[int, str] | None = None) -> tuple[str, ...]:
    """The word's types, or the one type its construction settles ("called ON him TO resign" asks); a word
    whose construction is kept whatever vetting says goes into ``kept`` too, and one whose construction is an
    event besides its other readings ("also": "called him a liar") into ``besides`` with that type."""
    verb = governing_verb(tok) if pc == "N" else None
    governed = lexicon.get((verb.lemma_.lower(), "V"), ()) if verb is not None else ()
    children: list[tuple[str, str]] | None = None  # read once per word, when a construction needs them
    for cx in constructions.get((lemma, pc), ()):
        if governed and cx.type not in governed and cx.type != NO_EVENT:
            continue  # "attacked warships off the coast": the ships are what another event is done to
        if children is None:
            children = _dependents(tok)
        if cx.matches(children):
            if cx.also:
                if besides is not None:
                    besides[tok.i] = cx.type
                continue
            if cx.type == NO_EVENT:
                return ()  # "a heart [attack]", "the odds [shot] up", "[held] a lead": the word's other sense
            settled.add(tok.i)
            if cx.kept and kept is not None:
                kept.add(tok.i)
            return (cx.type,)
    return types
