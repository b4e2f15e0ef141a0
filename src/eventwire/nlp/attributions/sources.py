"""Sources resolved to entities: the entity whose mention covers the source's head word (pronouns and role
nominals included, through the entities layer), else a pronoun to a person named before it; unnamed
sources ("officials", "a source close to") are marked anonymous.
"""

from __future__ import annotations

from eventwire.nlp.attributions.state import ArticleState, Draft
from eventwire.nlp.entities import pronouns

__all__ = ["anonymous", "entity_of"]

_PRONOUNS = frozenset({"he", "she", "they", "him", "her", "them", "i", "we", "you", "it"})


def entity_of(st: ArticleState, a: Draft) -> str | None:
    """The entity id the source of ``a`` refers to, or None."""
    if a.source is None or a.source_head is None:
        return None
    head = st.toks[a.source_head]
    hs, he = head.idx, st.end(head.i)
    best = st.mentions.innermost(hs, he)
    if best is not None:
        return best
    if head.text[:1].isupper() and head.lower_ not in _PRONOUNS:
        # a bare surname the entities component left untagged: the one person whose name ends with it
        people = {e.id for e in st.entities
                  if e.type == "PERSON" and e.name.split()[-1:] == [head.text]}
        if len(people) == 1:
            return people.pop()
    if head.lower_ in pronouns.PERSONAL:
        # the resolver left it unlinked (its mention would have covered the head): the last person named
        limit = st.sent_starts[max(0, st.sent(hs) - st.config.pronoun_window)]
        return pronouns.nearest_person(st.mentions, hs, limit)
    return None


def anonymous(st: ArticleState, a: Draft, entity: str | None) -> bool:
    """Whether the source of ``a`` is unnamed ("officials", "a source close to")."""
    if a.source is None or a.source_head is None or entity is not None:
        return False
    head = st.toks[a.source_head]
    if head.lower_ not in st.markers.anonymous_heads:
        return False
    words = " ".join(st.text[a.source[0]:a.source[1]].lower().split())
    if any(p in words for p in st.markers.anonymous_phrases):
        return True
    det = next((c.lower_ for c in head.children if c.dep_ == "det"), None)
    return det != "the"  # "sources", "an official": unnamed; "the source" may be named before
