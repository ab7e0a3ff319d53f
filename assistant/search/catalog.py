"""The catalog: documents, their chunks (the source of truth for quoted text and locations) and the lexical
index over them, in SQLite (FTS5 over our Danish stems) or PostgreSQL (its built-in `danish` text search)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.db import Database, Record, Tx
from assistant.search.lexical import DanishAnalyzer
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
    "end" INTEGER NOT NULL,
    heading_path TEXT NOT NULL,
    page INTEGER,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS document_versions (
    doc_id TEXT NOT NULL, sha256 TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL,
    indexed_at REAL NOT NULL, replaced_at REAL NOT NULL, PRIMARY KEY (doc_id, sha256)
);
"""

_LEXICAL = {
    "sqlite": """
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5(
    terms, chunk_id UNINDEXED, doc_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_vocab USING fts5vocab(chunk_terms, 'row');
""",
    # PostgreSQL stems with its own Danish Snowball stemmer and stopwords (the same algorithm as ours).
    "postgresql": """
CREATE TABLE IF NOT EXISTS chunk_terms (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, tsv TSVECTOR NOT NULL
);
CREATE INDEX IF NOT EXISTS chunk_terms_tsv ON chunk_terms USING GIN (tsv);
CREATE INDEX IF NOT EXISTS chunk_terms_doc ON chunk_terms (doc_id);
""",
}


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
    def __init__(self, target: Path | Database, analyzer: DanishAnalyzer | None = None) -> None:
        """``target``: the SQLite file of a laptop, or a shared Database (PostgreSQL for several instances)."""
        self.analyzer = analyzer or DanishAnalyzer()
        self._db = target if isinstance(target, Database) else Database.sqlite(target, "catalog")
        with self._db.transaction() as tx:
            for statement in self._db.ddl(_SCHEMA + _LEXICAL[self._db.dialect]):
                tx.execute(statement)
            self._db.set_schema_version(tx, SCHEMA_VERSION)

    @property
    def database(self) -> Database:
        return self._db

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
    def _entry(row: Record) -> CatalogEntry:
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
        # Stemmed before the write lock is taken (PostgreSQL stems in the database, inside the statement).
        terms = [" ".join(self.analyzer.terms(c.index_text())) for c in chunks] if self._db.dialect == "sqlite" else []
        m = doc.meta
        with self._db.transaction() as db:
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
            if db.dialect == "sqlite":
                db.executemany("INSERT INTO chunk_terms (terms, chunk_id, doc_id) VALUES (?,?,?)",
                               [(t, c.chunk_id, c.doc_id) for t, c in zip(terms, chunks, strict=True)])
            else:
                db.executemany("INSERT INTO chunk_terms (chunk_id, doc_id, tsv) "
                               "VALUES (?, ?, to_tsvector('danish', ?))",
                               [(c.chunk_id, c.doc_id, c.index_text()) for c in chunks])

    def update_meta(self, doc_id: str, *, title: str, publisher: str, year: str, kind: str) -> bool:
        """Correct what the file said about itself (title, publisher, year, kind). Chunks take their title
        from here, so answers, cards and exports cite the corrected title at once; the meaning of the
        text is untouched. Kept until the file itself changes and is indexed again."""
        with self._db.transaction() as db:
            cursor = db.execute("UPDATE documents SET title=?, publisher=?, year=?, kind=? WHERE doc_id=?",
                                (title, publisher, year, kind, doc_id))
        return cursor.rowcount > 0

    def remove_document(self, doc_id: str) -> None:
        with self._db.transaction() as db:
            self._keep_version(db, doc_id)
            self._delete(db, doc_id)

    @staticmethod
    def _keep_version(db: Tx, doc_id: str, unless_sha256: str | None = None) -> None:
        """Keep the text being replaced or removed (not when the same bytes are indexed again, e.g. after a
        chunker change)."""
        row = db.execute("SELECT sha256, title, text, indexed_at FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        if row and row["sha256"] != unless_sha256:
            db.execute("INSERT INTO document_versions VALUES (?,?,?,?,?,?) ON CONFLICT (doc_id, sha256) DO UPDATE "
                       "SET title=excluded.title, text=excluded.text, indexed_at=excluded.indexed_at, "
                       "replaced_at=excluded.replaced_at",
                       (doc_id, row["sha256"], row["title"], row["text"], row["indexed_at"], time.time()))

    def versions(self, doc_id: str) -> list[DocumentVersion]:
        """Earlier versions of a document, newest first."""
        rows = self._db.execute("SELECT * FROM document_versions WHERE doc_id=? ORDER BY replaced_at DESC",
                                (doc_id,))
        return [DocumentVersion(**dict(r)) for r in rows]

    @staticmethod
    def _delete(db: Tx, doc_id: str) -> None:
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
    def _chunk(row: Record) -> Chunk:
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
        return self._db.execute("SELECT COUNT(*) FROM chunks").scalar()

    # --- lexical search --------------------------------------------------
    def term_coverage(self, query: str) -> float:
        """Share of the query's terms that occur anywhere in the index (0..1).

        An English question over Danish documents has low coverage; its lexical
        hits are then noise, and retrieval trusts the dense side instead.
        """
        if self._db.dialect == "postgresql":
            words = self.analyzer.words(query)
            if not words:
                return 0.0
            found = self._db.execute(
                "SELECT COUNT(*) FROM unnest(CAST(? AS TEXT[])) AS w(word) WHERE EXISTS (SELECT 1 FROM chunk_terms "
                "WHERE tsv @@ to_tsquery('danish', quote_literal(w.word)))", (words,))
            return found.rows[0][0] / len(words)
        terms = sorted(set(self.analyzer.terms(query)))
        if not terms:
            return 0.0
        marks = ",".join("?" * len(terms))
        found = self._db.execute(f"SELECT COUNT(*) FROM chunk_vocab WHERE term IN ({marks})", terms)
        return found.rows[0][0] / len(terms)

    def lexical_search(self, query: str, limit: int,
                       doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """Any of the query's terms, best first as (chunk_id, score): BM25 over our stems in SQLite, ts_rank
        (unnormalised: length normalisation ranked worse on the eval set) over PostgreSQL's Danish lexemes."""
        if self._db.dialect == "postgresql":
            words = self.analyzer.words(query)
            if not words:
                return []
            sql = ("SELECT chunk_id, ts_rank(tsv, q, 0) AS score FROM chunk_terms, to_tsquery('danish', ?) AS q "
                   "WHERE tsv @@ q")
            args: list[object] = [" | ".join(f"'{w}'" for w in words)]  # words are letters or digits only
            order = " ORDER BY score DESC, chunk_id LIMIT ?"
        else:
            terms = sorted(set(self.analyzer.terms(query)))
            if not terms:
                return []
            sql = "SELECT chunk_id, -bm25(chunk_terms) AS score FROM chunk_terms WHERE chunk_terms MATCH ?"
            args = [" OR ".join(f'"{t}"' for t in terms)]
            # FTS5's bm25() is lower-is-better; the sign is flipped so higher means better on both engines.
            order = " ORDER BY score DESC LIMIT ?"
        if doc_ids:
            sql += f" AND doc_id IN ({','.join('?' * len(doc_ids))})"
            args.extend(doc_ids)
        args.append(limit)
        return [(r["chunk_id"], float(r["score"])) for r in self._db.execute(sql + order, args)]
