"""Story detection: which articles tell the same story (a repost, a translation).

Two signals, both computed on the cleaned, Simplified text so that script and
chrome do not matter:

* **Text shingles** — character 3-grams (punctuation and spaces removed),
  summarized by a MinHash signature of ``NUM_PERM`` 32-bit minima. The share of
  equal minima estimates the Jaccard similarity of the shingle sets. Reposts
  score high (≥ 0.35); two independent translations of one original score
  far lower (≈ 0.1) but still above unrelated commentary (≈ 0.02).
* **Number fingerprint** — the distinctive numbers the text quotes (with a
  decimal point, or three or more digits, years left out): translations keep
  them (13.2, 2.3, 3.7, 600 …) while different articles on the same market
  episode rarely share many.

``same_story`` says yes for a near duplicate, or for a text that shares some
wording *and* most of its distinctive numbers. Measured on the seeds (cleaned):
the translation pair 000/001 has 3-gram Jaccard 0.12 and shares 8 of 11 numbers;
the other pairs have 0.01-0.03 and share none.

Known limit: a close rewrite of one report is grouped with it (intended: it is not
independent confirmation), but so may be two independent same-day wrap-ups that
quote the same handful of closing levels with similar stock phrases.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

__all__ = ["NUM_PERM", "BAND_ROWS", "Fingerprint", "fingerprint", "jaccard_estimate", "same_story",
           "band_keys", "match_rows"]

NUM_PERM = 256
SHINGLE = 3
NEAR_DUP_J = 0.35        # reposts, other chrome, small edits
TOPIC_J = 0.05           # translations share at least this much wording (unrelated commentary: 0.01-0.03) ...
NUM_SHARED_MIN = 4       # ... and this many distinctive numbers ...
NUM_CONTAIN_MIN = 0.5    # ... making up this share of the shorter list

_STRIP = re.compile(r"[\W_]+", re.UNICODE)
_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_MASK32 = np.uint64(0xFFFFFFFF)
BAND_ROWS = 2            # LSH band width: NUM_PERM / BAND_ROWS band keys per article (see ``band_keys``)


def _perm_params() -> tuple[np.ndarray, np.ndarray]:
    # derived from a fixed hash so signatures stay comparable across processes and numpy versions
    seed = hashlib.sha256(b"narrex-minhash-v1").digest()
    a, b = [], []
    for i in range(NUM_PERM):
        h = hashlib.blake2b(seed + i.to_bytes(4, "little"), digest_size=16).digest()
        a.append(int.from_bytes(h[:8], "little") | 1)  # odd multiplier
        b.append(int.from_bytes(h[8:], "little"))
    return np.array(a, dtype=np.uint64), np.array(b, dtype=np.uint64)


_A, _B = _perm_params()


@dataclass
class Fingerprint:
    """What story matching needs of one article: MinHash signature, shingle count, number set."""

    signature: np.ndarray          # uint32[NUM_PERM]
    n_shingles: int
    numbers: frozenset[str]

    def signature_bytes(self) -> bytes:
        return self.signature.astype("<u4").tobytes()


def _shingle_hashes(text: str) -> np.ndarray:
    s = _STRIP.sub("", text)
    if not s:
        return np.empty(0, dtype=np.uint64)
    c = np.frombuffer(s.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    if len(c) < SHINGLE:
        c = np.concatenate([c, np.zeros(SHINGLE - len(c), dtype=np.uint64)])
    # code points are < 2^21, so three of them pack into one exact 63-bit key (no hashing of strings,
    # no per-process salt); a splitmix64 finalizer then spreads the keys before 32-bit truncation
    k = (c[:-2] << np.uint64(42)) | (c[1:-1] << np.uint64(21)) | c[2:]
    k.sort()  # unique by sort + neighbour compare: many times faster than np.unique's hash path here
    k = k[np.concatenate(([True], k[1:] != k[:-1]))]
    with np.errstate(over="ignore"):
        k = (k ^ (k >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        k = (k ^ (k >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        k = k ^ (k >> np.uint64(31))
    return k & _MASK32


def _numbers(text: str) -> frozenset[str]:
    out = set()
    for n in _NUM.findall(text):
        n = n.replace(",", "")
        if "." in n:
            n = n.rstrip("0").rstrip(".") if n.count(".") == 1 else n
            out.add(n)
        elif len(n) >= 3 and not (len(n) == 4 and n[:2] in ("19", "20")):
            out.add(n.lstrip("0") or "0")
    return frozenset(out)


_CHUNK = 32  # permutations per pass: a (32, n) uint64 block stays in cache, no (256, n) temporaries


def _signature(x: np.ndarray) -> np.ndarray:
    """MinHash minima of the shingle hashes ``x``: for each permutation, min of ((a*x + b) mod 2^64) >> 32.

    The shift is taken after the minimum (``floor(h / 2^32)`` is monotone in ``h``), so each pass
    is one multiply, one add and one reduction, in place.
    """
    out = np.empty(NUM_PERM, dtype=np.uint64)
    buf = np.empty((min(_CHUNK, NUM_PERM), x.size), dtype=np.uint64)
    row = x[None, :]
    for i in range(0, NUM_PERM, _CHUNK):
        blk = buf[: min(_CHUNK, NUM_PERM - i)]
        np.multiply(_A[i:i + _CHUNK, None], row, out=blk)  # wraps mod 2^64 by design (uint64)
        blk += _B[i:i + _CHUNK, None]
        blk.min(axis=1, out=out[i:i + _CHUNK])
    return (out >> np.uint64(32)).astype(np.uint32)


def fingerprint(text: str) -> Fingerprint:
    """The story fingerprint of a cleaned text. Returns a Fingerprint (signature, size, numbers)."""
    x = _shingle_hashes(text)
    if x.size == 0:
        sig = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    else:
        # multiply-shift hashing: (a*x + b) mod 2^64, keep the high 32 bits
        sig = _signature(x)
    return Fingerprint(signature=sig, n_shingles=int(x.size), numbers=_numbers(text))


def signature_from_bytes(data: bytes) -> np.ndarray:
    """Inverse of ``Fingerprint.signature_bytes``."""
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def jaccard_estimate(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two shingle sets from their MinHash signatures."""
    return float(np.mean(a == b))


