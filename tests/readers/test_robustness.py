"""Properties: no input makes a reader raise, and the cleaner only ever drops whole lines (and a sign-off)."""

from __future__ import annotations

import gzip

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire.model import ArticleInput, Skip
from eventwire.readers import read_bytes
from eventwire.readers.clean import clean_text

NAMES = ["a.txt", "a.html", "a.jsonl", "a.rss", "a.xml", "a.warc", "a.warc.gz", "a.txt.gz", "a.jsonl.gz"]

# Text made of the pieces debris is made of, so the cleaner's branches are actually reached.
PIECES = st.sampled_from([
    "The council met.", "Image: Reuters", "Photo: AP", "(Foto: Keystone)", "Getty Images", "By Jane Doe",
    "03/14/2024", "14.03.2024", "09:05", "11:42 Uhr", "Updated", "(con)", "(sda/afp)", " ", ", ", ".",
    "\n", "\n\n", "\r\n", "Monday", "March 4, 2024", "EST", "word", "x" * 30,
])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400), name=st.sampled_from(NAMES), gz=st.booleans())
def test_no_bytes_make_a_reader_raise(data: bytes, name: str, gz: bool) -> None:
    payload = gzip.compress(data) if gz and name.endswith(".gz") else data
    for item in read_bytes(payload, name=name):
        assert isinstance(item, ArticleInput | Skip)
        if isinstance(item, Skip):
            assert item.reason and item.source.startswith(name)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_cleaner_only_drops_whole_lines(text: str) -> None:
    cleaned = clean_text(text)
    original = text.splitlines()
    kept = cleaned.text.splitlines()
    # Kept lines appear in the original in order; only the last may lose a trailing sign-off.
    pos = 0
    for i, line in enumerate(kept):
        last = i == len(kept) - 1
        while pos < len(original) and not (
                original[pos].strip() == line.strip()
                or (i == 0 and original[pos].rstrip().endswith(line.strip()))
                or (last and cleaned.signoff and original[pos].strip().startswith(line.strip()))):
            pos += 1
        assert pos < len(original), (text, cleaned.text)
        pos += 1
    assert cleaned.text == cleaned.text.strip()
