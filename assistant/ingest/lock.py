"""One writer to the index at a time, across processes: the app's upload, a `python -m assistant index` and a
`check --repair` on the same data folder take an exclusive lock on ``data/index.lock`` (on a shared PostgreSQL
catalog, an advisory lock there). A second writer waits at
most a couple of seconds, then gets one Danish sentence; it never writes beside the first."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.db import Database
from assistant.errors import LoadError


class IndexBusy(LoadError):
    """Another process is writing to the index."""


BUSY = ("Indekset opdateres af en anden lige nu (en upload eller en indeksering); prøv igen, når den er "
        "færdig.")


@contextmanager
def shared_index_lock(db: Database, wait_s: float = 2.0) -> Iterator[None]:
    """The same rule for app instances on several machines that share a PostgreSQL catalog."""
    with db.held("index", wait_s) as taken:
        if not taken:
            raise IndexBusy(BUSY)
        yield


@contextmanager
def index_lock(path: Path, wait_s: float = 2.0) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusy(BUSY) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