def _numbers_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    shared = len(a & b)
    return shared >= NUM_SHARED_MIN and shared / min(len(a), len(b)) >= NUM_CONTAIN_MIN


def same_story(a: Fingerprint, b: Fingerprint) -> bool:
    """True when two fingerprints look like versions of one article."""
    j = jaccard_estimate(a.signature, b.signature)
    if j >= NEAR_DUP_J:
        return True
    return j >= TOPIC_J and _numbers_agree(a.numbers, b.numbers)


def band_keys(signature: np.ndarray) -> list[int]:
    """LSH band keys of a signature: one signed 64-bit key per pair of consecutive minima.

    Two articles share a key when both minima of that band are equal. The near-duplicate
    rule needs at least ``NEAR_DUP_J * NUM_PERM`` (90) equal minima; when 90 of 256 are equal,
    the chance that none of the 128 two-row bands is wholly equal is below 1e-11
    (hypergeometric count), so looking up candidates by band key misses no near duplicate
    in practice. The key packs the band's two minima exactly and mixes in the band index
    (splitmix64): a 64-bit collision only adds a candidate, which is then verified.
    """
    s = np.asarray(signature, dtype=np.uint32).astype(np.uint64).reshape(-1, BAND_ROWS)
    k = (s[:, 0] << np.uint64(32)) | s[:, 1]
    with np.errstate(over="ignore"):
        k = k ^ (np.arange(len(k), dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
        k = (k ^ (k >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        k = (k ^ (k >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        k = k ^ (k >> np.uint64(31))
    return k.view(np.int64).tolist()


def match_rows(fp: Fingerprint, signatures: np.ndarray, numbers: list) -> list[int]:
    """Indexes of the rows of ``signatures`` (uint32[n, NUM_PERM]) that tell the same story as ``fp``.

    ``numbers[i]`` is row i's number fingerprint (a set, or a callable returning it: parsed
    only when the wording test leaves the decision to the numbers). The rule is
    ``same_story``'s, vectorized over the rows (``tests/test_graph_stories.py`` checks the two agree).
    """
    if not len(signatures):
        return []
    equal = (signatures == fp.signature[None, :]).sum(axis=1)
    j = equal / NUM_PERM  # exact: NUM_PERM is a power of two
    out = []
    for i in np.flatnonzero(j >= TOPIC_J):
        nums = numbers[i]
        if j[i] >= NEAR_DUP_J or _numbers_agree(fp.numbers, nums() if callable(nums) else nums):
            out.append(int(i))
    return out
