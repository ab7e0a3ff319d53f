"""Embeddings, the vector store, the catalog with its lexical index, and hybrid retrieval."""
