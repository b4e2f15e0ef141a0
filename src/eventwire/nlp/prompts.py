"""spaCy component "eventwire_prompts": a page's sign-up prompts cut off from the article's sentences.

Some pages run a newsletter widget straight into the article's first sentence, with no punctuation between
them ("Get news updates directly to your inbox + Subscribe Thank you for subscribing! ... Invalid Email
Senator Brel isn't taking the vote lying down - and she protested ...").  The parser then reads prompt and
report as one sentence, whose event (the protest) is scored as page debris or lost to the prompt's "Thank".
The text itself stays as given (every offset we report points into it), so the prompts
(``data/page_prompts.txt``) are cut off as sentences of their own before the parser runs: a sentence starts
where a run of prompts starts and where it ends, and none starts inside the words that follow it before their
first sentence-final mark or line break (given only the start, the parser took the report's first word for a
sentence of its own).  Events vetting then reads the prompts as the debris they are
(``data/event_vetting.json``).
"""

from __future__ import annotations

import re
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from eventwire.nlp import tables

__all__ = ["FACTORY", "add_to", "prompt_runs"]

FACTORY = "eventwire_prompts"
_END = frozenset({".", "!", "?"})


@cache
def _prompts() -> re.Pattern[str]:
    """One pattern for a run of prompts (``data/page_prompts.txt``), whitespace between them."""
    one = "|".join(f"(?:{p})" for p in tables.words("page_prompts.txt"))
    return re.compile(rf"(?:(?:{one})\s*)+", re.IGNORECASE)


def prompt_runs(text: str) -> list[tuple[int, int]]:
    """The character spans of the runs of prompts in ``text`` (trailing whitespace left out)."""
    out = []
    for m in _prompts().finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1].isspace():
            end -= 1
        out.append((m.start(), end))
    return out


def cut_prompts(doc: Doc) -> Doc:
    """Sentence starts around each run of prompts (see the module docstring)."""
    runs = prompt_runs(doc.text)
    if not runs:
        return doc
    for start, end in runs:
        first = doc.char_span(start, end, alignment_mode="expand")
        if first is None:
            continue
        doc[first.start].is_sent_start = True
        k = first.end
        while k < len(doc) and doc[k].is_space:
            k += 1
        if k >= len(doc):
            continue
        doc[k].is_sent_start = True
        for tok in doc[k + 1:]:
            if tok.text in _END or (tok.is_space and "\n" in tok.text):
                break
            tok.is_sent_start = False
    return doc


@Language.factory(FACTORY, assigns=["token.is_sent_start"], requires=[])
def make_prompts(nlp: Language, name: str) -> object:
    return cut_prompts


def add_to(nlp: Language) -> None:
    """Add the component before the parser (it only sets sentence starts the parser then keeps), or first
    where a pipeline has no parser; once."""
    if FACTORY in nlp.pipe_names:
        return
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(FACTORY, before="parser")
    else:
        nlp.add_pipe(FACTORY, first=True)
