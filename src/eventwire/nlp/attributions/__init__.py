"""The attributions layer: who said (or believed) what, according to whom, how surely
(``doc._.ew_attributions``).

Importing it registers the ``eventwire_attributions`` factory; ``component`` lists its stages in order.  The
trained role tagger that runs before it (``eventwire_attribution_roles``) ships with its weights in
``nlp/attributions/tagger``.
"""

from eventwire.nlp.attributions.component import AttributionFinder, find_attributions, make_attribution_finder

__all__ = ["AttributionFinder", "find_attributions", "make_attribution_finder"]
