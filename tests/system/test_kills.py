"""kill -9 during indexing, during workspace changes and during an export (three of each here; `python -m evals
kills` runs fifteen with the real embedder): afterwards SQLite is intact, every catalog chunk has its vector and
the next index run leaves catalog and Chroma equal, every requirement's version matches its history, and an
export is whole or absent."""

from __future__ import annotations

import pytest

from evals.kills import run_kills

pytestmark = pytest.mark.system


def test_a_kill_at_any_moment_leaves_everything_consistent(tmp_path):
    results = run_kills(tmp_path, rounds=3, fake=True, max_delay_s=2.5)
    assert len(results) == 9
    assert all(r.consistent for r in results), [r for r in results if not r.consistent]
