"""narrex fact-check: figures against market data (placeholder until the check stage lands)."""
