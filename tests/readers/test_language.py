"""Language labels: detected, never a reason to skip."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from eventwire.model import ArticleInput
from eventwire.readers import detect_language, read_bytes


def test_detect_language() -> None:
    assert detect_language("The council approved the new budget on Monday after a long debate.")[0] == "en"
    language, probability = detect_language("Le conseil municipal a approuvé lundi le nouveau budget.")
    assert language == "fr" and probability > 0.9
    assert detect_language("ok") == (None, 0.0)
    assert detect_language("12/01/2025, 06:15") == (None, 0.0)


def test_non_english_article_is_read_and_labelled() -> None:
    text = ("El ayuntamiento aprobó el lunes el nuevo presupuesto para el próximo año tras un largo debate, "
            "según informaron las autoridades locales.")
    [item] = list(read_bytes(text.encode(), name="noticia.txt"))
    assert isinstance(item, ArticleInput)
    assert item.language == "es"
    assert item.metadata["language_confidence"] > 0.9
    assert item.text == text


def test_chinese_japanese_and_korean_by_script() -> None:
    # py3langid split Chinese between zh, wuu and yue (zh 0.54-0.72): below 0.90 it got no language and
    # was analysed as English.
    chinese = "外交部长周一表示，两国将于下月恢复边境贸易谈判。双方代表已在北京举行了初步会谈。"
    assert detect_language(chinese) == ("zh", 1.0)
    assert detect_language("外交部長週一表示，兩國將於下月恢復邊境貿易談判。")[0] == "zh"
    assert detect_language("外務大臣は月曜日、両国が来月国境貿易交渉を再開すると述べた。")[0] == "ja"
    korean = "외무장관은 월요일 양국이 다음 달 국경 무역 협상을 재개할 것이라고 말했다."
    assert detect_language(korean)[0] == "ko"
    assert detect_language("北京") == (None, 0.0)  # too short to say
    [item] = list(read_bytes((chinese + "\n" + chinese[:20]).encode(), name="news.txt"))
    assert isinstance(item, ArticleInput)
    assert item.language == "zh"


def test_english_quoting_a_chinese_name_stays_english() -> None:
    text = "The foreign minister, 王毅, said on Monday that talks on the border would resume next month."
    assert detect_language(text)[0] == "en"


def _script_counts(sample: str) -> tuple[int, int, int, int]:
    """(letters, han, kana, hangul) counted a character at a time: the reference the fast path must match."""
    from eventwire.readers.language import _HAN, _HANGUL, _KANA

    def inside(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
        return any(lo <= code <= hi for lo, hi in ranges)

    letters = [ch for ch in sample if ch.isalpha()]
    return (len(letters), sum(inside(ord(c), _HAN) for c in letters),
            sum(inside(ord(c), _KANA) for c in letters), sum(inside(ord(c), _HANGUL) for c in letters))


_MIXED = "ab é’—1 .,中文日本語かなカナ한국어\u3131\u1100\uff70\U00020001"


@given(st.text(alphabet=st.sampled_from(_MIXED), max_size=60))
def test_script_shortcut_agrees_with_counting(sample: str) -> None:
    # the regex that skips the per-character loop must say "not CJK" exactly where the count finds no Han,
    # kana or Hangul letter, and the letter threshold must stop only where the full count agrees
    from eventwire.readers.language import _MIN_LETTERS, _cjk, _has_letters

    letters, han, kana, hangul = _script_counts(sample)
    if han + kana + hangul == 0:
        assert _cjk(sample) is None
    else:
        assert (_cjk(sample) is None) == (han + kana + hangul < 0.5 * letters)
    assert _has_letters(sample, _MIN_LETTERS) == (letters >= _MIN_LETTERS)
