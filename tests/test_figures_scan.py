"""The fast scans behind figures and binding find exactly what the plain regexes find."""
import re
from decimal import Decimal

import pytest

from extract import _binding as B
from extract import _lexicon as L
from extract._numerals import find_numbers, norm

TRICKY = [
    "标普500 和 S&P 500、s&p500 都是指数,nasdaq-100 与 NASDAQ100 也是",
    "G20 峰会,G7 国家;BTC2 不是,IG20 也不是;COVID-19 之后 24/7 交易,124/7 呢",
    "贵州茅台(600519)和 600519.SH、0700.HK、2330.TW、7203.T 都是代码,1234567.SH 不是",
    "访问 https://example.com/a?b=1 或 www.x.cn,联系 @trader_01;24 小时内,24小时",
    "2024ETF 与 3AC、10BTC 和 5USD;ABC123x 是标签;恒生科技指数、沪深 300、中证1000",
    "Russell 2000、罗素2000、FTSE 100、日经 225、Nikkei225、DAX 40、上证50、科创 50、创业板50",
]


@pytest.mark.parametrize("text", TRICKY)
def test_label_spans_match_the_plain_alternation(text):
    t = norm(text)
    plain = L.not_figures()["label"]
    assert L.label_spans(t) == [m.span() for m in plain.finditer(t)]
    assert L.label_spans(t)  # each line holds labels


@pytest.mark.parametrize("text", TRICKY + ["", "。", "a\nb。c!d?e！f？\n\n", "没有句号"])
def test_mark_ends_match_the_regex(text):
    assert B._mark_ends(text, B._SENT_MARKS) == [m.end() for m in B._SENT_END.finditer(text)]
    assert B._mark_ends(text, "\n", 1, max(1, len(text) - 1)) == [
        m.end() for m in re.compile("\n").finditer(text, 1, max(1, len(text) - 1))]


def test_mark_ends_window():
    t = "一。二。三。四"
    assert B._mark_ends(t, "。", 2, 6) == [4, 6]


@pytest.mark.parametrize("text,values", [
    ("三分之一", [Decimal(1) / 3]),
    ("2又三分之一", [2 + Decimal(1) / 3]),
    ("1,234.5 和 5.3 亿", [Decimal("1234.5"), Decimal("530000000")]),
    ("10万4782.88", [Decimal("104782.88")]),
])
def test_fractions_and_plain_numbers(text, values):
    assert [n.value for n in find_numbers(text)] == values
