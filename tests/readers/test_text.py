"""Plain-text files: decoding, debris cleaning, title and language."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from eventwire.model import ArticleInput, Skip
from eventwire.readers import read_bytes, read_paths

DATA = Path(__file__).parent / "data"


def _one(items: object) -> ArticleInput | Skip:
    out = list(items)  # type: ignore[call-overload]
    assert len(out) == 1
    item: ArticleInput | Skip = out[0]
    return item


def test_copy_paste_file() -> None:
    item = _one(read_paths([DATA / "copy-paste.txt"]))
    assert isinstance(item, ArticleInput)
    assert item.source.endswith("copy-paste.txt")
    assert item.published == "2024-06-02T21:10"  # no evidence either way: month-first (English default)
    assert item.updated == "2024-06-02T23:05"
    assert item.captions == ("Firefighters spray water on the burning warehouse roof as night falls.",)
    assert item.metadata["credits"] == ["Photo: Nils Berg/AP"]
    assert item.metadata["signoff"] == "nb/dpa"
    assert item.metadata["published_tz"] == "unknown"
    assert item.metadata["date_order"] == "MDY"
    assert item.text.startswith("A fire destroyed a warehouse in the port of Kessel on Sunday.")
    assert item.text.endswith("Police have opened an investigation.")
    assert "Photo:" not in item.text and "Nils Berg" not in item.text and "06/02/2024" not in item.text
    assert item.language == "en"


def test_headline_first_line_becomes_title_and_stays_in_body() -> None:
    data = b"Harbour bridge reopens\n\nThe old harbour bridge in Portwell reopened on Thursday, they said."
    item = _one(read_bytes(data, name="a.txt"))
    assert isinstance(item, ArticleInput)
    assert item.title == "Harbour bridge reopens"
    assert item.text == data.decode()


@pytest.mark.parametrize(("text", "codec"), [
    ("Le café de la gare est fermé depuis lundi, a déclaré le maire. Les élèves sont déçus.", "latin-1"),
    ("The café owner said \u201cwe will reopen\u201d \u2013 but not before May.", "cp1252"),
    ("Der Bürgermeister sagte, die Brücke über die Aare werde im März für den Verkehr gesperrt.", "latin-1"),
])
def test_single_byte_text_without_declared_charset(text: str, codec: str) -> None:
    data = text.encode(codec)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test is meaningful only if UTF-8 fails
    item = _one(read_bytes(data, name="x.txt"))
    assert isinstance(item, ArticleInput)
    assert item.text == text


def test_utf16_with_bom_and_utf8_bom() -> None:
    text = "Die Stadt Zürich baut eine neue Brücke über die Limmat."
    for data in (codecs.BOM_UTF16_LE + text.encode("utf-16-le"), codecs.BOM_UTF8 + text.encode()):
        item = _one(read_bytes(data, name="x.txt"))
        assert isinstance(item, ArticleInput)
        assert item.text == text


def test_cyrillic_single_byte_is_not_taken_for_western() -> None:
    text = "Городской совет утвердил новый бюджет на следующий год после долгих обсуждений."
    item = _one(read_bytes(text.encode("cp1251"), name="x.txt"))
    assert isinstance(item, ArticleInput)
    assert item.text == text
    assert item.language == "ru"


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"  \n\t \r\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (bytes(range(1, 32)) * 50, "binary"),
])
def test_empty_and_binary(data: bytes, reason: str) -> None:
    item = _one(read_bytes(data, name="x.txt"))
    assert isinstance(item, Skip)
    assert item.reason == reason
    assert item.source == "x.txt"


@pytest.mark.parametrize("text", [
    "Der Minister sagte am Montag, die Gespräche über die Grenze würden wieder aufgenommen.",
    "Министр иностранных дел заявил в понедельник, что переговоры о границе возобновятся.",
    # NULs only from the newlines and from 一 (U+4E00): both byte orders read as CJK letters.
    "外交部长周一表示，两国将于下月恢复边境贸易谈判。\n双方代表已在北京举行了初步会谈，一致同意成立联合工作组。\n"
    "发言人说，会谈将于下周在日内瓦继续举行，双方希望在年底前达成协议。",
])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected(text: str, codec: str) -> None:
    item = _one(read_bytes(text.encode(codec), name="x.txt"))
    assert isinstance(item, ArticleInput), item
    assert item.text == text
    assert item.metadata["encoding"] == codec


def test_binary_with_nuls_on_both_sides_is_still_binary() -> None:
    item = _one(read_bytes(bytes(range(256)) * 20, name="x.txt"))
    assert isinstance(item, Skip) and item.reason == "binary"


def test_mixed_utf8_and_cp1252_lines_are_decoded_per_line() -> None:
    # Two files concatenated: read whole as cp1252 the UTF-8 lines came out as "ZÃ¼rich", without a word.
    data = ("Die Gespräche in Zürich beginnen am Montag, sagte der Sprecher.\n".encode()
            + "Les négociations reprendront à Genève la semaine prochaine.\n".encode("cp1252"))
    item = _one(read_bytes(data, name="x.txt"))
    assert isinstance(item, ArticleInput)
    assert "Zürich" in item.text and "Genève" in item.text
    assert item.metadata["encoding"] == "utf-8+cp1252 by line"
