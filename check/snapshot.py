"""The bundled market snapshot (``corpora/market/snapshot.csv``), loaded into a store on first use."""
from __future__ import annotations

import hashlib

import corpora

from .market import MarketStore, parse_rows, read_rows

__all__ = ["snapshot_path", "ensure_snapshot"]

_META_KEY = "market_snapshot_sha"


def snapshot_path():
    """Path of the bundled snapshot CSV."""
    return corpora.path("market", "snapshot.csv")


def ensure_snapshot(store: MarketStore) -> int:
    """Load the bundled snapshot into ``store`` unless this version is already there.

    Returns the number of rows added (0 when already loaded). Rows already present are kept;
    a newer snapshot adds its new rows beside them (nothing is overwritten).
    """
    p = snapshot_path()
    digest = hashlib.sha256(p.read_bytes()).hexdigest()[:16]
    if store.meta(_META_KEY) == digest:
        return 0
    good, bad = parse_rows(read_rows(p))
    if bad:  # a shipped file must be clean: fail loudly in tests, not silently at a user
        raise ValueError(f"{p}: {bad[0]}")
    n = store.add_many(good)
    store.set_meta(_META_KEY, digest)
    return n
