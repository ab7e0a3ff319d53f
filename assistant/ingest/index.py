"""Incremental indexing: files → Documents → Chunks → embeddings → Chroma + catalog.

A document is re-embedded only when its bytes, the chunker or the embedder
changed. All expensive work (load, chunk, embed) happens before anything is
written, so a file that fails leaves the existing index exactly as it was.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from assistant.accounts import refusal
from assistant.ingest.chunk import ChunkConfig, chunk_document
from assistant.ingest.isolate import load_isolated
from assistant.ingest.load import SUPPORTED_SUFFIXES, LoadError, LoadLimits, doc_id_for, load_file
from assistant.ingest.lock import index_lock, shared_index_lock
from assistant.search.catalog import Catalog
from assistant.search.embed import Embedder
from assistant.search.vectors import VectorStore
from assistant.settings import Settings
from assistant.text import danish_int
from assistant.types import Chunk, Document

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (done, total, what)


@dataclass
class CheckReport:
    """What `python -m assistant check` found (and repaired)."""

    chunks: int
    vectors: int
    missing: int  # catalog chunks without a vector
    orphans: int  # vectors without a catalog chunk
    unsearchable: int = 0  # stored vectors a search does not find (VectorStore.upsert)
    repaired: int = 0

    @property
    def consistent(self) -> bool:
        return self.missing == self.orphans == self.unsearchable == 0


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, Danish reason)
    orphans_removed: int = 0  # vectors whose chunk the catalog no longer knows
    chunks_embedded: int = 0
    seconds: float = 0.0
    # Documents stored for word search at once whose vectors are still to come (Indexer.embed_missing), and
    # how many chunks wait for one.
    deferred: list[str] = field(default_factory=list)
    chunks_deferred: int = 0

    def merge(self, other: IndexReport) -> None:
        for name in ("added", "updated", "unchanged", "removed", "failed", "deferred"):
            getattr(self, name).extend(getattr(other, name))
        self.chunks_embedded += other.chunks_embedded
        self.chunks_deferred += other.chunks_deferred
        self.orphans_removed += other.orphans_removed
        self.seconds += other.seconds

    def as_json(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": [{"file": f, "error": e} for f, e in self.failed],
            "chunks_embedded": self.chunks_embedded, "orphans_removed": self.orphans_removed,
            "deferred": self.deferred, "chunks_deferred": self.chunks_deferred,
            "seconds": round(self.seconds, 2),
        }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class IndexConfig:
    corpus_dir: Path
    uploads_dir: Path
    chunk: ChunkConfig = field(default_factory=ChunkConfig)
    limits: LoadLimits = field(default_factory=LoadLimits)
    embed_batch: int = 16
    load_in_subprocess: bool = True  # parse each file in a child process with the limits below
    load_timeout_s: float = 120.0
    load_memory_mb: int = 2048
    lock_wait_s: float = 2.0  # a second writer to the index waits this long, then is told (ingest/lock.py)

    @property
    def lock_path(self) -> Path:
        return self.uploads_dir.parent / "index.lock"

    @classmethod
    def from_settings(cls, settings: Settings) -> IndexConfig:
        return cls(corpus_dir=settings.corpus_dir, uploads_dir=settings.uploads_dir,
                   chunk=ChunkConfig(settings.chunk_chars, settings.chunk_min_chars),
                   limits=LoadLimits.from_settings(settings), embed_batch=settings.embed_batch,
                   load_in_subprocess=settings.load_in_subprocess, load_timeout_s=settings.load_timeout_s,
                   load_memory_mb=settings.load_memory_mb)


class NotAllowed(LoadError):
    """A logged-in user whose role may not change the documents (only an admin may)."""


def _allowed(role: str | None) -> None:
    refused = refusal(role, "dokumenter")
    if refused:
        raise NotAllowed(refused)


class Indexer:
    def __init__(self, config: IndexConfig, embedder: Embedder, catalog: Catalog,
                 vectors: VectorStore) -> None:
        self.config = config
        self.embedder = embedder
        self.catalog = catalog
        self.vectors = vectors
        self.chunk_config = config.chunk
        self.limits = config.limits

    # --- which files belong to the index ---------------------------------
    def source_files(self) -> list[Path]:
        files: list[Path] = []
        for folder in (self.config.corpus_dir, self.config.uploads_dir):
            if folder.is_dir():
                files.extend(
                    p for p in sorted(folder.iterdir())
                    if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                )
        return files

    def _own_folder(self, path: str) -> bool:
        return Path(path).parent.resolve() in (self.config.corpus_dir.resolve(), self.config.uploads_dir.resolve())

    def _is_current(self, path: Path) -> bool:
        entry = self.catalog.entry(doc_id_for(path))
        if entry is None or entry.path != str(path):
            return False
        if (entry.sha256, entry.chunker, entry.embedder) != (
                _sha256(path), self.chunk_config.signature, self.embedder.name):
            return False
        ids = self.catalog.chunk_ids(entry.meta.doc_id)
        return len(self.vectors.existing(ids)) == len(ids)

    # --- operations ------------------------------------------------------
    def sync(self, progress: Progress | None = None) -> IndexReport:
        """Bring the index in line with the corpus and uploads folders."""
        with self._writing():
            return self._sync(progress)

    def _writing(self) -> AbstractContextManager[None]:
        if self.catalog.database.shared:
            return shared_index_lock(self.catalog.database, self.config.lock_wait_s)
        return index_lock(self.config.lock_path, self.config.lock_wait_s)

    def _sync(self, progress: Progress | None) -> IndexReport:
        started = time.perf_counter()
        report = IndexReport()
        files = self.source_files()
        present = {str(p) for p in files}
        for entry in self.catalog.entries():
            if entry.path in present:
                continue
            if self.catalog.database.shared and not self._own_folder(entry.path):
                # A shared catalog: another instance's upload (or another host's corpus path) is not ours to drop.
                log.info("keeping %s: indexed from %s, not a folder of this instance", entry.meta.doc_id, entry.path)
                continue
            self._remove(entry.meta.doc_id)
            report.removed.append(entry.meta.doc_id)
        for path in files:
            if self._is_current(path):
                report.unchanged.append(doc_id_for(path))
                continue
            self._index_path(path, report, progress)
        report.orphans_removed = self.remove_orphans()
        report.seconds = time.perf_counter() - started
        return report

    def remove_orphans(self) -> int:
        """Delete vectors whose chunk the catalog does not know.

        A crash between the vector and catalog writes (or a removal interrupted after the catalog
        delete) leaves such vectors; retrieval ignores them, but they take dense candidate slots.
        """
        orphans = sorted(self.vectors.all_ids() - self.catalog.all_chunk_ids())
        if orphans:
            log.warning("removing %d vectors without a catalog entry", len(orphans))
            self.vectors.delete(orphans)
        return len(orphans)

    def add_files(self, paths: list[Path], progress: Progress | None = None, role: str | None = None, *,
                  defer_over: int | None = None) -> IndexReport:
        """Validate, copy into the uploads folder and index each file.

        A file is copied only after it loaded and chunked without error, so a
        broken upload never reaches the uploads folder or the index.

        ``defer_over``: a file of more chunks than this is stored without vectors, searchable by its words at
        once, and listed in the report's ``deferred``; the caller embeds it with ``embed_missing`` (the app in
        the background). The embedder reads some 7 chunks a second here, so a 160-page report would
        otherwise keep the buyer waiting two minutes for a document whose words are ready in seconds.
        """
        _allowed(role)  # ``role``: the logged-in user's on a shared server; None on a laptop or the command line
        with self._writing():
            return self._add_files(paths, progress, defer_over)

    def embed_missing(self, doc_ids: list[str] | None = None, progress: Progress | None = None) -> int:
        """Embed the chunks that have no vector yet (of ``doc_ids``, or of every document), a batch at a time.
        The index lock is held per batch only, so uploads and removals go on meanwhile; a chunk removed in
        the meantime gets no vector. Returns the number of vectors written."""
        written = 0
        for doc_id in doc_ids if doc_ids is not None else [e.meta.doc_id for e in self.catalog.entries()]:
            ids = self.catalog.chunk_ids(doc_id)
            missing = sorted(set(ids) - self.vectors.existing(ids))
            size = max(1, self.config.embed_batch)
            for i in range(0, len(missing), size):
                batch = self.catalog.chunks(missing[i:i + size])
                vectors = self.embedder.embed_passages([batch[c].index_text() for c in batch])
                with self._writing():
                    current = self.catalog.chunks(list(batch))  # what is still indexed now
                    keep = [(c, v) for c, v in zip(batch, vectors, strict=True) if c in current]
                    if keep:
                        self.vectors.upsert([c for c, _ in keep], [v for _, v in keep],
                                            [batch[c].doc_id for c, _ in keep])
                written += len(keep)
                if progress:
                    progress(min(i + size, len(missing)), len(missing), doc_id)
        return written

    def waiting_for_vectors(self) -> dict[str, int]:
        """Documents whose chunks are not all embedded yet (a deferred upload), with how many wait. Two counts
        when every chunk has its vector, the usual case."""
        if self.vectors.count() >= self.catalog.count_chunks():
            return {}
        waiting = {}
        for entry in self.catalog.entries():
            ids = self.catalog.chunk_ids(entry.meta.doc_id)
            missing = len(ids) - len(self.vectors.existing(ids))
            if missing:
                waiting[entry.meta.doc_id] = missing
        return waiting

    def _add_files(self, paths: list[Path], progress: Progress | None, defer_over: int | None = None) -> IndexReport:
        started = time.perf_counter()
        report = IndexReport()
        uploads = self.config.uploads_dir
        for path in paths:
            path = Path(path)
            if path.resolve().parent in (uploads.resolve(), self.config.corpus_dir.resolve()):
                target = path
            else:
                target = uploads / path.name
            self._index_path(path, report, progress, store_as=target, defer_over=defer_over)
        report.seconds = time.perf_counter() - started
        return report

    def is_upload(self, doc_id: str) -> bool:
        """Whether the document came in as an upload (a corpus file would be indexed again by `index`)."""
        entry = self.catalog.entry(doc_id)
        return entry is not None and Path(entry.path).parent.resolve() == self.config.uploads_dir.resolve()

    def remove(self, doc_id: str, role: str | None = None) -> bool:
        _allowed(role)
        with self._writing():
            entry = self.catalog.entry(doc_id)
            if entry is None:
                return False
            upload = Path(entry.path)
            if upload.parent.resolve() == self.config.uploads_dir.resolve():
                upload.unlink(missing_ok=True)
            self._remove(doc_id)
            return True

    def correct_meta(self, doc_id: str, *, title: str, publisher: str, year: str, kind: str,
                     role: str | None = None) -> bool:
        """Correct a document's title, publisher, year and kind (Catalog.update_meta), for an admin only."""
        _allowed(role)
        return self.catalog.update_meta(doc_id, title=title, publisher=publisher, year=year, kind=kind)

    def check(self, repair: bool = False) -> CheckReport:
        """Compare the catalog with the vector store: chunks without a vector (a kill between writes, a lost
        Chroma folder), vectors without a chunk, and stored vectors a search cannot find (an index written
        before VectorStore.upsert checked its writes). With ``repair``, embed the missing chunks again from
        the catalog's text, write the unsearchable vectors again and delete the orphans."""
        with self._writing():
            known, stored = self.catalog.all_chunk_ids(), self.vectors.all_ids()
            missing, orphans = sorted(known - stored), sorted(stored - known)
            # One document at a time, so a large index is never held in memory at once.
            lost = [found for entry in self.catalog.entries()
                    if (found := self.vectors.lost_for_search(sorted(stored & set(self.catalog.chunk_ids(
                        entry.meta.doc_id)))))[0]]
            report = CheckReport(chunks=len(known), vectors=len(stored), missing=len(missing), orphans=len(orphans),
                                 unsearchable=sum(len(ids) for ids, _, _ in lost))
            if not repair:
                return report
            for found in lost:
                self.vectors.upsert(*found)
                report.repaired += len(found[0])
            size = max(1, self.config.embed_batch)
            for i in range(0, len(missing), size):
                batch = self.catalog.chunks(missing[i:i + size])
                ids = list(batch)
                self.vectors.upsert(ids, self.embedder.embed_passages([batch[c].index_text() for c in ids]),
                                    [batch[c].doc_id for c in ids])
                report.repaired += len(ids)
            report.repaired += self.remove_orphans()
            return report

    # --- internals -------------------------------------------------------
    def _remove(self, doc_id: str) -> None:
        ids = self.catalog.chunk_ids(doc_id)
        self.catalog.remove_document(doc_id)
        self.vectors.delete(ids)

    def _load(self, path: Path, doc_id: str) -> Document:
        if not self.config.load_in_subprocess:
            return load_file(path, self.limits, doc_id=doc_id)
        if not path.is_file():  # cheap refusals need no child process
            raise LoadError(f"Filen {path.name} findes ikke.")
        doc, stats = load_isolated(path, self.limits, doc_id, timeout_s=self.config.load_timeout_s,
                                   memory_mb=self.config.load_memory_mb)
        log.info("loaded %s in %.2f s (peak %s MB)", path.name, stats.seconds, stats.peak_mb)
        return doc

    def _prepare(self, path: Path, target: Path) -> tuple[Document, list[Chunk]]:
        """Load and chunk within the budgets; raises LoadError. Nothing is written."""
        doc = self._load(path, doc_id_for(target))
        existing = self.catalog.entry(doc.doc_id)
        if existing and existing.path != str(target) and Path(existing.path).exists():
            raise LoadError(
                f"Der findes allerede et dokument med id '{doc.doc_id}' ({Path(existing.path).name}). "
                "Omdøb filen, eller fjern det eksisterende dokument først."
            )
        twin = self.catalog.doc_with_content(doc.sha256)
        if twin and twin != doc.doc_id:
            # Chunk ids derive from the content, and one source should be cited under one name.
            raise LoadError(f"Filen {path.name} har præcis samme indhold som dokumentet '{twin}', der "
                            "allerede er indekseret; den er ikke tilføjet igen.")
        chunks = chunk_document(doc, self.chunk_config)
        if not chunks:
            raise LoadError(f"Filen {path.name} gav ingen tekststykker, der kan indekseres.")
        if len(chunks) > self.limits.max_chunks:
            raise LoadError(f"Filen {path.name} giver {danish_int(len(chunks))} tekststykker; grænsen "
                            f"er {danish_int(self.limits.max_chunks)} (indstillingen UDB_MAX_DOC_CHUNKS). "
                            "Del dokumentet op, eller hæv grænsen.")
        return doc, chunks

    def _embed(self, doc: Document, chunks: list[Chunk], progress: Progress | None) -> list[list[float]]:
        texts = [c.index_text() for c in chunks]
        vectors: list[list[float]] = []
        batch = max(1, self.config.embed_batch)
        if progress:
            progress(0, len(texts), doc.meta.title)
        for i in range(0, len(texts), batch):
            vectors.extend(self.embedder.embed_passages(texts[i:i + batch]))
            if progress:
                progress(min(i + batch, len(texts)), len(texts), doc.meta.title)
        return vectors

    def _store(self, path: Path, target: Path, doc: Document, chunks: list[Chunk],
               vectors: list[list[float]], old_ids: set[str]) -> None:
        """Copy the upload, then the vectors (none when they are deferred), then the catalog; on failure undo
        what this file added."""
        new_ids = [c.chunk_id for c in chunks]
        try:
            if target != path:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                meta_sidecar = path.with_name(path.name + ".meta.json")
                if meta_sidecar.is_file():
                    shutil.copyfile(meta_sidecar, target.with_name(target.name + ".meta.json"))
            # Vectors first, then the catalog: retrieval only trusts chunks the catalog knows, so a
            # crash in between leaves nothing half-visible (and the next run deletes the orphans).
            if vectors:
                self.vectors.upsert(new_ids, vectors, [c.doc_id for c in chunks])
            self.catalog.replace_document(doc, chunks, path=str(target), chunker=self.chunk_config.signature,
                                          embedder=self.embedder.name)
        except Exception:
            self.vectors.delete(sorted(set(new_ids) - old_ids))
            if target != path and not old_ids:
                target.unlink(missing_ok=True)
                target.with_name(target.name + ".meta.json").unlink(missing_ok=True)
            raise
        self.vectors.delete(sorted(old_ids - set(new_ids)))

    def _index_path(self, path: Path, report: IndexReport, progress: Progress | None,
                    store_as: Path | None = None, defer_over: int | None = None) -> None:
        target = store_as or path
        try:
            doc, chunks = self._prepare(path, target)
        except LoadError as exc:
            log.warning("could not index %s: %s", path, exc)
            report.failed.append((path.name, str(exc)))
            return
        except Exception as exc:  # one bad file fails alone; the run goes on and the report lists it
            log.exception("unexpected error indexing %s", path)
            report.failed.append((path.name, f"Filen {path.name} kunne ikke indekseres ({type(exc).__name__})."))
            return
        deferred = defer_over is not None and len(chunks) > defer_over
        old_ids = set(self.catalog.chunk_ids(doc.doc_id))
        # Deferred: a chunk kept from the old version keeps its vector; only the new ones wait.
        vectors = [] if deferred else self._embed(doc, chunks, progress)
        try:
            self._store(path, target, doc, chunks, vectors, old_ids)
        except Exception as exc:  # disk full, a locked database: this file fails, the index stays
            log.exception("could not store %s", path)
            report.failed.append((path.name, f"Filen {path.name} kunne ikke gemmes i indekset "
                                  f"({type(exc).__name__}); indekset er uændret."))
            return
        (report.updated if old_ids else report.added).append(doc.doc_id)
        if deferred:
            report.deferred.append(doc.doc_id)
            report.chunks_deferred += len(chunks)
        else:
            report.chunks_embedded += len(chunks)
