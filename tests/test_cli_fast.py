"""`narrex --help` stays fast: importing the CLI must not pull in the heavy libraries.

Timing is measured by the bench (``python -m bench`` prints the `narrex --help` wall time);
here we check the cause of slowness instead, which does not depend on machine load.
"""
from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("spacy", "jieba", "opencc", "networkx", "trafilatura", "numpy", "charset_normalizer")


def _loaded_after(code: str) -> list[str]:
    probe = (f"import sys, json\n{code}\n"
             f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_importing_the_cli_loads_no_heavy_library():
    assert _loaded_after("import narrex.cli") == []


def test_help_runs_without_loading_heavy_libraries():
    code = ("import narrex.cli as c\n"
            "try:\n    c.app(args=['--help'], prog_name='narrex')\nexcept SystemExit as e:\n    assert e.code in (0, None)")
    assert _loaded_after(code) == []


def test_help_lists_commands():
    out = subprocess.run([sys.executable, "-m", "narrex", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    for cmd in ("clean", "figures", "extract"):
        assert cmd in out.stdout

