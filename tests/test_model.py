"""model.py helpers outside the event objects (those are in test_model_events.py)."""

from __future__ import annotations

from eventwire.model import CharSpan, Entity, Mention, MentionKind, content_hash


def test_content_hash_folds_white_space() -> None:
    assert content_hash("The council  met.\n") == content_hash("The council met.")
    assert content_hash("The council met.") != content_hash("The council met!")


def test_content_hash_never_raises_on_lone_surrogates() -> None:
    # A hand-built Article may hold one (readers replace them): it once killed a whole ingest run.
    text = "The minister said \ud800 talks resume."
    assert len(content_hash(text)) == 64
    assert content_hash(text) != content_hash(text.replace("\ud800", "\udc00"))


def test_an_entitys_interchange_mentions_are_where_it_is_named() -> None:
    # FORMAT.md's `mentions` are read as a named-entity tagger's output: "he" is a reference, not a name
    text = "Dara Quell landed in Varn. He met the mayor."
    he = text.index("He")
    entity = Entity(id="E1", type="PERSON", name="Dara Quell", mentions=(
        Mention(span=CharSpan.of(text, 0, 10)),
        Mention(span=CharSpan.of(text, he, he + 2), kind=MentionKind.PRONOUN, sentence=1)))
    d = entity.to_dict()
    assert d["mentions"] == [[0, 10]]
    assert [m["kind"] for m in d["mention_details"]] == ["name", "pronoun"]
