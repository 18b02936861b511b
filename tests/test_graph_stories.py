"""Story fingerprints: stable across processes, scripts and chrome; translations match, other news does not."""
from __future__ import annotations

import subprocess
import sys

import numpy as np

from graph.stories import NUM_PERM, fingerprint, jaccard_estimate, match_rows, same_story

from test_graph_kg import GOLD_A, GOLD_B, YEN_C

# Another gold note on another day: same market, same stock phrases, other numbers.
GOLD_OTHER_DAY = ("周四金价回落 1.1%,收于每盎司 2,861.3 美元,盘中最低下探 2,848.9 美元。美元指数反弹至 104.20,"
                  "美国 10 年期国债收益率升至 4.31%。分析师认为,强劲的就业数据削弱了美联储降息预期,金价承压。")


def test_signature_is_stable_across_processes():
    here = fingerprint(GOLD_A).signature_bytes()
    code = ("import sys; sys.path.insert(0, '.'); from graph.stories import fingerprint; "
            f"sys.stdout.write(fingerprint({GOLD_A!r}).signature_bytes().hex())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert bytes.fromhex(out) == here
    assert len(fingerprint(GOLD_A).signature) == NUM_PERM


def test_translation_and_repost_match_other_news_does_not():
    a, b, c, d = (fingerprint(t) for t in (GOLD_A, GOLD_B, YEN_C, GOLD_OTHER_DAY))
    assert same_story(a, b) and same_story(b, a)
    assert same_story(a, fingerprint("转载自某网站\n" + GOLD_A + "\n责任编辑:小王"))
    assert not same_story(a, c) and not same_story(a, d) and not same_story(b, d)
    assert jaccard_estimate(a.signature, a.signature) == 1.0


def test_numbers_fingerprint_ignores_small_integers_and_years():
    fp = fingerprint("2026 年 3 月 2 日,金价 2,941.50 美元,涨 2.8%,持仓 600 吨,第 1 名")
    assert fp.numbers == frozenset({"2941.5", "2.8", "600"})


def test_match_rows_is_same_story_over_many_rows():
    stored = [fingerprint(t) for t in (GOLD_A, YEN_C, GOLD_B, "")]
    sigs = np.stack([f.signature for f in stored])
    nums = [f.numbers for f in stored]
    for probe in (fingerprint(GOLD_B), fingerprint(YEN_C), fingerprint("")):
        want = [i for i, f in enumerate(stored) if same_story(probe, f)]
        assert match_rows(probe, sigs, nums) == want
        assert match_rows(probe, sigs, [lambda n=n: n for n in nums]) == want  # numbers parsed lazily
    assert match_rows(fingerprint(GOLD_B), sigs, nums)[:1] == [0]  # the two gold tellings match
    assert match_rows(fingerprint(GOLD_B), sigs[:0], []) == []


def test_odd_and_empty_text():
    for t in ("", "   ", "🚀", "\u200b\x00\x07", "a" * 100000):
        fp = fingerprint(t)
        assert len(fp.signature) == NUM_PERM
