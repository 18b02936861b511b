"""The first extracted article moves the loaded lexicons and pipeline out of the collector's way."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_PROG = (
    "import gc, sys\n"
    "from extract import extract_article\n"
    "before = gc.get_freeze_count()\n"
    "extract_article('2026年2月5日，IBIT 净流入 2.3 亿美元，比特币上涨 3%。')\n"
    "after_first = gc.get_freeze_count()\n"
    "extract_article('以太坊 ETF 周三净流出 1.1 亿美元。')\n"
    "print(before, after_first, gc.get_freeze_count())\n"
)


def _run(env_extra: dict) -> list[int]:
    env = {**os.environ, **env_extra}
    out = subprocess.run([sys.executable, "-c", _PROG], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=300)
    return [int(x) for x in out.stdout.split()]


def test_first_article_freezes_what_it_loaded_once():
    before, after_first, after_second = _run({"NARREX_GC_FREEZE": "1"})
    assert before == 0
    assert after_first > 10_000  # the spaCy pipeline and the lexicons
    assert after_second == after_first  # once per process, not per article


def test_freeze_can_be_turned_off():
    assert _run({"NARREX_GC_FREEZE": "0"}) == [0, 0, 0]
