"""Which language an article is in: py3langid (offline, ~1 ms per article) on its first 2000 characters.

Chinese, Japanese and Korean are told apart by script first.  py3langid splits Chinese between zh, wuu and
yue (a news paragraph: zh 0.54-0.72), so Chinese never reached the 0.90 bar, got no language, and was then
analysed as English.  Script is decisive for these three: Hangul is Korean, kana is Japanese, Han without
kana is Chinese.

Readers only label; they never skip an article for its language.  The pipeline decides what to analyse.
"""

from __future__ import annotations

import re
import threading
from typing import Any

__all__ = ["CONFIDENT", "detect_language"]

# 2000 characters is ~300 words: py3langid's probability is > 0.99 long before that on news prose, and
# reading further only costs time on 100k-character dumps.
_PREFIX = 2000
# Below ~20 letters ("ok", "12/01/2025") the model answers at random with probability ~0.01-0.1.
_MIN_LETTERS = 20
# Normalised probability above which a reader sets ArticleInput.language; on one-paragraph news texts
# the right language scores > 0.95 and confusions (es/gl, no/da) 0.5-0.8.
CONFIDENT = 0.90

# A text is taken for CJK when at least half its letters are Han, kana or Hangul; its probability is that
# share (a Chinese article quoting an English name scores ~0.9).
_CJK_SHARE = 0.5
# Japanese prose is ~30-40% kana; Chinese has none.  5% of the CJK letters tells them apart with room for a
# Chinese text quoting a Japanese name.  Korean mixes in a few Han characters at most: 30% Hangul is Korean.
_KANA_SHARE = 0.05
_HANGUL_SHARE = 0.30
# One CJK character carries about as much as a short word: 8 of them are a short sentence.
_MIN_CJK_LETTERS = 8
_HANGUL = ((0xAC00, 0xD7A3), (0x1100, 0x11FF), (0x3130, 0x318F))
_KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F))
_HAN = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))

# a text with no Han, kana or Hangul character at all (most news) is not CJK: one regex search instead of a
# Python loop over its characters
_ANY_CJK = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in (*_HANGUL, *_KANA, *_HAN)) + "]")

_lock = threading.Lock()
_identifier: Any = None


def _model() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)  # ~0.7 s, once
        return _identifier


def _in(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= code <= hi for lo, hi in ranges)


def _cjk(sample: str) -> tuple[str | None, float] | None:
    """``(zh | ja | ko, share of CJK letters)`` when ``sample`` is mostly CJK script, else None."""
    if _ANY_CJK.search(sample) is None:
        return None
    letters = han = kana = hangul = 0
    for ch in sample:
        if not ch.isalpha():
            continue
        letters += 1
        code = ord(ch)
        if code < 0x1100:
            continue
        if _in(code, _HAN):
            han += 1
        elif _in(code, _KANA):
            kana += 1
        elif _in(code, _HANGUL):
            hangul += 1
    cjk = han + kana + hangul
    if not cjk or cjk < _CJK_SHARE * letters:
        return None
    if cjk < _MIN_CJK_LETTERS:
        return None, 0.0
    language = ("ko" if hangul >= _HANGUL_SHARE * cjk else "ja" if kana >= _KANA_SHARE * cjk else "zh")
    return language, cjk / letters


def _has_letters(sample: str, wanted: int) -> bool:
    """Whether ``sample`` holds at least ``wanted`` letters (stops counting there)."""
    for ch in sample:
        if ch.isalpha():
            wanted -= 1
            if wanted <= 0:
                return True
    return wanted <= 0


def detect_language(text: str) -> tuple[str | None, float]:
    """``(ISO 639-1 code, probability 0..1)`` of ``text``; ``(None, 0.0)`` when it has too few letters."""
    sample = text[:_PREFIX]
    if (by_script := _cjk(sample)) is not None:
        return by_script
    if not _has_letters(sample, _MIN_LETTERS):
        return None, 0.0
    language, probability = _model().classify(sample)
    return str(language), float(probability)
