"""Fuzzing (issue 8): the figure parser and the whole pipeline never raise and every offset is valid."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract import extract_article, find_figures

# pieces that exercise the number grammar, scripts, separators and nasty characters
PIECES = [
    "5.3", "1,138", "84 500", "１２，３４５．６", "-", "−", "+", "%", "％", "亿", "億", "万", "萬", "千", "k", "bn", "M",
    "美元", "美金", "$", "US$", "港元", "日圓", "BTC", "枚", "份", "张", "倍", "基点", "bp", "厘", "碼", "个百分点", "成",
    "约", "超过", "逾", "近", "至少", "左右", "从", "跃升至", "至", "到", "–", "—", "~", "、", ",", "，", "。", "\n", " ",
    "2 月 5 日", "2/5", "去年", "第二", "情景三", "1)", "BTCUSDT", "IBIT", "净流入", "赎回", "比特币", "貝萊德", "聯準會",
    "一百二十", "两三个", "十分之一", "三成", "零", "〇", "\u200b", "\u200d", "\ufeff", "\x00", "\x07", "\u3000", "\u00a0",
    "😀", "👉", "\U0001F4C8", "\r\n", "\t", "(", ")", "（", "）", "「", "」", "导致", "因为", "所以", "受", "影响",
]

texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_find_figures_never_raises_and_offsets_hold(text):
    for f in find_figures(text):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start:f.end] == f.surface
        assert sum(x is not None for x in (f.value, f.range, f.change)) == 1


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=6).map("\n".join))
def test_extract_article_never_raises_and_offsets_hold(raw):
    rec = extract_article(raw)
    assert rec.raw_text == raw
    for item in [*rec.figures, *rec.entities, *rec.dates]:
        assert raw[item.start:item.end] == item.surface
    for c in rec.claims:
        for span in (c.cause, c.effect, c.cue, c.sentence):
            if span is not None:
                assert raw[span.start:span.end] == span.text
