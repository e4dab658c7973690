"""A key -> text store in one SQLite file, for caches that must not be loaded whole.

The local-text cache and the matcher's result cache hold one row per source or per claim:
tens of thousands at scale. Kept as one JSON document, each run read and re-wrote all of
it, and held all of it in memory. Here a run reads only the rows it asks for, writes only
the rows it adds, and several processes (a cluster's workers) share one file: SQLite's
write-ahead log lets readers go on while one writer commits, and a busy writer waits.

A cache only saves time, so every failure is a miss: a damaged or foreign file is set
aside and started afresh, and a read-only folder gives a store that keeps nothing. A
`stamp` (format and producer version) is part of every key, so no row is ever read by
code that would read it differently; rows of other stamps age out when the table is
trimmed (switching between two versions keeps both sets meanwhile).
"""

from __future__ import annotations

import sqlite3
import stat
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

_BUSY_TIMEOUT_MS = 30_000
_PENDING_LIMIT = 2_000
"""Rows buffered before they are written in one transaction."""
_QUERY_KEYS = 500
"""Keys per query when loading a batch (SQLite allows 999 parameters by default)."""


class KeyValueStore:
    """Named tables of (key, value, written) rows; values are text (JSON by convention)."""

    def __init__(self, path: Path | None, tables: Sequence[str], stamp: str) -> None:
        self.path = path
        self._tables = tuple(tables)
        self._stamp = stamp + "|"
        self._lock = threading.Lock()  # callers may be fetch threads
        self._pending: dict[str, dict[str, str]] = {table: {} for table in self._tables}
        self._loaded: dict[str, dict[str, str]] = {table: {} for table in self._tables}
        self._connection: sqlite3.Connection | None = None
        self._opened = False  # opened on first use: a run that stores nothing creates nothing

    # -- reading and writing ----------------------------------------------------------------

    def get(self, table: str, key: str) -> str | None:
        with self._lock:
            pending = self._pending[table].get(key) or self._loaded[table].get(key)
            connection = self._connected(create=False)
            if pending is not None or connection is None:
                return pending
            try:
                row = connection.execute(
                    f"SELECT value FROM {table} WHERE key = ?", (self._stamp + key,)
                ).fetchone()
            except sqlite3.Error:
                return None
        return None if row is None else str(row[0])

    def load(self, table: str, keys: Iterable[str]) -> None:
        """Read these keys' rows in a few queries, for `get` to answer from memory until
        `forget` (a batch's worth: one query per key costs more than the lookups)."""
        wanted = [self._stamp + key for key in keys]
        with self._lock:
            connection = self._connected(create=False)
            if connection is None:
                return
            loaded = self._loaded[table]
            cut = len(self._stamp)
            try:
                for start in range(0, len(wanted), _QUERY_KEYS):
                    chunk = wanted[start : start + _QUERY_KEYS]
                    marks = ",".join("?" * len(chunk))
                    rows = connection.execute(
                        f"SELECT key, value FROM {table} WHERE key IN ({marks})", chunk
                    )
                    for key, value in rows:
                        loaded[str(key)[cut:]] = str(value)
            except sqlite3.Error:
                return

    def forget(self) -> None:
        with self._lock:
            self._loaded = {table: {} for table in self._tables}

    def put(self, table: str, key: str, value: str) -> None:
        with self._lock:
            self._pending[table][key] = value
            full = sum(len(rows) for rows in self._pending.values()) >= _PENDING_LIMIT
        if full:
            self.commit()

    def delete(self, table: str, keys: Iterable[str]) -> None:
        with self._lock:
            keys = list(keys)
            for key in keys:
                self._pending[table].pop(key, None)
                self._loaded[table].pop(key, None)
            doomed = [(self._stamp + key,) for key in keys]
            connection = self._connected(create=False)
            if connection is None or not doomed:
                return
            try:
                with _transaction(connection):
                    connection.executemany(f"DELETE FROM {table} WHERE key = ?", doomed)
            except sqlite3.Error:
                pass

    def commit(self) -> None:
        """Write the buffered rows in one transaction (a failure only loses the speed-up)."""
        with self._lock:
            pending = {table: rows for table, rows in self._pending.items() if rows}
            self._pending = {table: {} for table in self._tables}
            connection = self._connected(create=bool(pending))
            if connection is None or not pending:
                return
            now = time.time()
            try:
                with _transaction(connection):
                    for table, rows in pending.items():
                        connection.executemany(
                            f"INSERT OR REPLACE INTO {table} (key, value, written) "
                            "VALUES (?, ?, ?)",
                            [(self._stamp + key, value, now) for key, value in rows.items()],
                        )
            except sqlite3.Error:
                pass

    def count(self, table: str) -> int:
        with self._lock:
            connection = self._connected(create=False)
            if connection is None:
                return len(self._pending[table])
            try:
                row = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
            except sqlite3.Error:
                return 0
        return int(row[0])

    def trim(self, table: str, keep: int) -> None:
        """Drop the oldest-written rows past the newest `keep`."""
        self.commit()
        with self._lock:
            connection = self._connected(create=False)
            if connection is None:
                return
            try:
                with _transaction(connection):
                    connection.execute(
                        f"DELETE FROM {table} WHERE key NOT IN "
                        f"(SELECT key FROM {table} ORDER BY written DESC LIMIT ?)",
                        (keep,),
                    )
            except sqlite3.Error:
                pass

    def close(self) -> None:
        self.commit()
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    # -- opening ------------------------------------------------------------------------------

    def _connected(self, *, create: bool) -> sqlite3.Connection | None:
        """The connection, opening the file on first use (creating it only if `create`)."""
        if self._opened or self.path is None:
            return self._connection
        try:
            mode = self.path.lstat().st_mode
        except OSError:
            mode = None
        if mode is None and not create:
            return None
        self._opened = True
        # Only a regular file (not a symlink, FIFO or device someone put in its place):
        # anything else means no cache, never a read that hangs or leaves the folder.
        is_regular = mode is None or stat.S_ISREG(mode)
        self._connection = self._open(self.path) if is_regular else None
        return self._connection

    def _open(self, path: Path) -> sqlite3.Connection | None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return self._connect(path)
        except sqlite3.DatabaseError:
            pass  # not a database (a damaged file, or a cache from an older layout)
        except OSError:
            return None
        try:
            path.replace(path.with_name(path.name + ".damaged"))
            return self._connect(path)
        except (OSError, sqlite3.Error):
            return None

    def _connect(self, path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(
            path, timeout=_BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None
        )
        try:
            connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")  # a cache: speed over durability
            with _transaction(connection):
                for table in self._tables:
                    connection.execute(
                        f"CREATE TABLE IF NOT EXISTS {table} "
                        "(key TEXT PRIMARY KEY, value TEXT NOT NULL, written REAL NOT NULL)"
                    )
        except BaseException:
            connection.close()
            raise
        return connection


@contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken at once (IMMEDIATE) so two writers queue, not deadlock."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
