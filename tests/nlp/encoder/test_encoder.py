"""The accurate profile's shared encoder: windows, token vectors, the profile switch, the role head."""

from __future__ import annotations

import numpy
import pytest

from eventwire.errors import ModelError
from eventwire.nlp import encoder
from eventwire.nlp.attributions.tagger.encoded import EncodedRoles, role_probabilities, role_tags

ARTICLE = (
    "The bridge over the Varn river reopened on Monday after three weeks of repairs. "
    "\"We're gonna be fine,\" said Mira Tolk, who runs a bakery on the east bank.\n\n"
    "According to the city council, the last inspection found no cracks in the U.S.-made steel. "
    "Trucks heavier than 20 tonnes still need a permit, officials said."
)

needs_weights = pytest.mark.skipif(not encoder.weights_present(),
                                   reason="no encoder weights in nlp/encoder/ (make train-accurate)")


def test_windows_pack_whole_sentences_and_cut_only_a_sentence_longer_than_one() -> None:
    # sentences of 3, 4, 2 and 7 pieces, windows of at most 8
    sent = numpy.repeat(numpy.arange(4), [3, 4, 2, 7])
    assert encoder.windows(sent, 8) == [(0, 7), (7, 9), (9, 16)]
    # a 7-piece sentence in windows of 3: cut in pieces of 3
    assert encoder.windows(numpy.zeros(7, dtype=int), 3) == [(0, 3), (3, 6), (6, 7)]
    # the sentence before a long one is closed first
    sent = numpy.repeat(numpy.arange(2), [2, 5])
    assert encoder.windows(sent, 4) == [(0, 2), (2, 6), (6, 7)]
    assert encoder.windows(numpy.zeros(0, dtype=int), 4) == []


def test_token_vectors_are_the_mean_of_their_pieces() -> None:
    # text "unbelievable gonna  x": tokens "unbelievable"(0-12) "gon"(13-16) "na"(16-18) " "(18-19) "x"(20-21)
    pieces = numpy.array([[1.0, 0.0], [3.0, 2.0], [5.0, 5.0], [7.0, 1.0]], dtype=numpy.float32)
    p_start = numpy.array([0, 4, 13, 20])  # "unbe" "##lievable" "gonna" "x"
    p_end = numpy.array([4, 12, 18, 21])
    t_start = numpy.array([0, 13, 16, 18, 20])
    t_end = numpy.array([12, 16, 18, 19, 21])
    vecs = encoder.token_vectors(pieces, p_start, p_end, t_start, t_end)
    assert vecs.tolist() == [[2.0, 1.0], [5.0, 5.0], [5.0, 5.0], [0.0, 0.0], [7.0, 1.0]]


def test_a_b_glued_to_the_span_before_continues_it() -> None:
    # a width-1 head: source logits (O, B, I) = (0.5, v, 0); the other roles' are all zero (O wins ties)
    w = numpy.zeros((1, 9), dtype=numpy.float32)
    b = numpy.zeros(9, dtype=numpy.float32)
    w[0, 1] = 1.0  # source B grows with the vector
    b[0] = 0.5  # source O otherwise
    vectors = numpy.array([[0.0], [1.0], [1.0], [1.0]], dtype=numpy.float32)
    joined = numpy.array([False, False, True, False])
    tags = role_tags(vectors, (w, b), joined)
    # token 2 is glued to token 1 ("gon" "na"): I; token 3 has a space before it: a new span (B)
    assert tags[:, 0].tolist() == [0, 1, 2, 1]


def test_role_probabilities_are_the_chance_of_not_o_per_role() -> None:
    # a width-1 head whose source B logit grows with the vector; cue and content logits all zero
    w = numpy.zeros((1, 9), dtype=numpy.float32)
    w[0, 1] = 1.0
    vectors = numpy.array([[-20.0], [0.0], [20.0]], dtype=numpy.float32)
    p = role_probabilities(vectors, (w, numpy.zeros(9, dtype=numpy.float32)))
    assert p.shape == (3, 3) and p.dtype == numpy.float32
    assert p[0, 0] == pytest.approx(0.5, abs=1e-3)  # O and I tie, B ~ 0
    assert p[1, 0] == pytest.approx(2 / 3, abs=1e-3)  # three equal logits
    assert p[2, 0] == pytest.approx(1.0, abs=1e-3)
    assert numpy.allclose(p[:, 1:], 2 / 3, atol=1e-3)


