"""The entities layer: spaCy's entity spans grouped into canonical entities (``doc._.ew_entities``).

Importing it registers the ``eventwire_entities`` factory.  Stages: ``component`` (mentions, grouping,
repeats, role nominals, pronouns); ``pronouns`` (the one pronoun resolver, shared with attributions and
events); ``gazetteer`` (countries, demonyms, titles, pronoun and given-name tables).
"""

from eventwire.nlp.entities.component import EntityResolver, make_entity_resolver

__all__ = ["EntityResolver", "make_entity_resolver"]
