"""One writer to the index at a time, across processes, and `check` comparing (and repairing) the catalog and
the vector store."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest

from assistant.cli.main import run
from assistant.db import Database
from assistant.ingest.lock import IndexBusy
from assistant.services import Services

HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


@contextmanager
def _another_writer(services: Services, seconds: float):
    """Another process holds the index lock: the data folder's lock file, or on a shared PostgreSQL catalog the
    advisory lock (taken on a connection of its own, as another instance would)."""
    database = services.catalog.database
    if database.dialect == "postgresql":
        other = Database(database.url.render_as_string(hide_password=False), database.name)
        with other.held("index", 1.0) as taken:
            assert taken
            yield
        other.close()
        return
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(services.indexer.config.lock_path), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait()


def test_a_second_writer_is_told_within_seconds_and_writes_nothing(indexed, tmp_path):
    indexer = indexed.indexer
    upload = tmp_path / "ny.md"
    upload.write_text("# Ny\n\nLeverandøren skal tage paller retur.\n", encoding="utf-8")
    with _another_writer(indexed, 6):
        before = indexed.catalog.count_chunks()
        started = time.monotonic()
        with pytest.raises(IndexBusy, match="Indekset opdateres af en anden"):
            indexer.add_files([upload])
        assert time.monotonic() - started < 4.0
        assert indexed.catalog.count_chunks() == before and not (indexer.config.uploads_dir / "ny.md").exists()
    assert indexer.add_files([upload]).added == ["ny"]  # free again once the other writer is gone


def test_check_finds_missing_and_orphan_vectors_and_repairs_them(indexed):
    indexer, vectors = indexed.indexer, indexed.vectors
    ids = sorted(indexed.catalog.all_chunk_ids())
    vectors.delete(ids[:3])
    vectors.upsert(["spøgelse-0001"], [[0.1] * len(indexed.embedder.embed_query("x"))], ["spøgelse"])
    found = indexer.check()
    assert (found.missing, found.orphans, found.consistent) == (3, 1, False)
    fixed = indexer.check(repair=True)
    assert fixed.repaired == 4 and indexer.check().consistent
    assert set(ids[:3]) <= vectors.existing(ids[:3])


def test_the_check_command_says_what_it_found(settings, embedder):
    services = Services.build(settings, embedder=embedder)
    services.indexer.sync()
    services.vectors.delete(sorted(services.catalog.all_chunk_ids())[:2])
    services.close()

    def cli(*argv: str) -> tuple[int, str]:
        out = io.StringIO()  # each run builds its services from the same data folder, as the CLI does
        return run(["check", *argv], lambda: Services.build(settings, embedder=embedder), out=out), out.getvalue()

    code, out = cli("--json")
    assert code == 1 and json.loads(out)["missing"] == 2
    code, out = cli("--repair")
    assert code == 0 and "Rettet: 2" in out
    code, out = cli()
    assert code == 0 and "stemmer overens" in out
