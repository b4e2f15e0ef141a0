"""Sentence features of the event-type classifier: words, parse relations and trigger-lexicon hits, hashed.

One list of strings per sentence (~60-150 features for a 30-word sentence), hashed into ``n_buckets`` rows of
a weight matrix.  Names inside named entities become their label ("ENT_GPE") so that "Gondor" and "Chad"
look alike to the classifier, which was trained on real and invented names alike.
"""

from __future__ import annotations

from typing import Any

import numpy
from spacy.tokens import Span, Token

from eventwire.nlp.events.lexicon import pos_class, trigger_types
from eventwire.nlp.strings import string_ids

__all__ = ["FEATURE_VERSION", "feature_ids", "sentence_features", "word"]

FEATURE_VERSION = 1
_ENT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
# relations whose dependent says what a verb does to whom: "call FOR", "accuse OF", "pull OUT", "sign A DEAL"
_VERB_DEPS = frozenset(
    {
        "dobj",
        "prep",
        "prt",
        "xcomp",
        "ccomp",
        "neg",
        "aux",
        "auxpass",
        "nsubjpass",
        "agent",
        "attr",
        "acomp",
        "dative",
        "nsubj",
    }
)


def word(tok: Token) -> str:
    """The classifier's view of a token: its lower-case lemma, or its entity label inside a name."""
    if tok.ent_type_ in _ENT_LABELS:
        return "ENT_" + tok.ent_type_
    return tok.lemma_.lower()


def _arg_word(tok: Token) -> str:
    """A dependent as the head of its phrase: "to" keeps its object ("to ENT_GPE") one level down."""
    if tok.dep_ == "prep" or tok.dep_ == "agent":
        objs = [c for c in tok.children if c.dep_ == "pobj"]
        return tok.lower_ + ("_" + word(objs[0]) if objs else "")
    return word(tok)


def sentence_features(sent: Span) -> list[str]:
    """The feature strings of one sentence (order irrelevant; duplicates removed by the caller's hashing)."""
    lex = trigger_types()
    feats: list[str] = ["bias"]
    prev = "<s>"
    last_ent = -2
    for tok in sent:
        if tok.is_punct or tok.is_space:
            continue
        w = word(tok)
        if w.startswith("ENT_"):
            if last_ent == tok.i - 1:
                last_ent = tok.i
                continue  # one feature per name, not per word of it
            last_ent = tok.i
        feats.append("u:" + w)
        feats.append("b:" + prev + "_" + w)
        prev = w
        pc = pos_class(tok.pos_)
        if pc is not None:
            types = lex.get((tok.lemma_.lower(), pc), ())
            near_root = tok.dep_ == "ROOT" or tok.head.dep_ == "ROOT"
            for t in types:
                feats.append("lx:" + t)
                if near_root:
                    feats.append("lxr:" + t)
            if types and near_root:
                feats.append("lxw:" + pc + ":" + w)
        if tok.dep_ == "ROOT":
            feats.append("r:" + w)
        if tok.pos_ == "VERB" or tok.dep_ == "ROOT":
            for child in tok.children:
                if child.dep_ in _VERB_DEPS:
                    feats.append("vd:" + w + "|" + child.dep_ + "|" + _arg_word(child))
        elif tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "nsubj", "pobj", "nsubjpass"):
            feats.append("nh:" + w + "|" + tok.dep_ + "|" + word(tok.head))
            for child in tok.children:
                if child.dep_ in ("prep", "amod", "compound"):
                    feats.append("nd:" + w + "|" + _arg_word(child))
        if tok.dep_ == "neg":
            feats.append("neg")
        if tok.tag_ == "MD":
            feats.append("md:" + w)
    return feats


def feature_ids(feats: list[str], n_buckets: int) -> Any:
    """Distinct bucket indexes of the features (int64 array)."""
    return numpy.unique((string_ids(feats) % numpy.uint64(n_buckets)).astype("int64"))
