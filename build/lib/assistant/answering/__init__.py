"""Cited answers and the per-sentence support checker."""
