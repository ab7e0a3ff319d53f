"""One SQL database for the catalog and the workspace, through SQLAlchemy: a SQLite file (the laptop default)
or PostgreSQL (a URL, for several app instances). Both stores write the same SQL for both engines; what
differs (column types, the lexical index, the schema version, the write lock) is decided here or in the
store's own small engine-specific part.

Writes take one lock per store, so a change is checked and made without another writer in between:
SQLite's BEGIN IMMEDIATE, and on PostgreSQL a transaction-scoped advisory lock named after the store. The
workspace's optimistic versions (StaleEditError) therefore behave the same on both.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from assistant.errors import StoreError

Params = Sequence[Any] | Mapping[str, Any]
# PostgreSQL has no PRAGMA user_version; catalog and workspace share one database there, so one row each.
_VERSIONS_TABLE = "CREATE TABLE IF NOT EXISTS schema_versions (store TEXT PRIMARY KEY, version INTEGER NOT NULL)"


class Record(Mapping[str, Any]):
    """A row read by name (``row["title"]``), by position (``row[0]``) or as a dict (``dict(row)``)."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: Mapping[str, int], values: Sequence[Any]) -> None:
        self._values = tuple(values)
        self._index = index  # column name → position, one mapping shared by every row of a result

    def __getitem__(self, key: str | int) -> Any:  # type: ignore[override]
        return self._values[key] if isinstance(key, int) else self._values[self._index[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._values)


class Result:
    """Rows fetched at once (the connection goes back to the pool before the caller reads them)."""

    def __init__(self, rows: list[Record], rowcount: int) -> None:
        self.rows, self.rowcount = rows, rowcount

    def fetchone(self) -> Record | None:
        return self.rows[0] if self.rows else None

    def scalar(self) -> Any:
        """The first column of the first row (a COUNT), or None without rows."""
        return self.rows[0][0] if self.rows else None

    def fetchall(self) -> list[Record]:
        return self.rows

    def __iter__(self) -> Iterator[Record]:
        return iter(self.rows)


def _named(sql: str, params: Params) -> tuple[str, dict[str, Any]]:
    """The stores write ``?`` placeholders; SQLAlchemy's text() wants names (and turns them into each driver's
    own style). Our SQL has no ``?`` inside a string literal."""
    if isinstance(params, Mapping):
        return sql, dict(params)
    parts = sql.split("?")
    if len(parts) - 1 != len(params):
        raise ValueError(f"{len(parts) - 1} placeholders, {len(params)} values: {sql[:80]}")
    named = parts[0] + "".join(f":p{i}{part}" for i, part in enumerate(parts[1:]))
    return named, {f"p{i}": value for i, value in enumerate(params)}


def _run(conn: Connection, sql: str, params: Params = ()) -> Result:
    named, values = _named(sql, params)
    result = conn.execute(text(named), values)
    if not result.returns_rows:
        return Result([], result.rowcount)
    index = {key: i for i, key in enumerate(result.keys())}
    return Result([Record(index, row) for row in result], result.rowcount)


class Tx:
    """The statements of one transaction."""

    def __init__(self, conn: Connection, dialect: str) -> None:
        self._conn, self.dialect = conn, dialect

    def execute(self, sql: str, params: Params = ()) -> Result:
        return _run(self._conn, sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        named, _ = _named(sql, rows[0])
        self._conn.execute(text(named), [_named(sql, row)[1] for row in rows])


class Database:
    def __init__(self, url: str, name: str) -> None:
        """``name`` names the store (catalog, workspace): its write lock and schema version on PostgreSQL,
        where both stores share one database."""
        try:
            self.url = make_url(url)
        except ArgumentError:
            raise StoreError("Databasens adresse (UDB_DATABASE_URL) kan ikke læses; skriv den som "
                             "postgresql://bruger:adgangskode@vært:5432/navn.") from None
        self.name = name
        self.dialect = self.url.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise StoreError(f"Databasen skal være SQLite eller PostgreSQL, ikke {self.dialect} "
                             "(indstillingen UDB_DATABASE_URL).")
        if self.dialect == "sqlite":
            Path(self.url.database or "").parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(self.url, connect_args={"check_same_thread": False, "timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(self.url.set(drivername="postgresql+psycopg"), pool_pre_ping=True)
        self._engine = engine
        # Reads and DDL run without a transaction of SQLAlchemy's; writes open their own (transaction()).
        self._auto = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._lock_key = _key(name)

    @property
    def shared(self) -> bool:
        """Whether app instances on several machines may use this database at once (PostgreSQL)."""
        return self.dialect == "postgresql"

    @classmethod
    def sqlite(cls, path: Path, name: str) -> Database:
        return cls(f"sqlite:///{path}", name)

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _connected(self, engine: Engine) -> Iterator[Connection]:
        """A pooled connection; failing to get one is a Danish StoreError (errors after that are the caller's)."""
        try:
            conn = engine.connect()
        except OperationalError as exc:
            where = self.url.database if self.dialect == "sqlite" else f"{self.url.host}:{self.url.port or 5432}"
            reason = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
            raise StoreError(f"Databasen ({where}) kan ikke nås: {reason}. Kontrollér UDB_DATABASE_URL, og at "
                             "databaseserveren kører.") from None
        with conn:
            yield conn

    def execute(self, sql: str, params: Params = ()) -> Result:
        with self._connected(self._auto) as conn:
            return _run(conn, sql, params)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One writer per store at a time; rolled back on any exception, so a failed write leaves nothing."""
        if self.dialect == "sqlite":
            with self._connected(self._auto) as conn:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                try:
                    yield Tx(conn, self.dialect)
                except BaseException:
                    conn.exec_driver_sql("ROLLBACK")
                    raise
                conn.exec_driver_sql("COMMIT")
        else:
            with self._connected(self._engine) as conn, conn.begin():
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": self._lock_key})
                yield Tx(conn, self.dialect)

    @contextmanager
    def held(self, purpose: str, wait_s: float) -> Iterator[bool]:
        """A PostgreSQL lock across processes and machines for a block of several transactions (a whole index
        run), on its own connection; yields whether it was taken within ``wait_s``. ``purpose`` keeps it apart
        from the store's per-transaction write lock, which the block's own writes still take."""
        key = _key(f"{self.name}-{purpose}")
        with self._connected(self._auto) as conn:
            deadline = time.monotonic() + wait_s
            while not conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar():
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.05)
            try:
                yield True
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})

    # --- schema ---------------------------------------------------------------
    def ddl(self, script: str) -> list[str]:
        """A schema script's statements for this engine: PostgreSQL's REAL is 4 bytes (a timestamp would lose
        minutes), and it numbers rows with an identity column instead of AUTOINCREMENT."""
        statements = [s.strip() for s in script.split(";") if s.strip()]
        if self.dialect == "postgresql":
            statements = [s.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY "
                                    "PRIMARY KEY").replace(" REAL", " DOUBLE PRECISION") for s in statements]
        return statements

    def schema_version(self) -> int:
        if self.dialect == "sqlite":
            return int(self.execute("PRAGMA user_version").rows[0][0])
        self.execute(_VERSIONS_TABLE)
        row = self.execute("SELECT version FROM schema_versions WHERE store=?", (self.name,)).fetchone()
        return int(row[0]) if row else 0

    def set_schema_version(self, tx: Tx, version: int) -> None:
        if self.dialect == "sqlite":
            tx.execute(f"PRAGMA user_version={int(version)}")
        else:
            tx.execute(_VERSIONS_TABLE)
            tx.execute("INSERT INTO schema_versions (store, version) VALUES (?, ?) "
                       "ON CONFLICT (store) DO UPDATE SET version = excluded.version", (self.name, version))

    def migrate(self, migrations: Sequence[str]) -> None:
        """Run the migrations after the stored version, each in its own transaction with its version number."""
        current = self.schema_version()
        for number, script in enumerate(migrations[current:], start=current + 1):
            with self.transaction() as tx:
                for statement in self.ddl(script):
                    tx.execute(statement)
                self.set_schema_version(tx, number)


def _key(name: str) -> int:
    """A 64-bit advisory-lock key of a name, the same in every process."""
    return int.from_bytes(hashlib.sha256(f"udbudsassistent-{name}".encode()).digest()[:8], "big", signed=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
