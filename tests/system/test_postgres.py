"""The catalog and the workspace on PostgreSQL (Debian's server, started on loopback in a temporary folder):
the whole fast suite runs again with every test's stores in a fresh PostgreSQL database, so both engines
answer to the same tests (versions and stale edits, history, accounts, lexical search with PostgreSQL's
`danish` configuration, indexing and its rollbacks)."""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest

from assistant.settings import ROOT
from tests.fixtures.postgres import running_postgres

pytestmark = pytest.mark.system

# Its child process builds its own settings from the data folder, so it always uses SQLite.
SQLITE_ONLY = ["tests/test_load_guard.py::test_a_kill_between_write_steps_is_repaired_by_the_next_run"]


def test_the_fast_suite_passes_with_catalog_and_workspace_on_postgresql():
    with running_postgres("vedligehold") as url:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not realmodel and not system",
                   "--database-url", url, *(f"--deselect={t}" for t in SQLITE_ONLY), "tests"]
        proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1200)
        with psycopg.connect(url) as conn:  # the tests' stores really were on PostgreSQL: one database each
            created = conn.execute("SELECT COUNT(*) FROM pg_database WHERE datname LIKE 't\\_%'").fetchone()[0]
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert created > 100, created  # 114 tests build stores from the settings fixture (2026-12-01)
    assert " passed" in proc.stdout.splitlines()[-1] and "failed" not in proc.stdout.splitlines()[-1]
