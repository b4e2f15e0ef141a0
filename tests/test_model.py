"""model.py helpers outside the event objects (those are in test_model_events.py)."""

from __future__ import annotations

from eventwire.model import content_hash


def test_content_hash_folds_white_space() -> None:
    assert content_hash("The council  met.\n") == content_hash("The council met.")
    assert content_hash("The council met.") != content_hash("The council met!")


def test_content_hash_never_raises_on_lone_surrogates() -> None:
    # A hand-built Article may hold one (readers replace them): it once killed a whole ingest run.
    text = "The minister said \ud800 talks resume."
    assert len(content_hash(text)) == 64
    assert content_hash(text) != content_hash(text.replace("\ud800", "\udc00"))
