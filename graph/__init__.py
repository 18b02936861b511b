"""narrex knowledge graph: articles, entities, figure facts, causal claims and stories.

Public API (interfaces.md)::

    from graph import KnowledgeGraph
    kg = KnowledgeGraph.open("narrex.db")
    kg.ingest("article.txt"); kg.entity("贝莱德"); kg.figures(subject="IBIT"); kg.stories(); kg.nx
"""
from __future__ import annotations

from .facts import FigureFact, Statement
from .kg import KnowledgeGraph
from .views import ArticleInfo, CausalChain, ClaimView, ResultList, Story

__all__ = ["KnowledgeGraph", "FigureFact", "Statement", "ArticleInfo", "Story", "ClaimView", "CausalChain",
           "ResultList"]
