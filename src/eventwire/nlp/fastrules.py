"""The attribute ruler's matches found with array comparisons instead of spaCy's Matcher.

en_core_web_sm's ``attribute_ruler`` maps tags to parts of speech and fixes a few words ("'s", "n't",
"wanna"): 179 patterns of one or two tokens, each testing LOWER, TAG, DEP or IS_SPACE for a value, a set of
values or a regular expression.  spaCy's
Matcher tries every pattern at every token in turn: 10.8 ms CPU per 731-word article, 12 % of the small
pipeline's time, more than any of our own layers but the attributions and events ones (bench corpus,
2-core AMD EPYC).  The same matches come out of one ``to_array`` and, per pattern, a comparison of whole
columns: ~0.5 ms.  :func:`accelerate_attribute_ruler` gives a loaded pipeline's ruler this ``match``; the
ruler still applies the matches itself, in its own order, so every annotation is the one it would set
(``tests/nlp/test_fastrules.py`` compares them token by token).  A ruler with any pattern this matcher
does not handle (an operator, a set, a regex, another attribute) keeps spaCy's Matcher.

Applying the ~800 matches of such an article then cost more than finding them: a Span and a
``set_token_attrs`` call each.  Where every rule sets token-only attributes (tag, part of speech,
morphology, lemma, dependency) the last value each match writes is read into one array and set with one
``from_array``; a ruler with any other attribute keeps spaCy's writer.  The ruler took 4.9-5.6 ms CPU per
bench article before, 3.8-4.1 after (``bench/cpu_profile.py --articles 200``, two runs of each in turn, Intel
Xeon, 2 cores).
"""

from __future__ import annotations

import re
import types
from collections.abc import Sequence
from typing import Any

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc

__all__ = ["RuleIndex", "accelerate_attribute_ruler"]

# the token attributes a pattern may test, and their column in the array read from the Doc
_COLUMNS = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}
_ARRAY_ATTRS = [LOWER, TAG, DEP, IS_SPACE]

# One test of one token: ("eq", column, id), ("in" | "not_in", column, ids), ("regex", column, pattern).
_Test = tuple[str, int, Any]
_TokenTest = tuple[_Test, ...]


# Token attributes a rule may set that live on the token alone: ``set_token_attrs`` also writes each one to
# the word's lexeme, where these have no field, so the last value written is the token's whole state
_TOKEN_ONLY = frozenset({TAG, POS, MORPH, LEMMA, DEP})


def _written_columns(ruler: AttributeRuler) -> list[int | str] | None:
    """The attributes the ruler's rules set, when all are token-only ids with id values; else None."""
    found: set[int] = set()
    for attrs in ruler.attrs:
        for key, value in attrs.items():
            if key not in _TOKEN_ONLY or not isinstance(value, int):
                return None
            found.add(key)
    return [*sorted(found)]


class RuleIndex:
    """The ruler's patterns as whole-column tests; ``None`` from :meth:`build` when one is beyond them."""

    def __init__(self, rules: list[tuple[int, int, tuple[_TokenTest, ...]]], n_keys: int,
                 columns: list[int | str] | None = None) -> None:
        self.rules = rules  # (attr_id, match_id, token tests), in the ruler's order
        self.n_keys = n_keys  # how many pattern keys the ruler had (a ruler given more is re-indexed)
        # the attributes the rules set, when all are token-only (the array writer's columns); else None
        self.columns = columns
        self.column_at = {attr: k for k, attr in enumerate(columns or ())}

    @classmethod
    def build(cls, ruler: AttributeRuler) -> RuleIndex | None:
        rules: list[tuple[int, int, tuple[_TokenTest, ...]]] = []
        for attr_id in range(len(ruler.attrs)):
            key = str(attr_id)
            match_id = get_string_id(key)  # the id AttributeRuler.add gave the key's Matcher entry
            found = ruler.matcher.get(key)
            if found is None:
                return None
            for pattern in found[1]:
                tests = [_token_tests(spec) for spec in pattern]
                if not tests or any(t is None for t in tests):
                    return None
                rules.append((attr_id, int(match_id), tuple(t for t in tests if t is not None)))
        return cls(rules, len(ruler.attrs), _written_columns(ruler))

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """``AttributeRuler.match``'s result: ``(attr_id, match_id, start, end)``, distinct, sorted."""
        n = len(doc)
        if n == 0:
            return []
        arr = doc.to_array(_ARRAY_ATTRS).astype(numpy.uint64, copy=False)
        # one mask per distinct test, shared by the patterns that make it
        masks: dict[_Test, Any] = {}
        out: set[tuple[int, int, int, int]] = set()
        for attr_id, match_id, tests in self.rules:
            length = len(tests)
            if length > n:
                continue
            hit = None
            for k, token_tests in enumerate(tests):
                mask = None
                for test in token_tests:
                    got = masks.get(test)
                    if got is None:
                        got = masks[test] = _mask(doc, arr[:, test[1]], test)
                    mask = got if mask is None else mask & got
                if mask is None:  # an empty token pattern ({}) matches any token
                    mask = numpy.ones(n, dtype=bool)
                part = mask[k:n - length + 1 + k]
                hit = part if hit is None else hit & part
            assert hit is not None
            starts = numpy.flatnonzero(hit).tolist()
            out.update((attr_id, match_id, start, start + length) for start in starts)
        return sorted(out)


