"""Property tests of the cleaner: offsets round-trip, idempotence, never raising."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract._script import convert, normalize_width, t2s_chars
from extract.clean import clean

# characters that exercise every path: Simplified, Traditional, Taiwan phrases, full-width digits
# and number punctuation, ASCII, CJK prose punctuation, whitespace and invisible characters, emoji
_ALPHA = (
    "比特币价格下跌美元的净流入" "比特幣價格下跌美元淨流入與軟體網路資料庫程式碼"
    "０１２３４５６７８９，．％：ＡＢｃ" "0123456789,.%:ABc" "。，：；！？「」、"
    " \t\u3000\u00a0\u200b\ufeff\x07" "😀📢" "[]|×-"
)
_LINE = st.text(alphabet=_ALPHA, min_size=0, max_size=40)
_DOC = st.lists(_LINE, min_size=1, max_size=12).map("\n".join)
_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _compatible(raw_ch: str, clean_ch: str) -> bool:
    """Can ``clean_ch`` come from ``raw_ch`` (identity, t2s, width folding, or inside a converted phrase)?"""
    return clean_ch in (raw_ch, t2s_chars(raw_ch), normalize_width(raw_ch), normalize_width(t2s_chars(raw_ch))) or (
        raw_ch in "，．％：／～＋－" and clean_ch in ",.%:/~+-"
    )


@_SETTINGS
@given(_DOC, st.data())
def test_offsets_round_trip_on_random_spans(raw, data):
    doc = clean(raw)
    n = len(doc.text)
    assert len(doc.offsets) == n
    assert all(0 <= o < len(raw) for o in doc.offsets)
    assert all(a <= b for a, b in zip(doc.offsets, doc.offsets[1:]))
    if n == 0:
        return
    s = data.draw(st.integers(0, n - 1))
    e = data.draw(st.integers(s, n))
    a, b = doc.span_to_raw(s, e)
    assert 0 <= a <= b <= len(raw)
    if e > s:
        # the raw span starts at the raw char of text[s] and ends right after the raw char of text[e-1]
        assert a == doc.to_raw(s) and b == doc.to_raw(e - 1) + 1
    for i in range(s, e):
        ch = doc.text[i]
        if ch == "\n":
            continue
        r = doc.to_raw(i)
        # char-level conversions map to their source char; phrase conversions (程式 -> 程序) into the phrase
        window = raw[max(0, r - 3): r + 4]
        assert _compatible(raw[r], ch) or any(ch in convert(window, taiwan=tw)[0] for tw in (False, True)), (raw[r], ch)


@_SETTINGS
@given(_DOC)
def test_clean_twice_equals_once(raw):
    once = clean(raw).text
    assert clean(once).text == once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_any_string(raw):
    doc = clean(raw)
    assert len(doc.offsets) == len(doc.text)
    assert isinstance(doc.script, str) and isinstance(doc.dropped, list)
