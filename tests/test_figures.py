"""find_figures on sentences of our own (not the seeds): numerals, units, ranges, changes, qualifiers, non-figures."""
from decimal import Decimal

import pytest

from extract import find_figures
from extract.records import Figure

D = Decimal


def one(text: str) -> Figure:
    figs = find_figures(text)
    assert len(figs) == 1, [f.surface for f in figs]
    return figs[0]


@pytest.mark.parametrize("text,surface,value,unit", [
    ("贝莱德 IBIT 单日净流入 5.3 亿美元", "5.3 亿美元", "530000000", "USD"),
    ("台积电市值达 1,138億新台幣", "1,138億新台幣", "113800000000", "TWD"),
    ("当日成交额 10萬4782.88 元", "10萬4782.88 元", "104782.88", "CNY"),
    ("公司计划募资一百二十亿元", "一百二十亿元", "12000000000", "CNY"),
    ("他增持了两千股", "两千股", "2000", "shares"),
    ("目标价七万美元", "七万美元", "70000", "USD"),
    ("约三成的资金", "三成", "30", "pct"),
    ("仅十分之一的仓位", "十分之一", "10", "pct"),
    ("百分之五十五的概率", "百分之五十五", "55", "pct"),
    ("ＥＴＨ 上涨 ５％", "５％", "5", "pct"),
    ("比特币报 84 500 美元", "84 500 美元", "84500", "USD"),
    ("现价 112,965 美元", "112,965 美元", "112965", "USD"),
    ("美联储降息 50 bps", "50 bps", "50", "bp"),
    ("央行加息 25 基點", "25 基點", "25", "bp"),
    ("央行减息一码", "一码", "25", "bp"),
    ("台湾央行升息 2 碼", "2 碼", "50", "bp"),
    ("失业率上升 2 个百分点", "2 个百分点", "2", "pp"),
    ("金价升至 2,400 美元/盎司", "2,400 美元/盎司", "2400", "USD_per_oz"),
    ("持仓 1.2M 枚", "1.2M 枚", "1200000", "BTC"),
    ("Strategy 买入 1,000 枚比特币", "1,000 枚比特币", "1000", "BTC"),
    ("卖出 1.5 万张合约", "1.5 万张合约", "15000", "contracts"),
    ("以 1.3 倍杠杆", "1.3 倍", "1.3", "x"),
    ("募资 US$ 3.2 million", "US$ 3.2 million", "3200000", "USD"),
    ("规模 1.5 billion USD", "1.5 billion USD", "1500000000", "USD"),
    ("配售 HK$ 50 亿", "HK$ 50 亿", "5000000000", "HKD"),
    ("海外投资 30 亿日元", "30 亿日元", "3000000000", "JPY"),
    ("融资 5 亿港元", "5 亿港元", "500000000", "HKD"),
    ("报价 € 200 万", "€ 200 万", "2000000", "EUR"),
    ("负利率 -0.1%", "-0.1%", "-0.1", "pct"),
    ("十年期国债", "十年期", "10", "years"),
    ("连续 8 个交易日净流出", "8 个交易日", "8", "trading_days"),
    ("恒生指数收于 19,500 点", "19,500 点", "19500", "level"),
])
def test_amounts_units_and_scales(text, surface, value, unit):
    f = one(text)
    assert (f.surface, f.value, f.unit) == (surface, D(value), unit)
    assert text[f.start:f.end] == f.surface


@pytest.mark.parametrize("text,surface,lo,hi,unit", [
    ("目标区间 118,000-124,000 美元", "118,000-124,000 美元", 118000, 124000, "USD"),
    ("在 6.4 万至 7.1 万美元之间", "6.4 万至 7.1 万美元", 64000, 71000, "USD"),
    ("ETH 在 7–8 万美元", "7–8 万美元", 70000, 80000, "USD"),
    ("融资 $20-50 亿", "$20-50 亿", 2000000000, 5000000000, "USD"),
    ("支撑在 64k-71k", "64k-71k", 64000, 71000, "level"),
    ("利率 4%—4.25% 区间", "4%—4.25%", 4, D("4.25"), "pct"),
    ("HIBOR 报 3.5至3.75厘", "3.5至3.75厘", D("3.5"), D("3.75"), "pct"),
    ("预计 5 到 10 億美元的流出", "5 到 10 億美元", 500000000, 1000000000, "USD"),
    ("未来两三个交易日", "两三个交易日", 2, 3, "trading_days"),
])
def test_ranges_are_one_figure_with_a_shared_scale(text, surface, lo, hi, unit):
    f = one(text)
    assert (f.surface, f.range, f.unit, f.value, f.change) == (surface, [D(lo), D(hi)], unit, None, None)