def test_the_head_writes_only_the_groups_it_is_given_and_its_probabilities() -> None:
    import spacy

    from eventwire.nlp.docindex import index_of

    nlp = spacy.blank("en")
    doc = nlp("Ruiz said it rained")
    w = numpy.zeros((1, 9), dtype=numpy.float32)
    w[0, 4] = 1.0  # cue B grows with the vector
    index_of(doc).vectors = numpy.array([[0.0], [5.0], [0.0], [0.0]], dtype=numpy.float32)
    doc.spans["attr_cue"] = [doc[0:1]]  # what the BiLSTM tagger wrote
    EncodedRoles("roles", (w, numpy.zeros(9, dtype=numpy.float32)), 6, 1.0, ("content",))(doc)
    assert [sp.text for sp in doc.spans["attr_cue"]] == ["Ruiz"]  # not the head's "said": kept
    assert list(doc.spans["attr_content"]) == []
    role_p = index_of(doc).role_p
    assert role_p.shape == (4, 3) and role_p[1, 1] > 0.9 > role_p[0, 1]
    with pytest.raises(ModelError):
        EncodedRoles("roles", (w, w[0]), 6, 1.0, ("speaker",))


@pytest.mark.model
def test_fast_profile_has_no_encoder_and_accurate_adds_it_before_the_layers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from eventwire.nlp.build import ACCURATE, COMPONENTS, load_pipeline

    fast = load_pipeline(components=False)
    assert "eventwire_encoder" not in fast.pipe_names
    assert "eventwire_encoder" not in [name for name, _ in COMPONENTS]
    names = [name for name, _ in ACCURATE]
    # the BiLSTM tagger gives cue and source spans, the encoder's head content spans over them
    assert names[:2] == ["eventwire_prompts", "eventwire_encoder"]  # prompts: before spaCy's parser
    assert names.index("eventwire_attribution_roles") < names.index("eventwire_encoder_roles")
    if encoder.weights_present():
        monkeypatch.setenv("EVENTWIRE_PROFILE", "accurate")
        nlp = load_pipeline()
        pipes = nlp.pipe_names
        assert pipes.index("ner") < pipes.index("eventwire_encoder") < pipes.index("eventwire_entities")
        assert pipes.index("eventwire_attribution_roles") < pipes.index("eventwire_encoder_roles")


@needs_weights
@pytest.mark.model
def test_encoder_fills_one_vector_per_token_and_the_pipeline_passes_spacys_analysis() -> None:
    from eventwire.nlp.build import load_pipeline
    from eventwire.nlp.docindex import index_of

    nlp = load_pipeline(profile="accurate")
    analysis = nlp.analyze_pipes()
    assert analysis["problems"] == {name: [] for name in nlp.pipe_names}
    doc = nlp(ARTICLE)
    vectors = index_of(doc).vectors
    model = encoder.load_encoder()
    assert vectors.shape == (len(doc), model.width) and vectors.dtype == numpy.float32
    # every token but whitespace has a vector; "\n\n" has none
    for tok in doc:
        assert bool(numpy.abs(vectors[tok.i]).sum() > 0) == (not tok.is_space), tok.text
    # aligned: a token's vector is the mean of the pieces that start in it ("Varn" is split into pieces)
    pieces, p_start, _ = encoder.encode(model, doc.text, index_of(doc).sentence_starts)
    varn = next(t for t in doc if t.text == "Varn")
    mine = (p_start >= varn.idx) & (p_start < varn.idx + len(varn))
    assert mine.sum() >= 1
    assert numpy.allclose(vectors[varn.i], pieces[mine].mean(axis=0), atol=1e-5)
    # the tagger and the role head wrote their span groups, the head its probabilities, and the layers ran
    assert {"attr_cue", "attr_source", "attr_content"} <= set(doc.spans)
    assert index_of(doc).role_p.shape == (len(doc), 3)
    assert doc._.ew_attributions


@needs_weights
def test_every_piece_is_encoded_whatever_the_window() -> None:
    """Every piece gets a vector whatever the window size: short windows cut a long sentence, never drop
    its pieces; with windows large enough for the article, packing changes nothing."""
    model = encoder.load_encoder()
    starts = [0, ARTICLE.index("\"We're"), ARTICLE.index("According"), ARTICLE.index("Trucks")]
    one, s1, _ = encoder.encode(model, ARTICLE, starts, window=256)
    many, s2, _ = encoder.encode(model, ARTICLE, starts, window=24)
    assert one.shape == many.shape and (s1 == s2).all()
    assert (numpy.abs(one).sum(axis=1) > 0).all() and (numpy.abs(many).sum(axis=1) > 0).all()
    again, _, _ = encoder.encode(model, ARTICLE, starts, window=512)
    assert numpy.allclose(one, again, atol=1e-4)
