"""Figures on commentary styles none of the seeds show (held-out misses, fixed generally).

Sentences are our own: FX and index moves with the level reached, Taiwan rate steps in 碼,
stock codes in brackets after a company name, and "N units ago" date expressions.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from extract.dates import find_dates
from extract.figures import bind_figures, find_figures


def _summary(text):
    return [(f.surface, f.value, f.unit, f.range) for f in find_figures(text)]


@pytest.mark.parametrize("text,move,level", [
    ("欧元兑美元下跌0.3%至1.082", "0.3%", Decimal("1.082")),
    ("恒生指数周五上涨1.8%至17,250", "1.8%", Decimal("17250")),
    ("布伦特原油下挫2.1%，至74.3", "2.1%", Decimal("74.3")),
])
def test_percent_move_then_level_is_two_figures(text, move, level):
    figs = find_figures(text)
    assert [f.surface for f in figs][0] == move
    assert all(f.range is None for f in figs)
    assert figs[1].value == level and figs[1].unit == "level"


def test_percent_move_to_level_signs_the_move_only():
    text = "欧元兑美元下跌0.3%至1.082。"
    figs = find_figures(text)
    bind_figures(text, figs, [], find_dates(text), None)
    assert figs[0].sign == "-"
    assert figs[0].metric == "price_change_pct"
    assert figs[1].metric != "price_change_pct"


@pytest.mark.parametrize("text,rng,unit", [
    ("联邦基金利率目标区间为4%—4.25%", [Decimal(4), Decimal("4.25")], "pct"),
    ("金价料在2,300至2,450美元之间", [Decimal(2300), Decimal(2450)], "USD"),
])
def test_range_needs_compatible_units_on_both_ends(text, rng, unit):
    [f] = find_figures(text)
    assert f.range == rng and f.unit == unit


@pytest.mark.parametrize("text,bp", [
    ("央行意外調升半碼至1.875%", Decimal("12.5")),
    ("市場預期央行降息一碼", Decimal(25)),
    ("理監事會決議升息1碼", Decimal(25)),
    ("聯準會一口氣降息兩碼", Decimal(50)),
])
def test_taiwan_ma_steps_are_basis_points(text, bp):
    figs = find_figures(text)
    assert figs[0].value == bp and figs[0].unit == "bp"


@pytest.mark.parametrize("text,only", [
    ("鴻海（2317）股價上漲2.1%", "2.1%"),
    ("五粮液(000858)尾盘跌1.2%", "1.2%"),
    ("阿里巴巴 (9988.HK) 收涨3%", "3%"),
    ("联发科（2454.TW）大涨4.5%", "4.5%"),
])
def test_stock_codes_in_brackets_are_not_figures(text, only):
    assert [s for s, *_ in _summary(text)] == [only]


def test_amounts_in_brackets_stay_figures():
    assert _summary("成交额（4500万美元）创新高")[0][1] == Decimal(45000000)
    assert [s for s, *_ in _summary("涨幅（3.5%）居前")] == ["3.5%"]


@pytest.mark.parametrize("text,surface,iso", [
    ("资金费率仍低于三周前的0.01%", "三周前", "2026-03-20"),
    ("与两天前相比", "两天前", "2026-04-08"),
    ("较三个月前的水平高出一截", "三个月前", "2026-01"),
    ("比 5 个交易日前低", "5 个交易日前", "2026-04-03"),
    ("一年前同期", "一年前", "2025"),
])
def test_units_ago_are_dates_not_figures(text, surface, iso):
    assert all(f.unit not in ("days", "weeks", "months", "years", "trading_days") for f in find_figures(text))
    [d] = find_dates(text, "2026-04-10")
    assert (d.surface, d.iso) == (surface, iso)


def test_durations_without_ago_stay_figures():
    assert [(f.value, f.unit) for f in find_figures("过去三个月累计上涨12%")][0] == (Decimal(3), "months")
    assert find_dates("过去三个月累计上涨12%", "2026-04-10") == []
