"""The SQLite catalog: documents, their chunks (the source of truth for quoted
text and locations) and the FTS5 lexical index over Danish stems."""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.search.lexical import DanishAnalyzer
from assistant.sqlite_db import connect, transaction
from assistant.types import Chunk, Document, DocumentMeta

SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    publisher TEXT, year TEXT, kind TEXT, source TEXT, note TEXT,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    chunker TEXT NOT NULL,
    embedder TEXT NOT NULL,
    n_chunks INTEGER NOT NULL,
    text TEXT NOT NULL,
    indexed_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    heading_path TEXT NOT NULL,
    page INTEGER,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5(
    terms, chunk_id UNINDEXED, doc_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_vocab USING fts5vocab(chunk_terms, 'row');
CREATE TABLE IF NOT EXISTS document_versions (
    doc_id TEXT NOT NULL, sha256 TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL,
    indexed_at REAL NOT NULL, replaced_at REAL NOT NULL, PRIMARY KEY (doc_id, sha256)
);
"""


@dataclass(frozen=True)
class DocumentVersion:
    """The text of a document as it was before a new file replaced it (or before it was removed): a quote
    cited from it can still be shown and checked, and said to be from an earlier version."""

    doc_id: str
    sha256: str
    title: str
    text: str
    indexed_at: float
    replaced_at: float


@dataclass(frozen=True)
class CatalogEntry:
    meta: DocumentMeta
    path: str
    sha256: str
    chunker: str
    embedder: str
    n_chunks: int
    indexed_at: float


class Catalog:
    def __init__(self, path: Path, analyzer: DanishAnalyzer | None = None) -> None:
        self.path = path
        self.analyzer = analyzer or DanishAnalyzer()
        self._db = connect(path)
        self._db.executescript(_SCHEMA)
        self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()


    # --- documents -------------------------------------------------------
    def entries(self) -> list[CatalogEntry]:
        rows = self._db.execute("SELECT * FROM documents ORDER BY title").fetchall()
        return [self._entry(r) for r in rows]

    def entry(self, doc_id: str) -> CatalogEntry | None:
        row = self._db.execute("SELECT * FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return self._entry(row) if row else None

    @staticmethod
    def _entry(row: sqlite3.Row) -> CatalogEntry:
        meta = DocumentMeta(row["doc_id"], row["title"], row["publisher"] or "", row["year"] or "",
                            row["kind"] or "", row["source"] or "", row["note"] or "")
        return CatalogEntry(meta, row["path"], row["sha256"], row["chunker"], row["embedder"],
                            row["n_chunks"], row["indexed_at"])

    def document_text(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT text FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return row["text"] if row else None

    def doc_with_content(self, sha256: str) -> str | None:
        """The doc_id of an indexed document with exactly these bytes, if any."""
        row = self._db.execute("SELECT doc_id FROM documents WHERE sha256=?", (sha256,)).fetchone()
        return row[0] if row else None

    def all_chunk_ids(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT chunk_id FROM chunks")}

    def chunk_ids(self, doc_id: str) -> list[str]:
        rows = self._db.execute("SELECT chunk_id FROM chunks WHERE doc_id=? ORDER BY seq", (doc_id,))
        return [r["chunk_id"] for r in rows]

    def replace_document(self, doc: Document, chunks: list[Chunk], *, path: str,
                         chunker: str, embedder: str) -> None:
        """Swap a document's rows, chunks and lexical terms in one transaction."""
        terms = [" ".join(self.analyzer.terms(c.index_text())) for c in chunks]
        m = doc.meta
        with transaction(self._db) as db:
            self._keep_version(db, m.doc_id, unless_sha256=doc.sha256)
            self._delete(db, m.doc_id)
            db.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (m.doc_id, m.title, m.publisher, m.year, m.kind, m.source, m.note, path,
                 doc.sha256, chunker, embedder, len(chunks), doc.text, time.time()),
            )
            db.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?)",
                [(c.chunk_id, c.doc_id, c.seq, c.start, c.end, json.dumps(c.heading_path,
                  ensure_ascii=False), c.page, c.text) for c in chunks],
            )
            db.executemany(
                "INSERT INTO chunk_terms (terms, chunk_id, doc_id) VALUES (?,?,?)",
                [(t, c.chunk_id, c.doc_id) for t, c in zip(terms, chunks, strict=False)],
            )

    def update_meta(self, doc_id: str, *, title: str, publisher: str, year: str, kind: str) -> bool:
        """Correct what the file said about itself (title, publisher, year, kind). Chunks take their title
        from here, so answers, cards and exports cite the corrected title at once; the meaning of the
        text is untouched. Kept until the file itself changes and is indexed again."""
        with transaction(self._db) as db:
            cursor = db.execute("UPDATE documents SET title=?, publisher=?, year=?, kind=? WHERE doc_id=?",
                                (title, publisher, year, kind, doc_id))
        return cursor.rowcount > 0

    def remove_document(self, doc_id: str) -> None:
        with transaction(self._db) as db:
            self._keep_version(db, doc_id)
            self._delete(db, doc_id)

    @staticmethod
    def _keep_version(db: sqlite3.Connection, doc_id: str, unless_sha256: str | None = None) -> None:
        """Keep the text being replaced or removed (not when the same bytes are indexed again, e.g. after a
        chunker change)."""
        row = db.execute("SELECT sha256, title, text, indexed_at FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        if row and row["sha256"] != unless_sha256:
            db.execute("INSERT OR REPLACE INTO document_versions VALUES (?,?,?,?,?,?)",
                       (doc_id, row["sha256"], row["title"], row["text"], row["indexed_at"], time.time()))

    def versions(self, doc_id: str) -> list[DocumentVersion]:
        """Earlier versions of a document, newest first."""
        rows = self._db.execute("SELECT * FROM document_versions WHERE doc_id=? ORDER BY replaced_at DESC",
                                (doc_id,))
        return [DocumentVersion(**dict(r)) for r in rows]

    @staticmethod
    def _delete(db: sqlite3.Connection, doc_id: str) -> None:
        db.execute("DELETE FROM chunk_terms WHERE doc_id=?", (doc_id,))
        db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
        db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))

    # --- chunks ----------------------------------------------------------
    def chunks(self, chunk_ids: list[str]) -> dict[str, Chunk]:
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self._db.execute(
            f"SELECT c.*, d.title FROM chunks c JOIN documents d USING(doc_id) "
            f"WHERE c.chunk_id IN ({marks})", chunk_ids,
        ).fetchall()
        return {r["chunk_id"]: self._chunk(r) for r in rows}

    def all_chunks(self, doc_ids: list[str] | None = None) -> list[Chunk]:
        sql = "SELECT c.*, d.title FROM chunks c JOIN documents d USING(doc_id)"
        args: list[str] = []
        if doc_ids:
            sql += f" WHERE c.doc_id IN ({','.join('?' * len(doc_ids))})"
            args = list(doc_ids)
        rows = self._db.execute(sql + " ORDER BY c.doc_id, c.seq", args).fetchall()
        return [self._chunk(r) for r in rows]

    @staticmethod
    def _chunk(row: sqlite3.Row) -> Chunk:
        return Chunk(row["chunk_id"], row["doc_id"], row["title"], row["seq"], row["start"],
                     row["end"], row["text"], tuple(json.loads(row["heading_path"])), row["page"])

    def locate(self, doc_id: str, quote: str) -> Chunk | None:
        """The chunk holding the start of a verbatim quote, or None if the quote is not in the text."""
        text = self.document_text(doc_id)
        offset = text.find(quote) if text else -1
        if offset < 0:
            return None
        row = self._db.execute(
            "SELECT c.*, d.title FROM chunks c JOIN documents d USING(doc_id) "
            "WHERE c.doc_id=? AND c.start<=? ORDER BY c.start DESC LIMIT 1", (doc_id, offset)).fetchone()
        return self._chunk(row) if row else None

    def count_chunks(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]

    # --- lexical search --------------------------------------------------
    def term_coverage(self, query: str) -> float:
        """Share of the query's terms that occur anywhere in the index (0..1).

        An English question over Danish documents has low coverage; its lexical
        hits are then noise, and retrieval trusts the dense side instead.
        """
        terms = sorted(set(self.analyzer.terms(query)))
        if not terms:
            return 0.0
        marks = ",".join("?" * len(terms))
        found = self._db.execute(f"SELECT COUNT(*) FROM chunk_vocab WHERE term IN ({marks})", terms)
        return found.fetchone()[0] / len(terms)

    def lexical_search(self, query: str, limit: int,
                       doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """BM25 over stemmed terms; returns (chunk_id, score) best first."""
        terms = sorted(set(self.analyzer.terms(query)))
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        sql = "SELECT chunk_id, bm25(chunk_terms) AS rank FROM chunk_terms WHERE chunk_terms MATCH ?"
        args: list[object] = [match]
        if doc_ids:
            sql += f" AND doc_id IN ({','.join('?' * len(doc_ids))})"
            args.extend(doc_ids)
        sql += " ORDER BY rank LIMIT ?"
        args.append(limit)
        # FTS5's bm25() is lower-is-better; flip the sign so higher means better.
        return [(r["chunk_id"], -r["rank"]) for r in self._db.execute(sql, args)]
