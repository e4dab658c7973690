"""A sequence kept on disk: the claims of a check and its findings, one record each.

At 30,000 claims the pass's claims and findings held as objects were most of a run's
memory, though each is needed only a few at a time (a batch to score, an article to
report). A Spill pickles each item to an anonymous temporary file in the cache folder and
keeps only its offset and length, so memory holds two integers per item; reading an item
back unpickles it again, a fresh object each time.

Pickle is safe here: the file has no name (it is unlinked as soon as it is made), so only
this process can read or write it, and it only ever holds what this process wrote. It
vanishes when closed, or when the process ends in any way, so an interrupted run leaves
nothing behind and the next run starts its own.
"""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Generic, TypeVar, overload

from verifier.ledger.cache import cache_dir, ensure_cache_dir

T = TypeVar("T")

_UNSET = -1


class Spill(Sequence[T], Generic[T]):
    """`size` slots, each written once (`spill[i] = item` or `append`), read any number of
    times in any order. Close it (or use `with`) to free the file."""

    def __init__(self, folder: Path | None = None, size: int = 0) -> None:
        self._file: IO[bytes] = _anonymous_file(folder)
        self._starts = array("q", [_UNSET]) * size
        self._lengths = array("q", [0]) * size
        self._end = 0

    @classmethod
    def of(cls, items: Iterable[T], folder: Path | None = None) -> Spill[T]:
        spill: Spill[T] = cls(folder)
        for item in items:
            spill.append(item)
        return spill

    def append(self, item: T) -> None:
        self._starts.append(_UNSET)
        self._lengths.append(0)
        self[len(self._starts) - 1] = item

    def __setitem__(self, index: int, item: T) -> None:
        if self._starts[index] != _UNSET:
            raise ValueError(f"slot {index} of the spill is already written")
        record = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(self._end)
        self._file.write(record)
        self._starts[index] = self._end
        self._lengths[index] = len(record)
        self._end += len(record)

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        start = self._starts[index]
        if start == _UNSET:
            raise LookupError(f"slot {index} of the spill was never written")
        self._file.seek(start)
        item: T = pickle.loads(self._file.read(self._lengths[index]))
        return item

    def __iter__(self) -> Iterator[T]:
        for index in range(len(self)):
            yield self[index]

    def is_full(self) -> bool:
        """Whether every slot was written."""
        return _UNSET not in self._starts

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spill[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _anonymous_file(folder: Path | None) -> IO[bytes]:
    """An unnamed file in `folder` (the cache folder), else in the system's temporary
    folder: a read-only checkout, or caching turned off, still runs."""
    if folder is not None:
        try:
            ensure_cache_dir(folder)
            return tempfile.TemporaryFile(dir=folder)
        except OSError:
            pass
    return tempfile.TemporaryFile()


def spill_folder(ledger_path: Path) -> Path | None:
    """Where a run's spills go: the ledger's cache folder (None when caching is off)."""
    return cache_dir(ledger_path)
