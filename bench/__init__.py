"""Benchmarks and peer comparisons of narrex (``python -m bench``: stage throughput vs jieba.lcut)."""
