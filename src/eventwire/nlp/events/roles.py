"""Who did it and to whom: an event's actor and target from the dependency parse, linked to our entities.

The actor is the subject of the trigger's clause (the agent of a passive); the target the name nearest the
trigger in its clause (tree distance, side clauses costing more), else a word for people or organisations.
An argument's words are its phrase without relative clauses and appositions (capped at
``_MAX_ARG_TOKENS``), its entity the one whose mention covers the phrase's head, its sector a word of the
phrase found in ``data/event_sectors.tsv``.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from functools import cache

from spacy.tokens import Doc, Token

from eventwire.model import CharSpan, EventArg, MentionKind
from eventwire.nlp import tables
from eventwire.nlp.docindex import EntityLookup, doc_text, index_of
from eventwire.nlp.entities import gazetteer as gz
from eventwire.nlp.entities import pronouns
from eventwire.nlp.events.lexicon import trigger_types
from eventwire.nlp.events.plover import event_type

__all__ = ["AGENT_TYPES", "RELATIVE_PRONOUNS", "actor_of", "answered_attack", "between_parties",
           "clause_arguments", "clause_head", "companion_of", "entity_at", "equipping_actor", "media_nouns",
           "medium_author", "named_object", "nested_target", "noun_arguments", "own_giver", "parties",
           "perpetrator", "perpetrator_words", "pronoun_by_name", "received", "responsible_actor",
           "sector_of", "speaker_of", "target_of", "thing_owner", "told_crowd_act", "undergone"]

_SUBJ = frozenset({"nsubj", "csubj"})
_PASS_SUBJ = frozenset({"nsubjpass"})
# a phrase stops before these dependents: "rebels [who seized the town]", "Maduro, [the president],"
_CUT = frozenset({"relcl", "acl", "advcl", "appos", "punct", "cc", "parataxis", "prep"})
_KEEP_PREP_OF = frozenset({"of"})  # "members of the government" keeps its "of" phrase
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


def entity_at(tok: Token) -> tuple[int, int, int] | None:
    """``(start, end, root)`` token indexes of the named entity ``tok`` is in (``doc.ents`` builds a Span per
    entity on every access: read once per Doc and cached)."""
    if tok.ent_iob_ == "O":
        return None
    doc = tok.doc
    bounds: list[tuple[int, int, int]] | None = doc.user_data.get("ew_ent_bounds")
    if bounds is None:
        bounds = [(e.start, e.end, e.root.i) for e in doc.ents]
        doc.user_data["ew_ent_bounds"] = bounds
    i = bisect.bisect_right(bounds, (tok.i, len(doc) + 1, 0)) - 1
    if i >= 0 and bounds[i][0] <= tok.i < bounds[i][1]:
        return bounds[i]
    return None


def clause_head(tok: Token) -> Token:
    """The verb whose clause a (noun) trigger belongs to: "called for [sanctions]" -> "called"."""
    cur = tok
    for _ in range(_MAX_CLIMB):
        if cur.pos_ in ("VERB", "AUX") or cur.dep_ == "ROOT":
            return cur
        cur = cur.head
    return cur


def _inside_name(head: Token, prep: Token) -> bool:
    """Whether a "for" between two capitalised names is part of one ("Democracy for America", "Veterans for
    Peace"), as the recogniser, which often misses such names, would have kept it."""
    return (prep.lower_ == "for" and prep.i == head.i + 1 and head.pos_ == "PROPN"
            and any(g.dep_ == "pobj" and g.pos_ == "PROPN" and g.left_edge.i == prep.i + 1
                    for g in prep.children))


def _phrase(head: Token, conj: bool = True) -> tuple[int, int]:
    """Token range ``[lo, hi)`` of ``head``'s phrase without clauses and appositions; without ``conj`` also
    without the phrases joined to it ("Ana Brel" of "Ana Brel and Tomas Vey")."""
    lo = hi = head.i
    stack = [head]
    while stack:
        t = stack.pop()
        lo, hi = min(lo, t.i), max(hi, t.i)
        for c in t.children:
            if c.dep_ in _CUT and not (c.dep_ == "prep" and t.i == head.i
                                       and (c.lower_ in _KEEP_PREP_OF or _inside_name(head, c))):
                continue
            if not conj and t.i == head.i and c.dep_ in ("conj", "cc"):
                continue
            if _bracketed(c):
                continue  # "(The Washington Post) President Obama", "Paul Ryan (R-Wis.)": an aside
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
    out: dict[str, str] = {}
    for sector, words in tables.rows("event_sectors.tsv"):
        for w in words.split(","):
            out.setdefault(w.strip().lower(), sector)
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


def _arg(head: Token, index: EntityLookup, ends_at_head: bool = False, conj: bool = True) -> EventArg:
    """The argument whose phrase ``head`` heads; with ``ends_at_head`` its words up to the head only; without
    ``conj`` not the phrases joined to it."""
    doc: Doc = head.doc
    lo, hi = _phrase(head, conj)
    if ends_at_head:
        hi = head.i + 1
    span = doc[lo:hi]
    text = doc_text(doc)
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


def _bracketed(tok: Token) -> bool:
    """Whether a word's phrase stands in round brackets: "(The Washington Post)"."""
    doc = tok.doc
    lo, hi = tok.left_edge.i, tok.right_edge.i
    before = doc[lo].text == "(" or (lo > 0 and doc[lo - 1].text == "(")
    after = doc[hi].text == ")" or (hi + 1 < len(doc) and doc[hi + 1].text == ")")
    return before and after


def _subject(verb: Token, raised: bool = False, within: tuple[int, int] | None = None
             ) -> tuple[Token | None, bool]:
    """(subject, passive) of a verb; the agent of a passive ("was attacked by X") is the actor, and with
    ``raised`` (we came up from its "to" clause) so is the passive subject: "X is said [to have demanded]"."""
    passive: Token | None = None
    subjects = [c for c in verb.children if c.dep_ in _SUBJ]
    # two subjects is a misparse; one in brackets is a credit ("(The Washington Post) President-elect Trump
    # and President Obama met"), never the actor; nor is one outside the sentence (a timestamp line the
    # parser joined to it: "12/01/2025, 06:21 [newline] Donald Trump spoke on the phone with ...")
    lo, hi = within or (0, len(verb.doc))
    skipped = {c.i for c in subjects if len(subjects) > 1 and (_bracketed(c) or not lo <= c.i < hi
                                                                or _dateline_subject(c, subjects))}
    for c in verb.children:
        if c.dep_ in _SUBJ and c.i not in skipped:
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


_DASHES = frozenset({"—", "--", "–", "-"})


def _dateline_subject(subj: Token, subjects: list[Token]) -> bool:
    """Whether a subject is a dateline the parser made one of two subjects: a dash comes between it and the
    other ("[WASHINGTON] (AP) — Ana Brel and Tomas Vey pledged to ...")."""
    doc = subj.doc
    return any(other.i > subj.i and any(doc[i].text in _DASHES for i in range(subj.i + 1, other.left_edge.i))
               for other in subjects)


def _disagree(verb: Token, subj: Token) -> bool:
    """Whether a finite verb ("are probing", "has said") and a noun subject differ in number."""
    finite = next((c for c in verb.children if c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP")), verb)
    plural_verb = {"VBZ": False, "VBP": True}.get(finite.tag_)
    plural_noun = {"NN": False, "NNP": False, "NNS": True, "NNPS": True}.get(subj.tag_)
    return plural_verb is not None and plural_noun is not None and plural_verb != plural_noun


@cache
def _passive_targets() -> frozenset[str]:
    return frozenset(w.lower() for w in tables.words("event_passive_targets.txt"))


@cache
def _victim_verbs() -> frozenset[str]:
    return frozenset(w.lower() for w in tables.words("event_victim_verbs.txt"))


@cache
def _lemma_preps(table: str) -> dict[str, frozenset[str]]:
    """A table of (lemma, preposition) rows as lemma -> its prepositions."""
    out: dict[str, set[str]] = {}
    for lemma, prep in tables.rows(table):
        out.setdefault(lemma.lower(), set()).add(prep.lower())
    return {k: frozenset(v) for k, v in out.items()}


def _target_preps() -> dict[str, frozenset[str]]:
    return _lemma_preps("event_target_preps.tsv")


# nouns whose phrase says who did the event inside it: "the Taliban claimed [responsibility] for the assault"
_OWNING_NOUNS = frozenset({"responsibility", "credit"})


# an attack a clause's subject answers, in a phrase that puts it before the clause's own happening
_SEQUENCE_PREPS = frozenset({"after", "following", "since", "amid"})
_RESPONDED_TO = frozenset({"blast", "explosion", "bombing", "shooting", "attack", "killing", "massacre",
                           "stabbing", "ambush"})


def answered_attack(trigger: Token) -> bool:
    """Whether a noun attack is what its clause's subject answers ("Police cordoned off the street [after]
    the [blast]"), not what it carried out: only its own phrase names who did it and to whom.  Not a fight
    the subject was in ("retook the village after fierce [fighting]")."""
    return (trigger.pos_ == "NOUN" and trigger.dep_ == "pobj" and trigger.lemma_.lower() in _RESPONDED_TO
            and trigger.head.lower_ in _SEQUENCE_PREPS and trigger.head.head.i == clause_head(trigger).i)


def _inside_noun_phrase(trigger: Token, clause: Token) -> bool:
    """Whether a noun trigger sits in the prepositional phrase of another noun than its clause's verb ("a
    base [with] warships", "questioning [on] the attacks"), a date's or an owning noun's excepted."""
    return (trigger.pos_ == "NOUN" and trigger.dep_ == "pobj" and trigger.head.dep_ == "prep"
            and trigger.head.head.pos_ in ("NOUN", "PROPN") and trigger.head.head.i != clause.i
            and trigger.head.head.ent_type_ not in ("DATE", "TIME")
            and trigger.head.head.lemma_.lower() not in _OWNING_NOUNS)


@cache
def _crowd_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(the types, nouns for what a crowd does, verbs whose subject does what their object names)."""
    table = tables.rows("event_crowd_nouns.tsv")
    kinds = frozenset(w for k, w in table if k == "type")
    for kind in kinds:
        event_type(kind)  # a type the ontology knows
    return (kinds, frozenset(w.lower() for k, w in table if k == "noun"),
            frozenset(w.lower() for k, w in table if k == "verb"))


def told_crowd_act(trigger: Token, kind: str) -> bool:
    """Whether a noun for what a crowd does (data/event_crowd_nouns.tsv, in the types it lists) sits in a
    clause whose subject only tells of it, prompts it or is near it: "[police] revealed a shooting close to
    the [protest]", "[his win] prompted [protests]"; not "[she] staged a [protest]", not "[Serbia] lodged a
    [protest]" (an accusation), and not a verb trigger.  Such an event's actor and target are only what its
    own phrase names."""
    kinds, nouns, verbs = _crowd_words()
    if kind not in kinds or trigger.pos_ != "NOUN" or trigger.lemma_.lower() not in nouns:
        return False
    clause = clause_head(trigger)
    if clause.i == trigger.i:
        return False
    return not (trigger.dep_ == "dobj" and trigger.head.i == clause.i
                and (clause.lemma_.lower() in verbs or clause.lower_ in verbs))


def actor_of(
    trigger: Token,
    index: EntityLookup,
    within: tuple[int, int] | None = None,
) -> tuple[EventArg | None, Token | None]:
    """The actor (and its head token): the trigger clause's subject, climbing through "decided to" /
    coordinated verbs / noun triggers to the nearest verb that has one; never outside the token range
    ``within`` (a paragraph the parser joined to its neighbour)."""
    lo, hi = within or (0, len(trigger.doc))
    cur = clause_head(trigger)
    if trigger.pos_ == "NOUN" and cur.i != trigger.i and cur.lemma_.lower() in _victim_verbs():
        return None, None  # "two people [died] in a suicide [attack]": they suffered it
    if _inside_noun_phrase(trigger, cur):
        # "responded to questioning on the September [attacks]": an event inside another noun's phrase is
        # what that noun is about, not something the clause's subject did; "after five days of [fighting]"
        # is a time of the clause's own
        return None, None
    raised = False
    for _ in range(_MAX_CLIMB):
        subj, passive = _subject(cur, raised, (lo, hi))
        if subj is not None and (not lo <= subj.i < hi or subj.i == trigger.i):
            return None, None  # "These attacks are ...": the trigger is no actor of itself
        if subj is not None and subj.pos_ == "PRON":
            return _pronoun_actor(subj, cur, index, lo, hi)
        if subj is not None and subj.pos_ in _AGENTIVE_POS | {"NUM", "DET", "ADJ"}:
            return _arg(subj, index), subj
        if passive and subj is None:
            return None, None
        if cur.dep_ in ("xcomp", "conj", "ccomp", "advcl", "relcl", "acl", "pcomp") and cur.head.i != cur.i:
            if cur.dep_ == "relcl":  # "the rebels who attacked" -> the noun the clause modifies
                return _arg(cur.head, index), cur.head
            raised = cur.dep_ == "xcomp"
            head = cur.head
            if cur.dep_ == "conj" and head.dep_ == "ccomp" and head.head.i != head.i:
                # "Investigators said [the vehicle was travelling ...], and [are probing] ...": the parser
                # joined the second verb to the reported clause; a subject it disagrees with in number is
                # not its own, the reporting verb's is
                found, _ = _subject(head)
                if found is not None and _disagree(cur, found):
                    head = head.head
            cur = head
            continue
        break
    return None, None


_VALUES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
_ARG_POS = frozenset({"NOUN", "PROPN", "PRON", "ADJ"})  # ADJ: "Kestrian" (NORP) modifying the target
_NON_REFERRING = frozenset({"that", "this", "which", "there", "what", "who", "whom", "these", "those"})


def _name_before(pronoun: Token, index: EntityLookup) -> Token | None:
    """The head of the name a pronoun stands for: the nearest name mention before it of the entity the
    entities layer's resolver linked it to (else that entity's first name mention), or None."""
    link = pronouns.linked_entity(index, pronoun)
    if link is None:
        return None
    names = [m for m in link.entity.mentions if m.kind == MentionKind.NAME]
    before = [m for m in names if m.span.end <= pronoun.idx]
    mention = before[-1] if before else (names[0] if names else None)
    if mention is None:
        return None
    span = pronoun.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    return span.root if span is not None else None


def _pronoun_actor(
    subj: Token, verb: Token, index: EntityLookup, lo: int, hi: int
) -> tuple[EventArg | None, Token | None]:
    """A pronoun subject as the words that name it: the linked entity's nearest name mention before it, else
    the person noun no name owns that it stands for ("The [gunman] fled. [He] attacked ..."), else the
    subject of the verb that reports it ("Syria says [it] will withdraw" -> Syria), else the pronoun itself
    (he/she/they only: a bare "it" says nothing about who acted)."""
    found = _referent(subj, index)
    if found is not None:
        return found
    if subj.lower_ not in _NON_REFERRING:
        up = verb
        while up.dep_ in ("ccomp", "xcomp", "conj") and up.head.i != up.i:
            up = up.head
            for c in up.children:
                if c.dep_ in _SUBJ and c.pos_ in ("PROPN", "NOUN") and lo <= c.i < hi:
                    return _arg(c, index), c
    if subj.lower_ in ("it", "its") or subj.lower_ in _NON_REFERRING:
        return None, None
    if subj.lower_ == "they":
        group = _plural_subject_before(subj)
        if group is not None:
            return _arg(group, index), group
    return _arg(subj, index), subj


def _plural(tok: Token) -> bool:
    """A plural noun or a coordination of nouns ("Farmers", "Senators Brel and Vey")."""
    return tok.pos_ in ("NOUN", "PROPN") and (
        tok.tag_ in ("NNS", "NNPS")
        or any(c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") for c in tok.children))


def _plural_subject_before(pronoun: Token) -> Token | None:
    """What a "they" the entities layer linked to nobody stands for: the plural subject (or, in a verbless
    sentence, the plural noun) of the sentence before it ("[The opposition parties] agree that ... [They]
    denounced ...", "Take Senators [Brel and Vey]. Last week, [they] endorsed ...").  Only that sentence: a
    "they" further on may be anyone."""
    sent = pronoun.sent
    if sent.start == 0:
        return None
    prev = pronoun.doc[sent.start - 1].sent
    subjects = [t for t in prev if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"]
    if not subjects:
        subjects = [t for t in prev if t.dep_ in ("dobj", "ROOT") and t.head.dep_ == "ROOT"]
    found = [t for t in subjects if _plural(t)]
    return found[0] if len(found) == 1 else None


def speaker_of(
    source: CharSpan, doc: Doc, index: EntityLookup, within: tuple[int, int]
) -> tuple[EventArg | None, Token | None]:
    """The source of an attribution as an event argument: whoever announces a planned attack is the one who
    threatens ("he had said that land operations would be imminent" -> he, named as his entity's name)."""
    lo, hi = within
    span = doc.char_span(source.start, source.end, alignment_mode="expand")
    if span is None or not lo <= span.root.i < hi:
        return None, None
    head = span.root
    if head.pos_ == "PRON":
        return _pronoun_actor(head, head.head, index, lo, hi)
    return _arg(head, index), head


# Target search costs (tree edges from the trigger's clause verb; lower is better).  A clause that only
# modifies the event ("... if Hamas ran", "... who overran it") rarely holds its target: crossing into one
# costs 3 edges.  On plover-dev, a name beats any nearer common noun (gold targets are names in ~85 %).
_SIDE_CLAUSES = frozenset({"advcl", "relcl", "acl", "parataxis", "csubj", "npadvmod"})
_SIDE_COST = 3
# a common noun for people ("refugees") costs 2 more than a name; a name that only says where ("near Mosul")
# 3 more: it is the event's place unless nothing else is there ("fired at targets in Jericho")
_COMMON_COST = 2
_PLACE_COST = 3
_LOCATIVE_PREPS = frozenset({"in", "near", "at", "outside", "inside", "off", "across", "over", "around"})
_MAX_TARGET_COST = 8


def _path_cost(top: Token, tok: Token) -> int | None:
    """Edges from ``top`` down to ``tok`` (None when not below ``top``), side clauses costing more."""
    cost = 0
    cur = tok
    # spaCy makes a new Token object per access: compare indices, never identity
    while cur.i != top.i:
        if cur.head.i == cur.i:
            return None
        if cur.dep_ == "conj" and cur.pos_ in ("VERB", "AUX"):
            # a conjoined verb is a clause of its own: "[praised] the rescuers and said [the government]
            # would send troops" is not praise of the government (plover-dev +actor+target .575 -> .588,
            # events-news tune unchanged, check +actor .484 -> .495; plv .617 -> .614)
            return None
        cost += _SIDE_COST if cur.dep_ in _SIDE_CLAUSES else 1
        cur = cur.head
    return cost


def _entity_root(tok: Token) -> Token:
    """The syntactic head of the named entity ``tok`` is part of ("the [Kofi Annan]" -> "Annan")."""
    found = entity_at(tok)
    return tok.doc[found[2]] if found is not None else tok


# the preposition that names the other party of a meeting, call or pact ("a call [with] top donors", "talks
# [with] the rebels")
_COMPANION_PREPS = frozenset({"with"})
# pronouns for things, never a party to an event: "talks about [it]"
_THING_PRONOUNS = frozenset({"it", "its", "this", "that", "which"})


def companion_of(
    trigger: Token, actor_head: Token | None, index: EntityLookup, within: tuple[int, int] | None = None
) -> EventArg | None:
    """The other party of a symmetric event, named by the trigger's own "with" ("a conference call [with]
    top donors", "met [with] Trump"), whatever its noun: the target search keeps common nouns only when they
    name a sector ("refugees"), but whoever a call or meeting is with is its other party.  None when the
    trigger has no such phrase or it names the actor, a value or a thing done ("talks with the aim of ...":
    only nouns for people or bodies, names and pronouns count)."""
    lo, hi = within or (0, len(trigger.doc))
    actor_tokens: set[int] = {t.i for t in actor_head.subtree} if actor_head is not None else set()
    for prep in trigger.children:
        if prep.dep_ != "prep" or prep.lower_ not in _COMPANION_PREPS:
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj" or not lo <= obj.i < hi or obj.i in actor_tokens:
                continue
            if obj.ent_type_ in _VALUES or obj.pos_ not in ("NOUN", "PROPN", "PRON"):
                continue
            named = obj.ent_type_ in _NAMED or index.covering(obj) is not None
            # a plural noun is a party ("donors", "supporters", "reporters"); a singular one only when it
            # names a sector ("the president"): "a call with a message" has none
            if not named and obj.pos_ == "NOUN" and obj.tag_ != "NNS" and obj.lower_ not in _sectors():
                continue
            if obj.pos_ == "PRON":
                if obj.lower_ in _THING_PRONOUNS:
                    continue
                return _target_arg(obj, index)
            return _arg(_entity_root(obj) if named else obj, index)
    return None


def parties(actor_head: Token, index: EntityLookup, within: tuple[int, int] | None = None,
            target: EventArg | None = None) -> tuple[EventArg, EventArg] | None:
    """The two sides of a symmetric event whose subject joins them ("Trump and Obama [met]", "the president
    and the president-elect [talked]"): the first as its actor, the next as its target, as a dyad is coded.
    None when the subject joins no second party (a name, a pronoun or a noun for people), both words are
    one name ("Johnson & Johnson"), or the clause has a ``target`` of its own that is not only where it
    happened ("A and B met [Ryan]"; not "A and B met in [Lirra]")."""
    doc = actor_head.doc
    lo, hi = within or (0, len(doc))
    second = next((c for c in actor_head.children if c.dep_ == "conj" and lo <= c.i < hi), None)
    if second is None or second.pos_ not in ("PROPN", "NOUN", "PRON") or second.ent_type_ in _VALUES:
        return None
    if second.pos_ == "PRON" and second.lower_ in _THING_PRONOUNS:
        return None
    if target is not None and target.span is not None:
        # only a subject that joins two parties gets here: the target's head is looked up for those alone
        found = doc.char_span(target.span.start, target.span.end, alignment_mode="expand")
        head = found.root if found is not None else None
        if head is None or not (head.dep_ == "pobj" and head.head.lower_ in _LOCATIVE_PREPS):
            return None
    first, other = index.covering(actor_head), index.covering(second)
    if first is not None and other is not None and first.entity.id == other.entity.id:
        return None
    return _arg(actor_head, index, conj=False), _arg(second, index)


def target_of(
    trigger: Token, actor_head: Token | None, index: EntityLookup, within: tuple[int, int] | None = None,
    exclude: frozenset[int] = frozenset(),
) -> EventArg | None:
    """The target: the name (entity, or pronoun linked to one) nearest the trigger in its clause, never inside
    the actor's phrase; else a word for people or organisations ("refugees"); else nothing.  Things ("talks",
    "a ceasefire", "restrictions") are what an event is about, not whom it is done to."""
    lo, hi = within or (0, len(trigger.doc))
    top = clause_head(trigger)
    actor_tokens: set[int] = {t.i for t in actor_head.subtree} if actor_head is not None else set()
    actor_tokens |= exclude
    # an actor does not act on itself: "Trump announced that [he] was closing ..." has no target "he"
    actor_link = index.covering(actor_head) if actor_head is not None else None
    actor_entity = actor_link.entity.id if actor_link is not None else None
    # "blamed her defeat [on] the FBI director": the preposition names whom (data/event_target_preps.tsv)
    preps = _target_preps().get(trigger.lemma_.lower(), frozenset()) if trigger.pos_ == "VERB" \
        else frozenset()
    addressee = _controlled_object(trigger, actor_tokens, lo, hi)
    if addressee is not None:
        return _target_arg(addressee, index)
    searches = [c for c in trigger.children if c.dep_ == "prep" and c.lower_ in preps] + [top]
    best: tuple[int, int, Token] | None = None
    for search in searches:
        best = _nearest_target(search, trigger, actor_tokens, actor_entity, index, lo, hi)
        if best is not None:
            break
    if best is None:
        return None
    return _target_arg(best[2], index)


def _target_arg(head: Token, index: EntityLookup) -> EventArg:
    """A target as its words, a pronoun by the name it stands for where the resolver linked one ("urged him
    to apologise": him by name, as for an actor)."""
    return pronoun_by_name(head, index) or _arg(head, index)


def pronoun_by_name(pronoun: Token, index: EntityLookup) -> EventArg | None:
    """A pronoun argument as the name it stands for, where the resolver linked one ("an investigation into
    [her] accounts" -> Brel), or as the person noun it stands for where no name does ("The tram's driver
    ... [He] was later released" -> the tram's driver), else None: a pronoun's words say nothing of whom to
    a reader of the event alone."""
    if pronoun.pos_ != "PRON":
        return None
    found = _referent(pronoun, index)
    return found[0] if found is not None else None


def _referent(pronoun: Token, index: EntityLookup) -> tuple[EventArg, Token] | None:
    """Whom a pronoun stands for, as an argument and its head: the name the resolver linked it to, else the
    person noun no name owns that it stands for; None where the resolver found neither."""
    name = _name_before(pronoun, index)
    if name is not None:
        return _arg(name, index), name
    nominal = _nominal_before(pronoun)
    return (_arg(nominal, index, ends_at_head=True), nominal) if nominal is not None else None


def _stands_for_other(pronoun: Token, actor_tokens: set[int]) -> bool:
    """Whether a he/she/him/her stands for a person noun other than the actor ("officers arrested [him]":
    the gunman); a possessive is no target of its own ("rammed [his] car": the car's owner acts)."""
    nominal = _nominal_before(pronoun)
    return nominal is not None and nominal.i not in actor_tokens


def _nominal_before(pronoun: Token) -> Token | None:
    """The head of the person noun no name owns that the resolver found a he/she stands for, or None."""
    head = index_of(pronoun.doc).nominal_antecedents.get(pronoun.i)
    return pronoun.doc[head] if head is not None else None


def _controlled_object(trigger: Token, actor_tokens: set[int], lo: int, hi: int) -> Token | None:
    """The object of a verb whose infinitive clause it is to carry out: "urged [aides] to repeat
    her comments", "forced [the mayor] to resign", "called for [both parties] to publish their accounts".
    The grammar says whom the act is aimed at, common noun or not, before any name further down the
    clause (the comments' owner) is weighed.  Only a word for whom: a name, a pronoun, a plural or a word
    for people or bodies."""
    if trigger.pos_ != "VERB":
        return None
    objects = [c for c in trigger.children if c.dep_ == "dobj"]
    if len(objects) == 1 and not any(
            c.dep_ == "xcomp" and c.i > objects[0].i and any(a.lower_ == "to" for a in c.children
                                                            if a.dep_ == "aux")
            for c in trigger.children):
        objects = []
    if not objects:
        # "called [for] both parties to publish their accounts": the subject of a "for ... to" clause
        objects = [g for c in trigger.children if c.dep_ in ("advcl", "ccomp", "xcomp")
                   and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children)
                   and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
                   for g in c.children if g.dep_ == "nsubj"]
    if len(objects) != 1:
        return None
    obj = objects[0]
    if obj.pos_ not in _ARG_POS or not lo <= obj.i < hi or obj.i in actor_tokens or obj.ent_type_ in _VALUES \
            or obj.lower_ in _THING_PRONOUNS:
        return None
    person = obj.pos_ == "PRON" or obj.ent_type_ in _NAMED or obj.tag_ == "NNS" or _people_word(obj.lower_)
    return obj if person else None  # "argued [his fight] to increase funding": a thing is no addressee


@cache
def media_nouns() -> frozenset[str]:
    """Nouns for what something is said in (data/event_media.txt)."""
    return frozenset(w.lower() for w in tables.words("event_media.txt"))


def medium_author(head: Token, index: EntityLookup, within: tuple[int, int]) -> tuple[bool, EventArg | None]:
    """(is ``head`` a medium, its author): for an actor that is a letter, a speech or a tweet
    (data/event_media.txt), whoever gave it: its possessor ("Brel's [speech] denouncing ...", "[his]
    tweet attacked ...", a pronoun by its name), else the subject of the verb it is the object of ("experts
    issued an open [letter] calling Vey unfit"), else nobody the text names."""
    if head.pos_ != "NOUN" or head.lemma_.lower() not in media_nouns():
        return False, None
    lo, hi = within
    for c in head.children:
        if c.dep_ == "poss" and lo <= c.i < hi:
            return True, (pronoun_by_name(c, index) if c.pos_ == "PRON" else _arg(c, index))
    if head.dep_ == "dobj" and head.head.pos_ == "VERB":
        subj, _ = _subject(head.head, within=within)
        if subj is not None and lo <= subj.i < hi and subj.pos_ != "PRON":
            return True, _arg(subj, index)
    return True, None


@cache
def _party_nouns() -> frozenset[str]:
    """Nouns for people and bodies a speech act or an event may be aimed at (data/speech_target_nouns.txt):
    "accusing spy [agencies] of ...", "pleaded with [voters]"."""
    return frozenset(w.lower() for w in tables.words("speech_target_nouns.txt"))


def _people_word(word: str) -> bool:
    """Whether a lower-case noun is a word for people or bodies: an actor sector's (data/event_sectors.tsv)
    or one a speech act or an event may be aimed at (data/speech_target_nouns.txt)."""
    return word in _sectors() or word in _party_nouns()


def _patient_word(tok: Token) -> bool:
    """Whether a noun is one that is whom an act is aimed at only as its patient: a building, post or convoy
    (data/event_facilities.txt), or someone a report leaves unnamed ("officers arrested [the gunman]")."""
    return tok.lower_ in _facilities() or gz.is_unnamed_person(tok.lemma_.lower())


@cache
def _facilities() -> frozenset[str]:
    """Nouns for buildings, posts and convoys (data/event_facilities.txt)."""
    return frozenset(w.lower() for w in tables.words("event_facilities.txt"))


_PATIENT_PREPS = frozenset({"on", "against", "upon"})


def _patient(tok: Token, trigger: Token) -> bool:
    """Whether a noun is what the trigger itself is done to: its object, its passive subject, or the object
    of its "on" or "against" ("attacked [the consulate]", "[the base] was shelled", "an attack on [the
    convoy]"); never where it happened ("met at [the embassy]"), nor another verb's object ("has set up a
    threat [base] with warships off Venezuela": the warships are the event, the base is not their target)."""
    if any(c.dep_ == "prep" and c.lower_ in ("of", "for") for c in tok.children):
        return False  # "a camp [for] Congolese refugees was attacked": the people it holds are the target
    if tok.dep_ in ("dobj", "nsubjpass"):
        return tok.head.i == trigger.i
    return tok.dep_ == "pobj" and tok.head.lower_ in _PATIENT_PREPS and tok.head.head.i == trigger.i


_MOTIVES = frozenset({"retaliation", "retaliatory", "revenge", "response", "reprisal"})


def _motive(tok: Token, top: Token) -> bool:
    """Whether ``tok`` lies in a phrase below ``top`` that says what the event answers ("in retaliation
    [for] air strikes", "in response [to] the arrests"): why, never whom it is done to."""
    cur = tok.head
    while cur.i != top.i and cur.head.i != cur.i:
        if cur.dep_ == "prep" and cur.lower_ in ("for", "to") and (
                cur.head.lower_ in _MOTIVES or any(m.dep_ in ("compound", "amod") and m.lower_ in _MOTIVES
                                                   for m in cur.head.children)):
            return True  # also "a [revenge] attack [for] ...", "[retaliatory] strikes for ..."
        cur = cur.head
    return False


def _nearest_target(top: Token, trigger: Token, actor_tokens: set[int], actor_entity: str | None,
                    index: EntityLookup, lo: int, hi: int) -> tuple[int, int, Token] | None:
    """(cost, index, head) of the cheapest target candidate below ``top`` (see :func:`target_of`)."""
    best: tuple[int, int, Token] | None = None
    for tok in top.subtree:
        if not lo <= tok.i < hi or tok.i in actor_tokens or tok.i == trigger.i:
            continue
        if tok.pos_ not in _ARG_POS or tok.ent_type_ in _VALUES:
            continue  # only nouns, names and pronouns can be targets: no entity look-up for the rest
        link = index.covering(tok)
        if link is not None and actor_entity is not None and link.entity.id == actor_entity:
            continue
        named = tok.ent_type_ in _NAMED or link is not None
        if named and tok.pos_ == "PRON" and tok.lower_ in _THING_PRONOUNS:
            named = False
        agent = not named and ((tok.pos_ in ("NOUN", "PROPN") and (
            _people_word(tok.lower_) or (_patient_word(tok) and _patient(tok, trigger))))
            or (tok.pos_ == "PRON" and tok.dep_ != "poss" and _stands_for_other(tok, actor_tokens)))
        if not named and not agent:
            continue
        root = _entity_root(tok) if named else tok
        if root.dep_ in ("compound", "amod", "poss") and root.head.pos_ == "NOUN":
            # "an [army] convoy", "the [Kestrian] post", "[Morvania]'s ambassador": the noun is the target,
            # the name its owner (and stays in the phrase)
            root = root.head
        if root.dep_ in _SUBJ and root.head.i == trigger.i:
            continue  # a subject of the trigger is who does it, even a second, misparsed one
        if root.dep_ == "pobj" and root.head.lower_ == "without":
            continue  # "met privately [without] any other staff": who was not there
        cost = _path_cost(top, root)
        if cost is None:
            continue
        if not named:
            cost += _COMMON_COST
        if _motive(root, top):
            continue  # what the event answers: "in retaliation for [US airstrikes]"
        if root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE_PREPS:
            if trigger.pos_ == "NOUN" and root.head.head.i == top.i and top.i != trigger.i \
                    and _PLACE_TYPES & {root.ent_type_, tok.ent_type_}:
                continue  # where the verb telling of a noun event did it: "carried out the attack [in] Varna"
            cost += _PLACE_COST
        if cost > _MAX_TARGET_COST:
            continue
        key = (cost, root.i)
        if best is None or key < best[:2]:
            best = (*key, root)
    return best


# who a noun event is by, in its own phrase: "a [Taliban] assault", "[Russia]'s invasion", "the [FBI]
# investigation", "an attack [by] the rebels"
_NOUN_AGENT_DEPS = frozenset({"poss", "compound", "amod"})
# the named kinds that act or are acted on (also what detect's naming constructions count as someone)
AGENT_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# whom a noun event is done to, in its own phrase: "an attack [on] the consulate", "an inquiry [into] her
# emails", "protests [against] the president"
_NOUN_TARGET_PREPS = frozenset({"on", "against", "into", "upon", "to"})


def noun_arguments(trigger: Token, index: EntityLookup, within: tuple[int, int] | None = None
                   ) -> tuple[EventArg | None, EventArg | None]:
    """(actor, target) a noun trigger's own phrase names, either None.  The actor: its possessor or naming
    modifier, a name or a word for a body ("[the Taliban]'s assault", "a [Taliban] assault", "the [army]'s
    invasion"; a place only as possessor: "a Kabul attack" says where; "anti-Trump protests" are not his),
    or its "by" phrase.  The target: the name its "on" / "against" / "into" phrase holds."""
    if trigger.pos_ != "NOUN":
        return None, None
    lo, hi = within or (0, len(trigger.doc))
    actor_head: Token | None = None
    for c in trigger.children:
        if not lo <= c.i < hi:
            continue
        # "protests [by] Muslim groups", "the demonstration staged [by] students"
        by = [c] if c.dep_ == "prep" and c.lower_ == "by" else \
            [g for g in c.children if g.dep_ == "agent"] if c.dep_ == "acl" else []
        obj = next((g for b in by for g in b.children if g.dep_ == "pobj" and lo <= g.i < hi), None)
        if obj is not None and (obj.ent_type_ in AGENT_TYPES or obj.lower_ in _sectors() or any(
                m.dep_ in ("amod", "compound") and m.ent_type_ in AGENT_TYPES for m in obj.children)):
            actor_head = _entity_root(obj)
            break
        named = c.ent_type_ in AGENT_TYPES
        if c.dep_ in _NOUN_AGENT_DEPS and c.i < trigger.i and (named or c.lower_ in _sectors()):
            if c.ent_type_ == "GPE" and c.dep_ != "poss":
                continue
            found = entity_at(c)  # (start, end, root) of the name it is part of
            first, root = (trigger.doc[found[0]], trigger.doc[found[2]]) if found is not None else (c, c)
            if first.lower_.startswith(("anti", "pro-")) or root.i == trigger.i:
                continue
            actor_head = root
            break
    actor = _arg(actor_head, index) if actor_head is not None else None
    actor_tokens = {t.i for t in actor_head.subtree} if actor_head is not None else set()
    link = index.covering(actor_head) if actor_head is not None else None
    for c in trigger.children:
        if c.dep_ == "prep" and c.lower_ in _NOUN_TARGET_PREPS and lo <= c.i < hi:
            best = _nearest_target(c, trigger, actor_tokens, link.entity.id if link is not None else None,
                                   index, lo, hi)
            if best is not None:
                return actor, _arg(best[2], index)
    return actor, None


def between_parties(trigger: Token, index: EntityLookup, within: tuple[int, int] | None = None
                    ) -> tuple[EventArg, EventArg] | None:
    """(actor, target) of a noun trigger whose "between X and Y" phrase names its two parties ("a meeting
    [between] Governor Brel [and] President Vey", "talks between the army and the rebels"), each a name or a
    word for a body; None otherwise."""
    if trigger.pos_ != "NOUN":
        return None
    lo, hi = within or (0, len(trigger.doc))
    preps = list(trigger.children)
    if trigger.dep_ in ("nsubj", "nsubjpass"):
        # the parser hangs the phrase on the verb the noun is the subject of: "clashes broke out [between] X
        # and Y", "talks were held [between] ..."
        preps += [c for c in trigger.head.children if c.i > trigger.i]
    for c in preps:
        if c.dep_ != "prep" or c.lower_ != "between" or not lo <= c.i < hi:
            continue
        for first in c.children:
            if first.dep_ != "pobj" or not lo <= first.i < hi:
                continue
            # (the parser may split a title from its name: "X and [President] [Vey]", both conjuncts)
            joined = [g for g in first.children if g.dep_ == "conj" and lo <= g.i < hi]
            second = next((g for g in reversed(joined) if g.ent_type_ in _NAMED),
                          joined[-1] if joined else None)
            if second is not None and _party(first, index) and _party(second, index):
                return _arg(first, index, conj=False), _arg(second, index)
    return None


# relative pronouns for a person or a body ("Senator Brel, [who] criticized", "Gulen, [whom] Erdogan accuses")
_WHO = frozenset({"who", "whom"})
_WHO_THAT = _WHO | {"that"}  # a relative "that" whose noun is a person or body acts ("the group [that] ...")
RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that"})
_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
# a name after these in a passive subject's phrase says where it is from, not whom: "a man [from] Beckenham"
_ORIGIN_PREPS = frozenset({"from", "of", "in", "near", "at"})


def _party(tok: Token, index: EntityLookup) -> bool:
    """A side of a "between" phrase: a name, a word for people or bodies, or a plural noun ("between
    anti-war [campaigners] and police")."""
    return _agentive(tok, index) or (tok.tag_ == "NNS" and tok.ent_type_ not in _VALUES)


def _agentive(tok: Token, index: EntityLookup) -> bool:
    """A name, or a word for people or bodies ("police", "refugees")."""
    return tok.ent_type_ in _NAMED or index.covering(tok) is not None or tok.lower_ in _sectors()


def responsible_actor(trigger: Token, index: EntityLookup, within: tuple[int, int] | None = None
                      ) -> EventArg | None:
    """Who a noun event is laid on: the object of the verb whose preposition holds it ("blamed [the group]
    for the [attacks]", "arrested [two men] for the [attack]"; data/event_responsible_verbs.tsv), a passive's
    subject ("[he] was charged with the [murder]"), or the person or body a relative pronoun there stands
    for ("the militia, [which] the minister blamed for the [attacks]").  The clause's subject only blames or
    arrests; None where no such verb holds the noun or its object names nobody."""
    lo, hi = within or (0, len(trigger.doc))
    prep = trigger.head
    if trigger.pos_ != "NOUN" or trigger.dep_ != "pobj" or prep.dep_ != "prep":
        return None
    verb = prep.head
    held_for = _lemma_preps("event_responsible_verbs.tsv").get(verb.lemma_.lower(), frozenset())
    if verb.pos_ != "VERB" or prep.lower_ not in held_for:
        return None
    held = next((c for c in verb.children if c.dep_ in ("dobj", *_PASS_SUBJ) and lo <= c.i < hi), None)
    if held is None:
        return None
    if held.lower_ in RELATIVE_PRONOUNS:
        # the noun the clause is on, whatever it is: what is blamed for an attack is who did it ("the Varn
        # [offshoot], which the minister blamed for the attacks")
        found = _antecedent(verb, index, lo, hi)
        if found is None and verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN") \
                and lo <= verb.head.i < hi:
            found = verb.head
        return _arg(found, index) if found is not None else None
    if held.pos_ == "PRON":
        return pronoun_by_name(held, index)
    root = _entity_root(held)
    return _arg(root, index) if _agentive(root, index) or _people_word(root.lower_) else None


def _antecedent(clause: Token, index: EntityLookup, lo: int, hi: int) -> Token | None:
    """The person or body a relative clause modifies (a name or a word for people or bodies), when
    ``clause`` is one."""
    if clause.dep_ != "relcl" or not lo <= clause.head.i < hi:
        return None
    head = clause.head
    if any(c.lower_ in _WHO for c in clause.children if c.dep_ in (*_SUBJ, "dobj")):
        # "who" is a person: the parser may hang the clause on the last noun of a phrase about one ("Quell,
        # a secretary of labor during the Brel [administration] who has endorsed ..."): the person that
        # phrase is on, where the noun it was hung on is no person
        person = _person_above(head, index, lo, hi)
        if person is not None and _kind(_entity_root(head), index) != "PERSON":
            return person
    antecedent = _entity_root(head)
    # a description ("a", "the") in apposition to a name stands for it, even one that reads as a name itself:
    # "Brel, [a Lirra Democrat] who has been endorsed ..." (not "the cleric [Tomas Vey], whom ...")
    described = any(c.dep_ == "det" for c in head.children)
    if _agentive(antecedent, index) and not (described and head.dep_ == "appos"):
        return antecedent
    # "Liberty for Zorland, [an organization] that endorsed ...": the name the noun stands in apposition to
    if head.dep_ == "appos" and lo <= head.head.i < hi:
        # (a name the recogniser missed is a name too: the noun beside it says it is a body or a person)
        named = _entity_root(head.head)
        if _agentive(named, index) or named.pos_ == "PROPN":
            return named
    return antecedent if _agentive(antecedent, index) else None


def _kind(tok: Token, index: EntityLookup) -> str:
    """The entity type of the name a token is part of: the entities layer's, else the recogniser's."""
    link = index.covering(tok)
    return link.entity.type if link is not None else tok.ent_type_


def _person_above(noun: Token, index: EntityLookup, lo: int, hi: int) -> Token | None:
    """The person named by the phrase a prepositional object hangs in, up to two prepositions above it
    ("[Quell], a secretary of labor during the [administration]"): the noun its preposition is on, or the
    name that noun stands in apposition to."""
    cur = noun
    for _ in range(2):
        if cur.dep_ != "pobj" or cur.head.dep_ != "prep" or not lo <= cur.head.head.i < hi:
            return None
        cur = cur.head.head
        for cand in (cur.head if cur.dep_ == "appos" else None, cur):
            if cand is not None and lo <= cand.i < hi and _kind(_entity_root(cand), index) == "PERSON":
                return _entity_root(cand)
    return None


def _relative_actor(trigger: Token, index: EntityLookup, lo: int, hi: int) -> Token | None:
    """The person or body a relative clause is about, when the trigger's subject is its "who"."""
    clause = clause_head(trigger)
    if not any(c.dep_ in _SUBJ and c.lower_ in _WHO_THAT for c in clause.children):
        return None
    return _antecedent(clause, index, lo, hi)


def _relative_object(trigger: Token, index: EntityLookup, lo: int, hi: int) -> Token | None:
    """The noun a relative clause modifies when the trigger's object is its relative pronoun ("Gulen,
    [whom] Erdogan accuses of plotting"): a name or a word for people or bodies."""
    if not any(c.dep_ in ("dobj", "nsubjpass") and c.lower_ in RELATIVE_PRONOUNS for c in trigger.children):
        return None
    return _antecedent(clause_head(trigger), index, lo, hi)


def _passive_subject(trigger: Token, index: EntityLookup, lo: int, hi: int) -> Token | None:
    """The subject of a passive trigger, whom it was done to ("[the tram's driver] was arrested", "[he] was
    charged"), whatever noun names them (a pronoun as the name it stands for); None for a pronoun no name
    stands for, a relative or thing pronoun, a value or an event noun ("talks were held", "sanctions were
    imposed": the event itself, whom it hits named elsewhere)."""
    for subj in trigger.children:
        if subj.dep_ not in _PASS_SUBJ or not lo <= subj.i < hi:
            continue
        if subj.ent_type_ in _VALUES or subj.pos_ not in ("NOUN", "PROPN", "PRON"):
            return None
        if subj.pos_ == "PRON":
            return None if subj.lower_ in _THING_PRONOUNS else _name_before(subj, index)
        agentive = _agentive(subj, index)
        if (subj.lemma_.lower(), "N") in trigger_types() and not agentive:
            return None
        if subj.pos_ == "NOUN" and not agentive:
            # a plain noun whose own phrase names whom: "a camp for [Congolese refugees] was attacked"
            inner = _nearest_target(subj, trigger, set(), None, index, lo, hi)
            if inner is not None and inner[2].ent_type_ not in _PLACE_TYPES and not (
                    inner[2].dep_ == "pobj" and inner[2].head.lower_ in _ORIGIN_PREPS):
                return inner[2]
            return subj
        return _entity_root(subj) if subj.ent_type_ in _NAMED else subj
    return None


# people a person has, who are themselves whom an act is aimed at ("praised [his] wife")
_KIN = frozenset({"son", "sons", "daughter", "daughters", "wife", "husband", "kids", "children", "child",
                  "family", "mother", "father", "brother", "sister", "parents", "ally", "allies", "rulers",
                  "friend", "friends"})


def thing_owner(noun: Token, index: EntityLookup) -> EventArg | None:
    """The person a pronoun possessor of a thing stands for ("[his] budget", "[her] tax plan"), by
    name, or None: not for people, bodies or buildings ("his aides", "her ministry", "his kids")."""
    word = noun.lower_
    if noun.pos_ != "NOUN" or noun.ent_type_ or word in _KIN or _people_word(word) or word in _facilities() \
            or word.rstrip("s") in _sectors():
        return None
    for c in noun.children:
        if c.dep_ == "poss" and c.pos_ == "PRON" and c.lower_ in ("his", "her", "their"):
            return pronoun_by_name(c, index)
    return None


def named_object(trigger: Token, index: EntityLookup, within: tuple[int, int]) -> EventArg | None:
    """The name a verb trigger's direct object is ("who has endorsed [Senator Ana Brel]"), or None:
    whom the act is done to, as the grammar says, whatever a search or a ranker weighed."""
    lo, hi = within
    for c in trigger.children:
        if c.dep_ == "dobj" and lo <= c.i < hi and c.pos_ == "PROPN":
            root = _entity_root(c)
            if index.covering(root) is not None or root.ent_type_ in AGENT_TYPES:
                return _arg(root, index)
    return None


def clause_arguments(trigger: Token, kind: str, index: EntityLookup, within: tuple[int, int] | None = None
                     ) -> tuple[EventArg | None, EventArg | None]:
    """(actor, target) that a verb trigger's clause states outright, either None: the person or body a
    relative clause is about as the actor of its "who" ("Senator Brel, [who] criticized ..."); as the
    target, the subject of a passive ("[the driver] was arrested") or the noun whose relative pronoun is the
    object ("Gulen, [whom] Erdogan accuses").  The search of :func:`actor_of` and :func:`target_of` misses
    these: a relative pronoun names nobody, and a plain noun ("the driver") is no target candidate there."""
    if trigger.pos_ != "VERB":
        return None, None
    lo, hi = within or (0, len(trigger.doc))
    actor = _relative_actor(trigger, index, lo, hi)
    # only a type always done to someone (data/plover.tsv): a mobilisation's or withdrawal's passive subject
    # is what was moved ("troops were deployed"), a protest's or concession's is no party to it
    # (and a release's, a rescue's: data/event_passive_targets.txt)
    done_to = event_type(kind).target_required or trigger.lemma_.lower() in _passive_targets()
    target = _passive_subject(trigger, index, lo, hi) if done_to else None
    if target is None:
        target = _relative_object(trigger, index, lo, hi)
    return (_arg(actor, index) if actor is not None else None,
            _arg(target, index) if target is not None else None)


def equipping_actor(trigger: Token, index: EntityLookup, within: tuple[int, int] | None = None
                    ) -> EventArg | None:
    """The actor of a noun trigger in the "with" phrase of its clause's object: the clause's subject, who
    equips the object with it ("[the US government] has set up a threat base with [warships]", "[Narvia]
    reinforced the border with [troops]").  Unlike other phrases inside a noun ("questioning on the
    [attacks]"), "with" says what the subject brings; None for any other trigger or subject."""
    lo, hi = within or (0, len(trigger.doc))
    prep = trigger.head
    if trigger.pos_ != "NOUN" or trigger.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ != "with":
        return None
    obj, top = prep.head, clause_head(trigger)
    if obj.dep_ != "dobj" or obj.head.i != top.i or top.pos_ != "VERB":
        return None
    subj, passive = _subject(top, within=(lo, hi))
    if subj is None or passive or not lo <= subj.i < hi or subj.pos_ not in ("PROPN", "NOUN"):
        return None
    return _arg(subj, index) if _agentive(subj, index) else None


# what comes with "under": the clause's subject undergoes it ("Weiner is [under] investigation")
_UNDERGO_PREP = "under"
# who does it, after the event noun or the clause verb: "came under attack [from] rebel fighters"
_SOURCE_PREPS = frozenset({"from", "by"})


def undergone(trigger: Token, index: EntityLookup, within: tuple[int, int] | None = None
              ) -> tuple[EventArg, EventArg | None] | None:
    """(target, actor) of a noun event the clause's subject undergoes ("[Weiner] is under [investigation]",
    "[the town] came under [attack] from [rebel fighters]", "[two men] remain under [arrest]"): the
    subject is whom it is done to, and the actor is the name or body of a "from" / "by" phrase on the noun
    or the verb, if any; None for any other trigger."""
    lo, hi = within or (0, len(trigger.doc))
    prep = trigger.head
    if trigger.pos_ != "NOUN" or trigger.dep_ != "pobj" or prep.lower_ != _UNDERGO_PREP:
        return None
    verb = prep.head
    if prep.dep_ != "prep" or verb.pos_ not in ("VERB", "AUX") or clause_head(trigger).i != verb.i:
        return None
    subj = _holder(verb, lo, hi)
    if subj is None:
        return None
    return _arg(subj, index), _phrase_agent(trigger, (trigger, verb), _SOURCE_PREPS, index, lo, hi)


def _holder(verb: Token, lo: int, hi: int) -> Token | None:
    """The active subject of the verb that holds a noun event (who is under it or receives it), if any."""
    subj, passive = _subject(verb, within=(lo, hi))
    if subj is None or passive or not lo <= subj.i < hi or subj.pos_ not in ("PROPN", "NOUN", "PRON"):
        return None
    return subj


def _phrase_agent(noun: Token, heads: tuple[Token, ...], preps: frozenset[str], index: EntityLookup,
                  lo: int, hi: int) -> EventArg | None:
    """The name or body the first of ``preps`` on ``heads`` holds ("attack [from] rebels", "the endorsement
    [of] Vey"); an "of" phrase only on the noun itself (a verb's "of" says something else)."""
    for c in (child for head in heads for child in head.children):
        if c.dep_ == "prep" and c.lower_ in preps and lo <= c.i < hi \
                and (c.lower_ != "of" or c.head.i == noun.i):
            obj = next((g for g in c.children if g.dep_ == "pobj" and lo <= g.i < hi), None)
            if obj is not None and _agentive(obj, index):
                return _arg(_entity_root(obj), index)
    return None


@cache
def _receiving_verbs() -> frozenset[str]:
    return frozenset(tables.words("event_receiving_verbs.txt"))


# who gives what the subject receives: "won the endorsement [of] Vey", "aid [from] Varn", "backing [by] ..."
_GIVER_PREPS = frozenset({"of", "from", "by"})
_FROM = frozenset({"from"})


def received(trigger: Token, index: EntityLookup, within: tuple[int, int] | None = None
             ) -> tuple[EventArg, EventArg | None] | None:
    """(target, actor) of a noun event the clause's subject receives ("[Brel] won the [endorsement] of
    [Vey]", "[the council] received [aid] from [Varn]", "[she] faced [criticism] from [rivals]";
    data/event_receiving_verbs.txt): the subject is whom it is done to, and the actor the name or body of an
    "of" / "from" / "by" phrase on the noun or the verb, if any; None for any other trigger."""
    lo, hi = within or (0, len(trigger.doc))
    verb = trigger.head
    if trigger.pos_ != "NOUN" or trigger.dep_ != "dobj" or verb.pos_ != "VERB" \
            or verb.lemma_.lower() not in _receiving_verbs():
        return None
    subj = _holder(verb, lo, hi)
    if subj is None:
        return None
    return _arg(subj, index), _phrase_agent(trigger, (trigger, verb), _GIVER_PREPS, index, lo, hi)


def own_giver(trigger: Token, index: EntityLookup, within: tuple[int, int] | None = None) -> EventArg | None:
    """The name or body a noun event's own "from" phrase holds ("highlighted [endorsements] from [Vey]",
    "[criticism] from [Lirra]"): whom it comes from, whatever the clause's subject; None where the noun has
    no such phrase or it names nobody.  (Its "by" phrase only fills a gap, noun_arguments: "[patrols] by
    police" are the government's in plover-dev's reading.)"""
    lo, hi = within or (0, len(trigger.doc))
    if trigger.pos_ != "NOUN":
        return None
    return _phrase_agent(trigger, (trigger,), _FROM, index, lo, hi)


@cache
def perpetrator_words() -> frozenset[str]:
    """Words for whoever carried out an attack, unnamed (data/event_perpetrators.txt), singular and plural
    ("shooter", "shooters"): read by the perpetrator search here and by vetting's merging of mentions."""
    words = {w.lower() for w in tables.words("event_perpetrators.txt")}
    return frozenset(words | {w + "s" for w in words})


def perpetrator(trigger: Token, index: EntityLookup, avoid: tuple[int, int] | None,
                within: tuple[int, int] | None = None) -> EventArg | None:
    """Whoever the trigger's sentence says carried out an attack without naming them ("five people have
    been [shot] ..., with the alleged [shooter] still at large"): its first perpetrator noun
    (data/event_perpetrators.txt) outside the character range ``avoid`` (the target: "the [gunman] was
    killed" is not the killing's actor); None if it names none."""
    lo, hi = within or (0, len(trigger.doc))
    sent = trigger.sent
    for tok in sent:
        named = tok.lemma_.lower() in perpetrator_words() or tok.lower_ in perpetrator_words()
        if not lo <= tok.i < hi or tok.pos_ != "NOUN" or not named:
            continue
        if avoid is not None and avoid[0] < tok.idx + len(tok.text) and tok.idx < avoid[1]:
            continue
        # the words up to the noun: "the alleged [shooter] still at large" is no name for them
        return _arg(tok, index, ends_at_head=True)
    return None


def nested_target(trigger: Token, index: EntityLookup, within: tuple[int, int] | None = None
                  ) -> tuple[tuple[int, int], EventArg | None] | None:
    """For a noun trigger inside another noun's phrase ("the US government has set up a threat base with
    [warships]"), whose clause subject is no actor of it (:func:`actor_of`): the character range of that
    subject and the target found without it, which it is not either; None for any other trigger."""
    top = clause_head(trigger)
    if not _inside_noun_phrase(trigger, top):
        return None
    subjects = [c for c in top.children if c.dep_ in _SUBJ]
    if not subjects:
        return None
    words = frozenset(t.i for c in subjects for t in c.subtree)
    doc = trigger.doc
    lo, hi = min(words), max(words)
    return (doc[lo].idx, doc[hi].idx + len(doc[hi].text)), target_of(trigger, None, index, within, words)
