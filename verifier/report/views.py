"""Two sequences of findings read as one, without copying either into a list.

A `--changed-since` run reports this run's findings (spilled to disk) followed by those
carried from the last run's results; a list of both would hold every finding at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class Joined(Sequence[T]):
    """`first` then `second`, indexed and iterated in that order."""

    def __init__(self, first: Sequence[T], second: Sequence[T]) -> None:
        self._first = first
        self._second = second

    def __len__(self) -> int:
        return len(self._first) + len(self._second)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        split = len(self._first)
        return self._first[index] if index < split else self._second[index - split]

    def __iter__(self) -> Iterator[T]:
        yield from self._first
        yield from self._second
