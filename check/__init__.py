"""narrex fact-check: figures stated in articles against market data.

```python
from check import MarketStore, ensure_snapshot, check_record, check_db
store = MarketStore.open("narrex.db"); ensure_snapshot(store)
verdicts = check_record(article_record, store)      # list[Verdict]; v.to_dict() is the --json line
results = check_db("narrex.db")                     # list[ArticleResult] for every ingested article
```
"""
from __future__ import annotations

from .db import check_db, load_records, open_market
from .market import MarketStore, Observation
from .snapshot import ensure_snapshot
from .verdict import Verdict, check_figure, check_record, check_records

__all__ = ["MarketStore", "Observation", "ensure_snapshot", "Verdict", "check_figure", "check_record",
           "check_records", "check_db", "load_records", "open_market"]
