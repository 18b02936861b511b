"""The cleaner skips its re-analysis of the kept lines when ``reanalysis_drops_nothing`` proves it
would drop nothing more; here the proof is checked against the plain re-analysis.

Real pages rarely make the re-analysis drop anything, so the pages are also mutated (lines deleted,
repeated, moved in from other pages, digit and separator lines inserted): a sizeable share of the
mutants do drop more on re-analysis, and the proof must never claim otherwise.
"""
from __future__ import annotations

import importlib
import random
from pathlib import Path

import pytest

from conftest import seed_names, seed_text
from extract._boilerplate import analyze, reanalysis_drops_nothing

C = importlib.import_module("extract.clean")  # (the package's ``clean`` attribute is the function)
DATA = Path(__file__).parent / "data"
_BODY = "美联储周三宣布维持利率不变，符合市场预期，但点阵图显示年内降息次数可能减少，市场情绪随之转向谨慎。"


def _texts() -> list[str]:
    paths = sorted((DATA / "pages").glob("*.txt")) + sorted((DATA / "heldout").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths] + [seed_text(n) for n in seed_names()]


def _plain(lines: list[str]):
    """``_analyze_to_fixed_point`` with the shortcut off."""
    mp = pytest.MonkeyPatch()
    mp.setattr(C, "reanalysis_drops_nothing", lambda an: False)
    try:
        return C._analyze_to_fixed_point(lines)
    finally:
        mp.undo()


def _mutants(rng: random.Random, lines: list[str], pool: list[str], n: int):
    yield lines
    for _ in range(n):
        v = list(lines)
        for _ in range(rng.randint(1, 6)):
            op = rng.random()
            if op < 0.3 and v:
                del v[rng.randrange(len(v))]
            elif op < 0.55:
                v.insert(rng.randint(0, len(v)), rng.choice(pool))
            elif op < 0.7 and v:
                v.insert(rng.randint(0, len(v)), rng.choice(v))
            elif op < 0.8:
                v.insert(rng.randint(0, len(v)), rng.choice(["12", "3", "45", "08:00", "2024-01-02", "|", "——"]))
            elif op < 0.9 and v:
                i = rng.randrange(len(v))
                v[i:i] = v[i:i + rng.randint(1, 3)]
            else:
                v.insert(rng.randint(0, len(v)), "")
        yield v


def test_reanalysis_shortcut_never_hides_a_drop():
    rng = random.Random(3)
    texts = _texts()
    pool = [line for t in texts for line in t.split("\n") if line.strip()]
    taken = fired = total = 0
    for t in texts:
        for lines in _mutants(rng, t.split("\n"), pool, 25):
            an = analyze(lines)
            more = set(_plain(lines).drops) - set(an.drops)
            ok = reanalysis_drops_nothing(an)
            assert not (ok and more), [(lines[i], i) for i in sorted(more)]
            taken += ok
            fired += bool(more)
            total += 1
    assert fired >= 5  # the mutants do reach the re-analysis' own drops
    assert taken >= total * 0.6  # and the shortcut still spares most pages


def test_reanalysis_shortcut_is_taken_on_plain_pages_and_cleaning_stays_idempotent():
    for t in _texts():
        an = analyze(t.split("\n"))
        if not any(d.spans is not None for d in an.drops.values()):
            assert reanalysis_drops_nothing(an), t[:40]
        once = C.clean(t).text
        assert C.clean(once).text == once


_LONG = "美联储周三宣布维持利率不变，符合市场预期，但点阵图显示年内降息次数可能减少，市场情绪随之转向谨慎，美元指数小幅走高，黄金期货先抑后扬。"
_COMMENT = "这篇文章写得很好，我觉得美联储今年还会继续降息，黄金还会涨，大家怎么看呢？我们拭目以待吧，反正我已经在三千美元附近加仓了不少。"


@pytest.mark.parametrize("lines, first, more", [
    # digit lines brought together by a dropped line: a counter widget
    (["比特币价格走势分析：美联储按兵不动之后", _BODY, "12", "登录 | 注册", "34", "56", _BODY[3:], _BODY[5:]], {3}, {2, 4, 5}),
    # a byline between a short label and the headline hid the label
    (["比特币 ETF专题", "作者：张三", "美联储按兵不动金价新高", _BODY, _BODY[2:], _BODY[4:]], {1}, {0}),
    # a block repeated once the line inside one copy is gone
    (["美联储按兵不动，金价创下历史新高", _BODY, "行情回顾与展望", "分析师观点汇总", _BODY[2:], "行情回顾与展望", "登录 | 注册",
      "分析师观点汇总", _BODY[4:]], {6}, {2, 3, 5, 7}),
    # the last long line was a reader's comment: the source line falls into the byline zone
    (["美联储按兵不动，金价创下历史新高", _LONG, _LONG[2:], _LONG[4:], "来源：新华社；", "全部评论(3)", _COMMENT], {5, 6}, {4}),
])
def test_pages_the_reanalysis_changes_are_not_skipped(lines, first, more):
    an = analyze(lines)
    assert set(an.drops) == first
    assert not reanalysis_drops_nothing(an)
    assert set(C._analyze_to_fixed_point(lines).drops) == first | more
