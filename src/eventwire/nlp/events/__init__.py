"""The events layer: PLOVER-typed events with actor, target, date, place and factuality (``doc._.ew_events``).

Importing it registers the ``eventwire_events`` factory; ``component.STAGES`` lists its stages in order.
"""

from eventwire.nlp.events.component import EventFinder, make_event_finder

__all__ = ["EventFinder", "make_event_finder"]
