"""The numpy decoding of the entity recogniser: spaCy's own entities, token by token, on invented text."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import numpy
import pytest
from spacy.attrs import ENT_IOB, ENT_KB_ID, ENT_TYPE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from eventwire.nlp import fastner, fastops
from eventwire.testing import invented_article, load_script

REPO = Path(__file__).resolve().parents[2]

# names of one to four words, at a sentence's start and end, across line breaks and runs of spaces, money,
# dates, percentages, a name right before a sentence break, a last token that could open an entity
_TEXTS = [
    "The ferry company said on Monday that crossings to Kessling would resume. \"We expect no delays,\" its "
    "director, Ana Velt, told reporters in Varn. Unions called a strike for Friday.",
    "Prime Minister Olan Dresk of Narvia met the Velmar Shipping Corporation in Port Ostrava on 3 March 2024"
    ". He pledged $4.5 million, about 12 percent of the budget.\n\nMinister Teodor Kash\nsaid nothing.",
    "Kessling.  Varn   and   New Ostrava  were shelled on Tuesday night by the Army of the North; the "
    "United Nations said 40 people died.\n\n\nImage: Ana Velt/Reuters",
    "Dr. Mira Solen, of Harlow University, told the BBC that the Kessling Accord of 1998 was dead",
    "Velt",
    "",
    "   ",
]


def _pipeline() -> Language:
    import spacy

    from eventwire.nlp.build import model_name

    nlp = spacy.load(model_name())
    fastops.accelerate(nlp)  # both sides on the same ops: the decoding is the only difference
    return nlp


def _entity_arrays(doc: Doc) -> numpy.ndarray:
    return doc.to_array([ENT_IOB, ENT_TYPE, ENT_KB_ID])


@pytest.fixture(scope="module")
def pipelines() -> tuple[Language, Language]:
    stock, fast = _pipeline(), _pipeline()
    assert fastner.accelerate_ner(fast) is True
    assert isinstance(fast.get_pipe("ner"), fastner.FastEntityRecognizer)
    return stock, fast


@pytest.mark.model
@pytest.mark.parametrize("batch_size", [1, 3, 8, 64])
def test_fast_recogniser_gives_spacys_entities(pipelines: tuple[Language, Language], batch_size: int) -> None:
    stock, fast = pipelines
    texts = _TEXTS + [invented_article(i) for i in range(6)]
    want = list(stock.pipe(texts, batch_size=batch_size))
    got = list(fast.pipe(texts, batch_size=batch_size))
    for w, g in zip(want, got, strict=True):
        assert [(e.start, e.end, e.label_) for e in g.ents] == [(e.start, e.end, e.label_) for e in w.ents]
        assert numpy.array_equal(_entity_arrays(g), _entity_arrays(w))
    ents = [e for doc in want for e in doc.ents]
    # the texts exercise the decoder: many entities, of several kinds, several of more than two words
    assert len(ents) >= 40 and len({e.label_ for e in ents}) >= 6
    assert sum(len(e) >= 3 for e in ents) >= 4


@pytest.mark.model
def test_one_document_at_a_time(pipelines: tuple[Language, Language]) -> None:
    stock, fast = pipelines
    for text in _TEXTS:
        assert numpy.array_equal(_entity_arrays(fast(text)), _entity_arrays(stock(text)))


@pytest.mark.model
def test_preset_entities_are_left_to_spacys_rules(pipelines: tuple[Language, Language]) -> None:
    stock, fast = pipelines

    def run(nlp: Language) -> Doc:
        doc = nlp.make_doc(_TEXTS[1])
        for name, proc in nlp.pipeline:
            if name == "ner":
                break
            doc = proc(doc)
        doc.set_ents([Span(doc, 0, 2, label="EVENT")], default="unmodified")  # "Prime Minister": preset
        return nlp.get_pipe("ner")(doc)

    want, got = run(stock), run(fast)
    assert (got.ents[0].start, got.ents[0].end, got.ents[0].label_) == (0, 2, "EVENT")
    assert numpy.array_equal(_entity_arrays(got), _entity_arrays(want))


@pytest.mark.model
def test_a_failing_decoding_leaves_the_batch_to_spacy(pipelines: tuple[Language, Language],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    stock, fast = pipelines

    def broken(self: fastner.FastEntityRecognizer, subs: list[list[Doc]]) -> Any:
        raise IndexError("a bug")

    monkeypatch.setattr(fastner.FastEntityRecognizer, "_decode", broken)
    for w, g in zip(stock.pipe(_TEXTS[:3]), fast.pipe(_TEXTS[:3]), strict=True):
        assert g.ents and numpy.array_equal(_entity_arrays(g), _entity_arrays(w))


@pytest.mark.model
def test_long_batches_are_decoded_in_groups(pipelines: tuple[Language, Language],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    stock, fast = pipelines
    groups: list[int] = []
    decode = fastner.FastEntityRecognizer._decode

    def counted(self: fastner.FastEntityRecognizer, subs: list[list[Doc]]) -> Any:
        groups.append(sum(len(doc) for sub in subs for doc in sub))
        return decode(self, subs)

    monkeypatch.setattr(fastner.FastEntityRecognizer, "_decode", counted)
    monkeypatch.setattr(fastner, "DECODE_TOKENS", 120)
    texts = [invented_article(i) for i in range(8)]
    for w, g in zip(stock.pipe(texts, batch_size=8), fast.pipe(texts, batch_size=8), strict=True):
        assert numpy.array_equal(_entity_arrays(g), _entity_arrays(w))
    # sub-batches of two ~150-token articles: each its own group, as no two fit in 120 tokens
    assert len(groups) == 4


@pytest.mark.model
def test_the_wrapper_is_the_recogniser_for_everything_else(pipelines: tuple[Language, Language]) -> None:
    stock, fast = pipelines
    assert fast.get_pipe("ner").labels == stock.get_pipe("ner").labels
    assert fast.pipe_names == stock.pipe_names
    # a copy (as pickling makes one) looks its attributes up without recursing into itself
    twin = copy.copy(fast.get_pipe("ner"))
    assert twin.labels == stock.get_pipe("ner").labels


def test_a_pipeline_without_a_recogniser_is_unchanged() -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    assert fastner.accelerate_ner(nlp) is False
    assert nlp.pipe_names == ["sentencizer"]


@pytest.mark.model
def test_analyzer_setup_decodes_entities_in_numpy() -> None:
    from eventwire.nlp.analyzer import Analyzer

    nlp = Analyzer().setup()
    assert isinstance(nlp.get_pipe("ner"), fastner.FastEntityRecognizer)


@pytest.mark.model
def test_fast_recogniser_gives_spacys_entities_on_bench_articles(
        pipelines: tuple[Language, Language]) -> None:
    """64 of the benchmark's 750-word invented articles: long organisation names, names split by the
    parser's sentence breaks (the decoder's every feature and rule changes some entity here)."""
    stock, fast = pipelines
    corpus = load_script(REPO / "bench" / "corpus.py", "fastner_bench_corpus")
    texts = [a["text"] for a in corpus.generate(64, seed=0)]
    want = list(stock.pipe(texts, batch_size=32))
    got = list(fast.pipe(texts, batch_size=32))
    for w, g in zip(want, got, strict=True):
        assert numpy.array_equal(_entity_arrays(g), _entity_arrays(w))


@pytest.mark.model
def test_valid_moves_are_spacys(pipelines: tuple[Language, Language]) -> None:
    """At every step of random walks through hand-made documents (spaces, line breaks, sentence starts
    set, unset and unknown, one-word documents), the moves ``_valid`` allows are those spaCy's BILUO
    system allows."""
    from spacy.pipeline._parser_internals.stateclass import StateClass

    stock, _ = pipelines
    ner = stock.get_pipe("ner")
    names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
    moves = fastner._Moves(names)
    words = ["Ana", " ", "Velt", "met", "\n\n", "Olan", "Dresk", "in", "Port", "Ostrava", ".", "Kessling",
             "  ", "Velmar", "said", "."]
    starts: list[bool | None] = [True, False, False, None, False, True, False, None, False, True, False, True,
                                  False, True, None, False]
    docs = [Doc(stock.vocab, words=words, sent_starts=starts), Doc(stock.vocab, words=["Velt"]),
            Doc(stock.vocab, words=["Port", " "], sent_starts=[True, True])]
    rng = random.Random(5)
    checked = 0
    for doc in docs:
        sent = doc.to_array([SENT_START]).astype(numpy.int64).reshape(-1)
        for _walk in range(40):
            state = StateClass(doc)
            opened, label = False, 0
            while not state.is_final():
                b = state.B(0)
                row = fastner._valid(moves, numpy.array([opened]), numpy.array([label]),
                                     numpy.array([b == len(doc) - 1]),
                                     numpy.array([b + 1 < len(doc) and sent[b + 1] == 1]),
                                     numpy.array([doc[b].is_space]))[0]
                want = [bool(ner.moves.is_valid(state, name)) for name in names]
                assert row.tolist() == want, (doc.text, b, opened)
                checked += 1
                allowed = [i for i, ok in enumerate(want) if ok]
                # open entities often, so the inside and last moves are tested too
                opening = [i for i in allowed if names[i][0] in "BI"]
                i = rng.choice(opening if opening and rng.random() < 0.7 else allowed)
                ner.moves.apply_transition(state, names[i])
                kind = names[i][0]
                opened = kind == "B" or (opened and kind == "I")
                label = int(moves.label[i]) if kind == "B" else label
    assert checked > 500
