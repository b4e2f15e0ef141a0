"""Quotation finding on plain text (spaCy-free): one left-to-right pass, so any input is linear time.

A quote is the character range from its opening mark to its closing mark, both included (PolNeAR's
annotators include the marks in a direct quote's content).  Rules:

* curly “…”, low „…“/„…”, guillemets «…» and »…«, straight "…" (and ''…''), single ‘…’ and '…';
* a single mark opens only at a word start and closes only at a word end, so apostrophes ("don't",
  "Venezuela’s") never open or close a quote;
* a paragraph break inside a quote continues it only when the next paragraph opens with the same mark
  (the English convention for multi-paragraph quotes); otherwise the open quote is dropped as unbalanced.
  A single newline after a line that does not end a sentence is a hard wrap, and the quote goes on;
* marks of another kind inside an open quote are nested quotes and are ignored.
"""

from __future__ import annotations

__all__ = ["find_quotes"]

# opening mark -> the closing marks that may end it
_PAIRS: dict[str, str] = {
    "“": "”“\"",  # “…” (and “…“ or “…" typed by mistake)
    "„": "“”",
    "«": "»",
    "»": "«",
    '"': '"”',
    "‘": "’",
    "'": "'",
}
_SINGLE = frozenset("‘'")
# A line ending in one of these ends a paragraph (texts with one newline between paragraphs).
_ENDS = frozenset(".!?:;…")


def _opens(text: str, i: int) -> bool:
    c = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if nxt.isspace():
        return False  # a mark followed by a space closes something (or is stray)
    if c in _SINGLE or c == '"':
        return not prev.isalnum()
    return True


def _closes(text: str, i: int, opener: str) -> bool:
    if text[i] not in _PAIRS[opener]:
        return False
    if opener in _SINGLE or opener == '"':
        nxt = text[i + 1] if i + 1 < len(text) else " "
        prev = text[i - 1] if i > 0 else " "
        return not nxt.isalnum() and not prev.isspace()
    return True


def find_quotes(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every balanced quotation in ``text``, marks included, in text order."""
    out: list[tuple[int, int]] = []
    n = len(text)
    opener = ""
    start = 0
    i = 0
    while i < n:
        c = text[i]
        if c == "'" and text[i + 1:i + 2] == "'":
            # '' typed for " (old wire and NYT archives); `` opens like “
            c = '"'
            if opener == '"' and not text[i + 2:i + 3].isalnum() and not text[i - 1:i].isspace():
                out.append((start, i + 2))
                opener = ""
                i += 2
                continue
            if not opener and _opens(text, i + 1) and (i == 0 or not text[i - 1].isalnum()):
                opener, start = '"', i
                i += 2
                continue
        if not opener:
            if c in _PAIRS and _opens(text, i):
                opener, start = c, i
        elif c == "\n":
            j = i
            while j < n and text[j].isspace():
                j += 1
            if j < n and text[j] == opener:
                i = j  # the next paragraph re-opens: the quote goes on
            elif text[i:j].count("\n") == 1 and text[start:i].rstrip()[-1:] not in _ENDS:
                i = j  # a hard-wrapped line inside a sentence
                continue
            else:
                opener = ""  # unbalanced: drop it and scan on from here
                continue
        elif _closes(text, i, opener):
            out.append((start, i + 1))
            opener = ""
        i += 1
    return out
