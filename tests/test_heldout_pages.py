"""Held-out pages: four articles in other outlets' styles, written after the stages were built.

They were scored before any rule saw them (figures P 0.94 / R 0.94, 24/24 body lines kept, 16/17 chrome
lines dropped); the misses were then fixed by general rules. Kept here so the generalization cannot regress.
"""
import math
from pathlib import Path

from extract import extract_article

HERE = Path(__file__).parent / "data" / "heldout"

D = {
 "a_gold.txt": dict(
   body=[1,4,5,6,7,8], chrome=[0,3,9,10,11,12,13], optional_lines=[2],
   figs=[("3.50%-3.75%", ("range", 3.5, 3.75)), ("1.8%", 1.8), ("4,250美元", 4250), ("4,268.5美元", 4268.5), ("25个基点", 25),
         ("62%", 62), ("45%", 45), ("10年期", 10), ("4.18%", ("change", 4.18, 4.11)), ("0.4%", 0.4), ("98.6", 98.6), ("12亿美元", 1.2e9), ("7.05", 7.05)],
   optional=["14个月", "第五周"]),
 "b_tw.txt": dict(
   body=[1,3,4,5,6,7], chrome=[0,8,9,10], optional_lines=[2],
   figs=[("半碼", 12.5), ("半碼", 12.5), ("2.125%", 2.125), ("2.35%", 2.35), ("2%", 2), ("31.85元", 31.85), ("12.3億美元", 1.23e9), ("156點", 156),
         ("22,845點", 22845), ("85.6億元", 8.56e9), ("兩碼", 50)],
   optional=["兩年", "19"]),
 "c_eth.txt": dict(
   body=[1,2,3,4,5,6], chrome=[0,7,8], optional_lines=[],
   figs=[("3,500 美元", 3500), ("3,120 美元", ("change", 3120, 3560)), ("14%", 14), ("2.18 亿美元", 2.18e8), ("1.65 亿美元", 1.65e8),
         ("1,620 万枚", 1.62e7), ("185 亿美元", 1.85e10), ("0.03%", 0.03), ("3.2 亿美元", 3.2e8), ("七成", 70), ("4,000 美元", 4000),
         ("12 万张", 120000), ("4,000 美元", 4000)],
   optional=["24 小时", "两至三周", "2016"]),
 "d_hk.txt": dict(
   body=[0,3,4,5,6,7], chrome=[2,8,9], optional_lines=[1],
   figs=[("300點", 300), ("2.1%", 2.1), ("24,516點", 24516), ("312點", 312), ("1.26%", 1.26), ("1,856億港元", 1.856e11), ("2.1%", 2.1),
         ("5,432點", 5432), ("4.2厘", 4.2), ("3.85厘", 3.85), ("35個基點", 35), ("3.4%", 3.4), ("518.5港元", 518.5), ("0.8%", 0.8),
         ("4.5%", 4.5), ("52.3億港元", 5.23e9)],
   optional=["一個月", "10年期", "第8個交易日", "8"]),
}

def close(a, b):
    try: return math.isclose(float(a), float(b), rel_tol=1e-3)
    except Exception: return False

def ok(f, exp):
    if isinstance(exp, tuple):
        if exp[0] == "range": return bool(f.range) and close(f.range[0], exp[1]) and close(f.range[1], exp[2])
        return bool(f.change) and close(f.change["from"], exp[1]) and close(f.change["to"], exp[2])
    return f.value is not None and close(f.value, exp)

def test_heldout_pages():
    tot = dict(tp=0, pred=0, gold=0, body=0, body_kept=0, chrome=0, chrome_dropped=0)
    for name, g in D.items():
        raw = (HERE / name).read_text(encoding="utf-8")
        rec = extract_article(raw, source=name)
        dropped = {d.line for d in rec.dropped}
        kept_body = [l for l in g["body"] if l not in dropped]
        dr_chrome = [l for l in g["chrome"] if l in dropped]
        tot["body"] += len(g["body"]); tot["body_kept"] += len(kept_body)
        tot["chrome"] += len(g["chrome"]); tot["chrome_dropped"] += len(dr_chrome)
        for l in g["body"]:
            if l in dropped: print(f"  {name}: BODY LOST line {l}: {raw.split(chr(10))[l][:50]}")
        for l in g["chrome"]:
            if l not in dropped: print(f"  {name}: chrome kept line {l}: {raw.split(chr(10))[l][:50]}")
        preds = list(rec.figures); used = set(); pos = 0; tp = 0
        for surf, exp in g["figs"]:
            at = raw.find(surf, pos)
            assert at >= 0, surf
            pos = at + 1
            hit = None
            for j, f in enumerate(preds):
                if j in used or not (f.start < at + len(surf) and at < f.end): continue
                if ok(f, exp): hit = j; break
                if hit is None: hit = ("wrong", j, f)
            if isinstance(hit, int):
                used.add(hit); tp += 1
            elif hit is None:
                print(f"  {name}: MISSED {surf} {exp}")
            else:
                used.add(hit[1]); f = hit[2]
                print(f"  {name}: WRONG {surf} exp {exp}: got {f.surface!r} value={f.value} range={f.range} change={f.change} unit={f.unit}")
        fp = 0
        for j, f in enumerate(preds):
            if j in used: continue
            if any(o in f.surface or f.surface in o for o in g["optional"]): continue
            fp += 1; print(f"  {name}: SPURIOUS {f.surface!r} value={f.value} unit={f.unit}")
        tot["tp"] += tp; tot["gold"] += len(g["figs"]); tot["pred"] += tp + fp
    P = tot["tp"] / tot["pred"]; R = tot["tp"] / tot["gold"]
    F1 = 2 * P * R / (P + R)
    print(f"figures P={P:.2f} R={R:.2f} F1={F1:.2f}  body kept {tot['body_kept']}/{tot['body']}  chrome dropped {tot['chrome_dropped']}/{tot['chrome']}")
    assert F1 >= 0.9
    assert tot["body_kept"] / tot["body"] >= 0.98
    assert tot["chrome_dropped"] / tot["chrome"] >= 0.85
