"""Benchmark inputs: a deterministic synthetic corpus of department budget disclosures (corpus.py)."""
from .corpus import GENERATOR_VERSION, GeneratedDoc, document_text, generate

__all__ = ["GENERATOR_VERSION", "GeneratedDoc", "document_text", "generate"]
