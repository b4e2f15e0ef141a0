"""The times layer: time expressions found and normalised (``doc._.ew_times``).

Importing it registers the ``eventwire_times`` factory.  Stages: ``component`` (candidates from spaCy's
DATE/TIME entities and our patterns, clause tense, the article's date order from the index); ``timex`` (the
normaliser and its vocabulary).
"""

from eventwire.nlp.times.component import TimesComponent, make_times

__all__ = ["TimesComponent", "make_times"]