def _mask(doc: Doc, column: Any, test: _Test) -> Any:
    """Which tokens pass ``test``, the way spaCy's Matcher decides it."""
    kind, _, value = test
    if kind == "eq":
        return column == numpy.uint64(value)
    if kind in ("in", "not_in"):
        inside = numpy.isin(column, numpy.array(sorted(value), dtype=numpy.uint64))
        return inside if kind == "in" else ~inside
    # "regex": re.search over the attribute's string, once per distinct value of the column
    strings = doc.vocab.strings
    values = numpy.unique(column)
    passing = [v for v in values.tolist() if value.search(strings[v])]
    return numpy.isin(column, numpy.array(passing, dtype=numpy.uint64))


def _token_tests(spec: dict[str, Any]) -> _TokenTest | None:
    """The tests of one token pattern; None when it holds an attribute or an operator not handled here."""
    tests: list[_Test] = []
    for name, value in spec.items():
        column = _COLUMNS.get(name)
        if column is None:
            return None
        if name == "IS_SPACE":
            if not isinstance(value, bool):
                return None
            tests.append(("eq", column, int(value)))
        elif isinstance(value, str):
            tests.append(("eq", column, int(get_string_id(value))))
        elif isinstance(value, dict) and len(value) == 1:
            (op, arg), = value.items()
            if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
                tests.append((op.lower(), column, frozenset(int(get_string_id(v)) for v in arg)))
            elif op == "REGEX" and isinstance(arg, str):
                tests.append(("regex", column, re.compile(arg)))
            else:
                return None  # FUZZY, IS_SUBSET, a comparison, ...: spaCy's Matcher handles those
        else:
            return None
    return tuple(tests)


def _current_index(ruler: Any) -> RuleIndex | None:
    """The ruler's index, built again when rules were added since; None when one is beyond it."""
    index: RuleIndex | None = ruler._ew_rule_index
    if index is None or index.n_keys != len(ruler.attrs):
        index = ruler._ew_rule_index = RuleIndex.build(ruler)
    return index


def _fast_match(ruler: Any, doc: Doc) -> Sequence[tuple[int, int, int, int]]:
    index = _current_index(ruler)
    if index is None:
        return AttributeRuler.match(ruler, doc)  # type: ignore[no-any-return]
    return index.match(doc)


def _fast_set_annotations(ruler: Any, doc: Doc, matches: Sequence[tuple[int, int, int, int]]) -> None:
    """``AttributeRuler.set_annotations``: each match's attributes on its token, later matches winning,
    written with one ``from_array`` instead of a Span and a ``set_token_attrs`` call per match (~800 matches
    in a 731-word article: every token takes its tag's part of speech and morphology)."""
    index = _current_index(ruler)
    columns = index.columns if index is not None else None
    if index is None or columns is None or not matches or not len(doc):
        AttributeRuler.set_annotations(ruler, doc, matches)  # type: ignore[no-untyped-call]
        return
    at = index.column_at
    arr: Any = doc.to_array(columns).reshape(len(doc), len(columns))
    for attr_id, _match_id, start, end in matches:
        offset = ruler.indices[attr_id]
        i = start + offset if offset >= 0 else end + offset
        if not start <= i < end:
            # spaCy's own error for an index outside the match
            AttributeRuler.set_annotations(ruler, doc, matches)  # type: ignore[no-untyped-call]
            return
        for key, value in ruler.attrs[attr_id].items():
            arr[i, at[key]] = value
    doc.from_array(columns, arr)


def accelerate_attribute_ruler(nlp: Language) -> bool:
    """Give the pipeline's attribute rulers the array matcher (and, where every rule sets token-only
    attributes, the array writer); whether every one of them took the matcher."""
    took = True
    for _name, proc in nlp.pipeline:
        if not isinstance(proc, AttributeRuler):
            continue
        index = RuleIndex.build(proc)
        if index is None:
            took = False
            continue
        proc._ew_rule_index = index  # type: ignore[attr-defined]
        proc.match = types.MethodType(_fast_match, proc)  # type: ignore[method-assign]
        proc.set_annotations = types.MethodType(_fast_set_annotations, proc)  # type: ignore[method-assign]
    return took
