"""narrex knowledge graph (placeholder until the graph stage lands)."""
