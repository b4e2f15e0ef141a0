"""Bytes to text: a BOM, then a declared charset, then UTF-8, then Western single-byte, then a guess.

Short Western European texts in latin-1 or cp1252 are where general detectors go wrong: charset-normalizer
reads "café" in latin-1 as cp1250 ("trčs" for "très") because on 30 bytes every single-byte code page is
equally coherent.  So before asking it we try cp1252 (a superset of latin-1's printable range, and what
WHATWG says a page declaring iso-8859-1 really means) and keep it when every non-ASCII character comes out
as a letter or common typography and most letters are ASCII, as in every Western language; Cyrillic or
Polish text read as cp1252 breaks one of those and falls through to the detector.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from eventwire.errors import InputError

__all__ = ["declared_charset", "decode_bytes", "looks_binary"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# HTML's prescan looks at the first 1024 bytes; pages with long <head> comments put it later, so 4096.
_PRESCAN = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})["']""", re.I)

# Non-letters a Western text in cp1252 may hold; deliberately without ¹ ³ ¿-like look-alikes that cp1250
# letters (ą ł) turn into, so Central European text is not taken for cp1252.
_TYPOGRAPHY = set("“”‘’‚„–—…€•«»°§©®™£×·¡\u00a0½¼¾±¢¥¶†‡‹›")
# A Western text has at most ~10% non-ASCII letters (Portuguese, Icelandic ~6-8%); 30% leaves room.
_MAX_NON_ASCII_LETTERS = 0.30
# Above 2% control characters (not tab/newline) the input is not prose in any encoding.
_MAX_CONTROL = 0.02
_SAMPLE = 100_000
# UTF-16 without a byte-order mark: text whose characters are letters, digits, punctuation, symbols or
# white space.  Prose scores 100%; 4 kB of random bytes that decode at all ~45% (unassigned and private-use
# code points); 99% leaves room for a stray control character or two per hundred.
_UTF16_PROSE = 0.99
# Random bytes read as UTF-16 land on a letter (CJK, Hangul, Yi ...) ~75% of the time: 20 characters of
# them passed as prose once in ~200 tries; 64 letters make that ~1e-8.  An article has hundreds.
_UTF16_MIN_LETTERS = 64


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML ``<meta>`` or an XML declaration near the start of ``data`` names, if any."""
    head = data[:_PRESCAN]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return _codec(m.group(1).decode("ascii")) if m else None


def _codec(name: str) -> str | None:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # WHATWG encoding standard: labels for latin-1 and ASCII mean windows-1252 on the web.
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def looks_binary(text: str) -> bool:
    """True when more than 2% of the (first 100k) characters are control characters or U+FFFD."""
    sample = text[:_SAMPLE]
    if not sample:
        return False
    bad = sum(1 for ch in sample
              if ch == "\ufffd" or (ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc"))
    return bad > _MAX_CONTROL * len(sample)


def _western(data: bytes) -> str | None:
    text = data.decode("cp1252", errors="replace")  # 0x81 0x8D 0x8F 0x90 0x9D are unassigned → U+FFFD
    ascii_letters = other_letters = 0
    for ch in text[:_SAMPLE]:
        if ch < "\x80":
            ascii_letters += ch.isalpha()
        elif ch.isalpha():
            other_letters += 1
        elif ch not in _TYPOGRAPHY:
            return None
    letters = ascii_letters + other_letters
    if letters and other_letters <= _MAX_NON_ASCII_LETTERS * letters:
        return text
    return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """``(text, "utf-16-le" | "utf-16-be")`` when ``data`` with NULs in it reads as UTF-16 prose.

    Text written as UTF-16 has a NUL as the high byte of every ASCII character (space, newline, digits)
    and decodes to letters, digits, punctuation and spaces.  Binary data decoded as UTF-16 does not: random
    bytes hold unpaired surrogates (strict decoding fails) and unassigned code points, and arrays of small
    numbers come out as control characters.  When both byte orders read as prose (CJK text, whose
    characters are letters either way), the one putting the NULs in high bytes wins.
    """
    if len(data) % 2:
        return None
    sample = data[:2 * _SAMPLE]
    high_nuls = {"utf-16-le": sample[1::2].count(0), "utf-16-be": sample[0::2].count(0)}
    best: tuple[float, int, str, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        head = text[:_SAMPLE]
        prose = sum(1 for ch in head if unicodedata.category(ch)[0] in "LNPZS" or ch in "\t\n\r")
        if sum(ch.isalpha() for ch in head) < _UTF16_MIN_LETTERS or prose < _UTF16_PROSE * len(head):
            continue
        candidate = (prose / len(head), high_nuls[codec], codec, text)
        best = candidate if best is None or candidate[:2] > best[:2] else best
    return (best[3], best[2]) if best else None


def _by_line(data: bytes) -> tuple[str, str] | None:
    """``(text, "utf-8+CODEC by line")`` for a file whose lines are partly UTF-8 and partly a legacy code
    page (two files of different encodings concatenated), else None.

    Read whole as one code page, its UTF-8 lines would come out as mojibake ("Ã©" for "é") without a
    word; read line by line each line is right, and the encoding name says the file is mixed.
    """
    lines = data.splitlines(keepends=True)
    utf8: list[str | None] = []
    for line in lines:
        try:
            utf8.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            utf8.append(None)
    # Mixed only when some non-ASCII line is valid UTF-8: multi-byte sequences do not occur by chance.
    if not any(text is not None and not text.isascii() for text in utf8):
        return None
    legacy_bytes = b"".join(line for line, text in zip(lines, utf8, strict=True) if text is None)
    legacy = _western(legacy_bytes)
    codec = "cp1252"
    if legacy is None:
        best = from_bytes(legacy_bytes[:_SAMPLE * 4]).best()
        if best is None:
            return None
        codec = best.encoding
    parts = [text if text is not None else line.decode(codec, errors="replace")
             for line, text in zip(lines, utf8, strict=True)]
    return _checked("".join(parts)), f"utf-8+{codec} by line"


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` for ``data``; raises InputError("binary") for bytes that are not text.

    ``declared`` is a charset from outside (an HTTP header); else the data's own declaration is used.
    A declaration the bytes contradict is ignored, and so is one of a legacy charset for valid UTF-8.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as e:
                raise InputError("binary", f"has a {codec} byte-order mark but does not decode") from e
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise InputError("binary", "contains NUL bytes")
        return _checked(utf16[0]), utf16[1]
    candidates = [c for c in (_codec(declared) if declared else None, declared_charset(data)) if c]
    if not data.isascii():
        # Multi-byte UTF-8 sequences do not occur by chance in legacy encodings, while pages declaring
        # iso-8859-1 and serving UTF-8 are common: bytes that are valid UTF-8 are UTF-8.
        candidates.insert(0, "utf-8")
    for codec in [*candidates, "utf-8"]:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        return _checked(text), codec
    if (mixed := _by_line(data)) is not None:
        return mixed
    text_or_none = _western(data)
    if text_or_none is not None:
        return _checked(text_or_none), "cp1252"
    best = from_bytes(data[:_SAMPLE * 4]).best()
    if best is None:
        raise InputError("binary", "no text encoding fits these bytes")
    try:
        return _checked(data.decode(best.encoding, errors="replace")), best.encoding
    except LookupError as e:  # pragma: no cover - charset-normalizer only names codecs Python has
        raise InputError("binary", f"unknown encoding {best.encoding}") from e


def _checked(text: str) -> str:
    if looks_binary(text):
        raise InputError("binary", "mostly control characters")
    return text
