"""Numeral grammar: Chinese, Arabic and mixed numerals -> exact Decimals."""
from decimal import Decimal

import pytest

from extract._numerals import find_numbers, norm, parse_cn


@pytest.mark.parametrize("text,value", [
    ("一百二十亿", "12000000000"),
    ("两千", "2000"),
    ("七万", "70000"),
    ("两千四百五", "2450"),
    ("一万三", "13000"),
    ("一千零五", "1005"),
    ("四亿五千六百四十二万零一十五", "456420015"),
    ("五兆六十二亿四万五千二", "5006200045200"),
    ("四万万", "400000000"),
    ("10萬4782.88", "104782.88"),
    ("3万4000", "34000"),
    ("5亿1万4千6百", "500014600"),
    ("肆佰陸拾", "460"),
    ("负三十二", "-32"),
    ("二点五", "2.5"),
    ("十分之一", "0.1"),
    ("二零二六", "2026"),
])
def test_parse_cn(text, value):
    assert parse_cn(text) == Decimal(value)


def test_scale_words_are_exact_decimals():
    [n] = find_numbers("16.4 亿")
    assert n.value == Decimal("1640000000") and n.base == Decimal("16.4") and n.scale == Decimal("100000000")
    [n] = find_numbers("5.3 億")
    assert n.value == 530000000


@pytest.mark.parametrize("text,values", [
    ("112,965", ["112965"]),
    ("84 500", ["84500"]),
    ("１,１３８", ["1138"]),
    ("1,100.9亿", ["110090000000"]),
    ("64k", ["64000"]),
    ("2.5 M", ["2500000"]),
    ("3 bn", ["3000000000"]),
    ("1.5 billion", ["1500000000"]),
    ("1、2、3", ["1", "2", "3"]),
    ("30、60、90、120", ["30", "60", "90", "120"]),
    ("1, 234, 567", ["1", "234", "567"]),
])
def test_find_numbers_values(text, values):
    assert [n.value for n in find_numbers(text)] == [Decimal(v) for v in values]


def test_minus_sign_only_when_not_a_range_dash():
    assert [n.value for n in find_numbers("-5.3")] == [Decimal("-5.3")]
    assert [n.value for n in find_numbers("118,000-124,000")] == [118000, 124000]
    assert [n.value for n in find_numbers("64k-71k")] == [64000, 71000]


def test_norm_keeps_length_and_folds_width_and_script():
    s = "１２３．５億美元，兩千"
    assert len(norm(s)) == len(s)
    assert norm(s) == "123.5亿美元，两千"  # the full-width comma stays a clause mark


def test_lone_financial_capitals_are_words():
    assert find_numbers("这个岛屿远离大陆") == []
    assert find_numbers("队伍") == []
    assert [n.value for n in find_numbers("肆拾肆")] == [44]


@pytest.mark.parametrize("text", ["", "😀🚀", "\u200b\u200b", "\x00\x01", "亿" * 50, "9" * 5000, "一" * 3000])
def test_odd_input_never_raises(text):
    find_numbers(text)


def test_fw_thousands_matches_plain_definition():
    """_FW_THOUSANDS (literal-first, for speed) finds what its plain lookbehind-first form finds,
    on the real pages with full-width digits spliced in (ASCII digits -> full-width, ',' -> '，')."""
    import pathlib
    import re

    from extract import _numerals as NU

    plain = re.compile("(?<=[０-９])，(?=[０-９]{3}(?![０-９]))")
    fw = str.maketrans("0123456789,", "０１２３４５６７８９，")
    root = pathlib.Path(__file__).resolve().parents[1]
    paths = sorted((root / "tests" / "data" / "pages").glob("*.txt")) + sorted((root / "corpora" / "articles").glob("*.txt"))
    found = 0
    for p in paths:
        t = p.read_text(encoding="utf-8").translate(fw)
        spans = [m.span() for m in NU._FW_THOUSANDS.finditer(t)]
        assert spans == [m.span() for m in plain.finditer(t)], p.name
        found += len(spans)
    assert found > 10