@pytest.mark.parametrize("text,surface,frm,to,unit,sign,approx", [
    ("基差从 3.3% 跃升至 9%", "从 3.3% 跃升至 9%", D("3.3"), 9, "pct", "+", "eq"),
    ("比特币从 $101,600 急坠至 $98,792", "从 $101,600 急坠至 $98,792", 101600, 98792, "USD", "-", "eq"),
    ("持倉從 668,000 BTC 增加到 687,000 BTC", "從 668,000 BTC 增加到 687,000 BTC", 668000, 687000, "BTC", "+", "eq"),
    ("利率从 5.5% 降至约 4.25%", "从 5.5% 降至约 4.25%", D("5.5"), D("4.25"), "pct", "-", "approx"),
    ("近月基差从 2/5 的 3.3% 飙升到 2/6 的 9%", "从 2/5 的 3.3% 飙升到 2/6 的 9%", D("3.3"), 9, "pct", "+", "eq"),
])
def test_from_to_changes(text, surface, frm, to, unit, sign, approx):
    f = one(text)
    assert f.surface == surface and f.change == {"from": D(frm), "to": D(to)}
    assert (f.unit, f.sign, f.approx, f.value, f.range) == (unit, sign, approx, None, None)


@pytest.mark.parametrize("text,surface,approx", [
    ("约 5 亿美元", "5 亿美元", "approx"),
    ("大约新增了 600 万股", "600 万股", "approx"),
    ("价格在 3,000 美元左右", "3,000 美元", "approx"),
    ("徘徊在 160 附近", "160", "approx"),
    ("超过 10%", "10%", "over"),
    ("逾 1,000 枚比特币", "1,000 枚比特币", "over"),
    ("高达 16.4 亿美元", "16.4 亿美元", "over"),
    ("收益率突破 4%", "4%", "over"),
    ("跌幅在 20% 以上", "20%", "over"),
    (">25亿美元的清算", ">25亿美元", "over"),
    ("维持 10%+ 的水平", "10%+", "over"),
    ("近 20% 的份额", "20%", "under"),
    ("接近 72,000 美元", "72,000 美元", "under"),
    ("几乎触及 90%", "90%", "under"),
    ("不到 1% 的概率", "1%", "under"),
    ("至少 3 亿美元", "3 亿美元", "at_least"),
    ("永远不可能超过 1", "1", "up_to"),
    ("营收增长逾两倍", "两倍", "over"),
])
def test_qualifiers_stay_out_of_the_surface(text, surface, approx):
    f = one(text)
    assert (f.surface, f.approx) == (surface, approx)


@pytest.mark.parametrize("text", [
    "2 月 5 日", "2/5 那天", "1 月 30 日的数据", "去年 11 月", "2026年1月末", "下午 4 点", "11:30 开盘",
    "第二, 情景三", "1) 首先", "版本1 和 版本 2", "BTCUSDT 永续合约", "ETH2 升级", "Web3 项目", "iPhone 15 发布",
    "G7 会议", "24/7 交易", "COVID-19 疫情", "标普 500 指数", "沪深300 成分股", "两个漏洞", "三幕剧", "一家基金",
    "数十年来", "一切", "他 3 次加仓", "3 家交易所", "1、2、3 三个阶段", "资产归零", "二元的波动事件", "价格在 5 日均线上方",
])
def test_not_figures(text):
    assert find_figures(text) == [], [f.surface for f in find_figures(text)]


def test_enumeration_shares_the_last_unit():
    figs = find_figures("涵盖 30、60、90、120 天期限")
    assert [(f.surface, f.value, f.unit) for f in figs] == [
        ("30", 30, "days"), ("60", 60, "days"), ("90", 90, "days"), ("120 天", 120, "days")]


def test_written_minus_is_kept_in_value_and_surface():
    f = one("赎回了 -3.7 億美元")
    assert f.surface == "-3.7 億美元" and f.value == D("-370000000") and f.sign == "-"


