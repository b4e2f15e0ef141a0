"""One per-article index that every layer reads, built once per Doc and kept on the Doc (``doc._.ew_index``).

What it holds, and why here: spaCy rebuilds ``doc.text`` from every token at each access (~7 ms for a
750-word article), ``doc.sents`` builds a Span per sentence in Python, and each layer used to find the
quotations, the token offsets and the entity mentions again on its own.  The index computes each once:

    text            the Doc's text
    starts          character offset of every token (``token_at`` bisects it)
    sentences       character ``(start, end)`` of every sentence, in ``doc.sents`` order
    sentence_spans  the same sentences as CharSpans without surrounding white space (Article.sentences),
                    on first use
    quotes          the article's quotations (``quotes.find_quotes``), on first use
    published       the publication date/datetime the reader found (``doc._.ew_published``), or None
    date_order      the day/month order the reader detected for numeric dates, "DMY" / "MDY" or None
                    (``doc._.ew_date_order``, from readers/dates.py)
    vectors         the shared encoder's token vectors (the accurate profile); None in the fast one
    role_p          per token, the encoder role head's probability of being inside a source / cue /
                    content (``[n_tokens, 3]``, the accurate profile); None in the fast one
    entities(doc)   the entity lookup over ``doc._.ew_entities``, rebuilt when the entities layer has
                    written a new tuple

It lives on the Doc, never on a component: one pipeline is shared by the threads of the API.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc, Token

from eventwire.model import CharSpan, Entity, MentionKind
from eventwire.nlp.extensions import register_extensions
from eventwire.nlp.quotes import find_quotes

__all__ = ["DocIndex", "EntityLookup", "MentionLink", "doc_text", "index_of", "sentence_bounds"]


@dataclass(frozen=True, slots=True)
class MentionLink:
    entity: Entity
    kind: MentionKind


class EntityLookup:
    """Which entity mention covers a range of characters (the article's mentions sorted by start)."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.source = entities  # the object it was built from (``DocIndex.entities`` rebuilds on a new one)
        # stable sort: on equal starts, the entities' own order (what the layers' first match relied on)
        rows = sorted(((m.span.start, m.span.end, e, m.kind) for e in entities for m in e.mentions),
                      key=lambda r: r[0])
        self.starts = [r[0] for r in rows]
        self.rows = rows
        # (start, end, order, entity id) with ``order`` the mention's place in the entities' own order
        ordered = sorted((m.span.start, m.span.end, k, e.id)
                         for k, (e, m) in enumerate((e, m) for e in entities for m in e.mentions))
        self._ordered = ordered
        # the ``order`` of each mention -> its place among its own entity's mentions
        self._place = [i for e in entities for i in range(len(e.mentions))]
        self._ordered_starts = [r[0] for r in ordered]
        self._longest = max((r[1] - r[0] for r in ordered), default=0)
        types = {e.id: e.type for e in entities}
        self._people = [(s, k, eid) for s, _, k, eid in ordered if types.get(eid) == "PERSON"]
        self._people_starts = [r[0] for r in self._people]

    def at(self, start: int, end: int) -> Iterator[MentionLink]:
        """Mentions overlapping ``[start, end)``, left to right."""
        i = bisect.bisect_right(self.starts, end) - 1
        out = []
        while i >= 0 and i >= len(self.starts) - len(self.rows):
            s, e, ent, kind = self.rows[i]
            if e > start and s < end:
                out.append((s, MentionLink(ent, kind)))
            if s < start - 200:  # mentions are short: nothing further left can overlap
                break
            i -= 1
        return iter(link for _, link in sorted(out, key=lambda x: x[0]))

    def covering(self, tok: Token) -> MentionLink | None:
        """The leftmost mention overlapping token ``tok``."""
        for link in self.at(tok.idx, tok.idx + len(tok)):
            return link
        return None

    def innermost(self, start: int, end: int) -> str | None:
        """The entity id of the shortest mention holding characters ``start..end`` (first in the entities'
        order on ties)."""
        best: tuple[int, int, str] | None = None
        # only mentions that start at most the longest mention's length before ``start`` can hold it
        lo = bisect.bisect_left(self._ordered_starts, start - self._longest)
        for ms, me, k, eid in self._ordered[lo:bisect.bisect_right(self._ordered_starts, start)]:
            if end <= me and (best is None or (me - ms, k) < best[:2]):
                best = (me - ms, k, eid)
        return best[2] if best else None

    def overlapping(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """(start, end) of every mention overlapping ``lo..hi`` (``hi`` excluded), by start."""
        first = bisect.bisect_left(self._ordered_starts, lo - self._longest)
        last = bisect.bisect_left(self._ordered_starts, hi)
        return [(ms, me) for ms, me, _, _ in self._ordered[first:last] if me > lo]

    def starting_in(self, lo: int, hi: int) -> dict[str, list[int]]:
        """Entity id -> the places, among that entity's own mentions and in their order, of its mentions
        that start in ``lo..hi`` (``hi`` excluded)."""
        out: dict[str, list[int]] = {}
        for _, _, k, eid in self._ordered[bisect.bisect_left(self._ordered_starts, lo):
                                          bisect.bisect_left(self._ordered_starts, hi)]:
            out.setdefault(eid, []).append(self._place[k])
        for places in out.values():
            places.sort()
        return out

    def last_person(self, lo: int, hi: int) -> str | None:
        """The entity id of the last PERSON mention starting in ``lo..hi`` (first in order on ties)."""
        j = bisect.bisect_left(self._people_starts, hi)
        if j == 0 or self._people_starts[j - 1] < lo:
            return None
        start = self._people_starts[j - 1]
        first = bisect.bisect_left(self._people_starts, start)
        return min(self._people[first:j], key=lambda r: r[1])[2]


class DocIndex:
    """See the module docstring."""

    __slots__ = ("_entities", "_quotes", "_sentence_spans", "date_order", "nominal_antecedents", "published",
                 "role_p", "sentence_starts", "sentences", "starts", "text", "vectors")

    def __init__(self, doc: Doc) -> None:
        self.text: str = doc.text
        self.starts: list[int] = doc.to_array(IDX).tolist() if len(doc) else []
        self.sentences: list[tuple[int, int]] = _sentence_bounds(doc)
        self.sentence_starts: list[int] = [s for s, _ in self.sentences] or [0]
        self.published: str | None = doc._.ew_published
        self.date_order: str | None = doc._.ew_date_order
        self.vectors: Any = None  # the accurate profile's encoder fills it; the fast profile has none
        # [n_tokens, 3] P(token inside a source / cue / content) from the encoder's role head (accurate only)
        self.role_p: Any = None
        # token of a he/she/him/her -> head token of the person noun it stands for where no name does ("The
        # tram's [driver] was arrested. [He] was released"): the entities layer's pronoun resolver fills it
        self.nominal_antecedents: dict[int, int] = {}
        self._quotes: list[tuple[int, int]] | None = None
        self._sentence_spans: tuple[CharSpan, ...] | None = None
        self._entities: EntityLookup | None = None

    @property
    def quotes(self) -> list[tuple[int, int]]:
        """The article's quotations, ``(start, end)`` with their marks, in text order."""
        if self._quotes is None:
            self._quotes = find_quotes(self.text)
        return self._quotes

    @property
    def sentence_spans(self) -> tuple[CharSpan, ...]:
        """Every sentence as a CharSpan without surrounding white space (spaCy keeps trailing newlines in
        sentences); a white-space-only "sentence" stays as an empty span so that sentence indexes line up."""
        if self._sentence_spans is None:
            text = self.text
            self._sentence_spans = tuple(CharSpan.of(text, *_trim(text, s, e)) for s, e in self.sentences)
        return self._sentence_spans

    def token_at(self, char: int) -> int:
        """The index of the token that holds (or last starts before) character ``char``."""
        return max(0, bisect.bisect_right(self.starts, char) - 1)

    def sentence_of(self, char: int) -> int:
        """The index of the sentence that holds character ``char``."""
        return max(0, bisect.bisect_right(self.sentence_starts, char) - 1)

    def entities(self, doc: Doc) -> EntityLookup:
        """The lookup over ``doc._.ew_entities`` as the entities layer last wrote them."""
        current: Sequence[Entity] = doc._.ew_entities
        if self._entities is None or self._entities.source is not current:
            self._entities = EntityLookup(current)
        return self._entities


# Where spaCy keeps ``doc._.ew_index``: ``doc._`` builds an Underscore object at each access (~2 us), and the
# layers ask for the index ~170 times per 731-word article; the dictionary look-up is ~20x cheaper.
_INDEX_KEY = ("._.", "ew_index", None, None)


def index_of(doc: Doc) -> DocIndex:
    """The Doc's index, built on first use (by whichever layer runs first) and then shared."""
    user_data: dict[Any, Any] = doc.user_data  # spaCy's stub says str keys; extensions use tuples
    found: DocIndex | None = user_data.get(_INDEX_KEY)
    if found is None:
        register_extensions()
        found = DocIndex(doc)
        doc._.ew_index = found
    return found


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc (see the module docstring)."""
    return index_of(doc).text


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Character ``(start, end)`` of every sentence, in ``doc.sents`` order (end includes trailing space)."""
    return index_of(doc).sentences


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    # ``doc.sents`` builds a Span per sentence by walking every token in Python (~2.5 ms for a 750-word
    # article, ~2% of the small pipeline); two array reads do the same in C.
    if len(doc) == 0:
        return []
    if not doc.has_annotation("SENT_START"):
        return [(0, len(doc.text))]
    # A mask reads the starts in C: tolist() of the whole (n, 2) array and a Python loop over it took
    # ~0.75 ms for a 750-word article (13x this).
    arr = doc.to_array([SENT_START, IDX])
    is_start = arr[:, 0] == 1
    is_start[0] = True
    starts = arr[is_start, 1].astype("int64").tolist()
    last = doc[-1]
    ends = [*starts[1:], last.idx + len(last.text_with_ws)]
    return list(zip(starts, ends, strict=True))