def test_zero_as_a_rate():
    assert [(f.surface, f.value, f.unit) for f in find_figures("长期接近零利率")] == [("零", 0, "pct")]
    assert find_figures("期权归零") == [] and find_figures("零售投资者") == []


def test_bare_levels_need_a_reason():
    assert [(f.value, f.unit) for f in find_figures("USD/JPY 在 160 附近")] == [(160, "JPY_per_USD")]
    assert [(f.value, f.unit) for f in find_figures("z-score 达到 3.5")] == [(D("3.5"), "zscore")]
    assert [(f.value, f.unit) for f in find_figures("障碍位设在 43.6")] == [(D("43.6"), "level")]
    assert [(f.range, f.unit) for f in find_figures("在 38–39 区间")] == [([38, 39], "level")]


def test_contract_fields():
    text = "IBIT 新增 600 万份额, 净流入超过 2.3 亿美元, 区间 6.4 万至 7.1 万美元, 从 3.3% 跃升至 9%"
    figs = find_figures(text)
    assert len(figs) == 4
    for f in figs:
        assert text[f.start:f.end] == f.surface
        assert sum(x is not None for x in (f.value, f.range, f.change)) == 1
        for v in [f.value] + (f.range or []) + list((f.change or {}).values()):
            assert v is None or isinstance(v, Decimal)
    assert figs[0].to_dict()["value"] == 6000000


@pytest.mark.parametrize("text", [
    "", "😀🚀📉 比特币", "\u200b5\u200b亿", "\x00\x07 3%", "亿" * 200, "9" * 2000 + "亿美元", "1," * 3000,
    "从从从 3% 至至", "-" * 100, "约" * 100 + "5%", "。" * 500, "1" + "\n" * 10 + "%",
])
def test_odd_text_never_raises(text):
    for f in find_figures(text):
        assert text[f.start:f.end] == f.surface


def test_traditional_and_simplified_agree():
    a = find_figures("比特幣單日淨流入約 5.3 億美元，較前一日增加 2 個百分點")
    b = find_figures("比特币单日净流入约 5.3 亿美元，较前一日增加 2 个百分点")
    assert [(f.value, f.unit, f.approx) for f in a] == [(f.value, f.unit, f.approx) for f in b]


@pytest.mark.parametrize("text,surface,value,unit,approx", [
    ("央行降息半碼", "半碼", "12.5", "bp", "eq"),
    ("失业率上升半个百分点", "半个百分点", "0.5", "pp", "eq"),
    ("新台幣兌美元收在 32.85 元", "32.85 元", "32.85", "TWD_per_USD", "eq"),
    ("离岸人民币兑美元报 7.2350", "7.2350", "7.2350", "CNH_per_USD", "eq"),
    ("外資買超 215.6 億元", "215.6 億元", "21560000000", "CNY", "eq"),
    ("共有 17.2 万人被强平", "17.2 万人", "172000", "count", "eq"),
    ("已连续 5 日净流出", "5 日", "5", "days", "eq"),
    ("跌超 3%", "3%", "3", "pct", "over"),
])
def test_market_phrasing_of_other_outlets(text, surface, value, unit, approx):
    f = one(text)
    assert (f.surface, f.value, f.unit, f.approx) == (surface, D(value), unit, approx)


def test_a_level_after_a_change_is_not_a_range():
    figs = find_figures("美元指数跌 0.2% 至 103.6")
    assert [(f.surface, f.value, f.unit) for f in figs] == [("0.2%", D("0.2"), "pct"), ("103.6", D("103.6"), "level")]


def test_reporting_window_is_not_a_figure():
    assert [f.surface for f in find_figures("比特币 24 小时内下跌 4.5%")] == ["4.5%"]


def test_stock_codes_and_commodity_units():
    text = "贵州茅台(600519.SH)营收 506 亿元；腾讯(00700.HK)涨 2.1%；黄金 ETF 持仓增加 12.5 吨；原油库存减少 330 万桶。"
    assert [(f.surface, f.unit) for f in find_figures(text)] == [
        ("506 亿元", "CNY"), ("2.1%", "pct"), ("12.5 吨", "t"), ("330 万桶", "bbl")]


@pytest.mark.parametrize("text,expected", [
    ("10 余家机构", []), ("超过 100 家机构", []), ("约 3,500 人", [("3,500 人", "count")]),
])
def test_counts_of_things_need_a_scale_or_thousands(text, expected):
    assert [(f.surface, f.unit) for f in find_figures(text)] == expected
