"""Remember computed values while their inputs stay the same.

`mkdocs serve` rebuilds the whole site on every save, while most decks did
not change. The plugin owns one `Memo` per kind of work (parsing, checks,
pages) for its lifetime; each keeps one entry per key (a deck's path), so it
never holds more than the course has.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class Memo(Generic[Key, Value]):
    def __init__(self) -> None:
        self._entries: dict[Key, tuple[Hashable, Value]] = {}

    def get(self, key: Key, inputs: Hashable, compute: Callable[[], Value]) -> Value:
        """The value for `key`, computed again only when `inputs` changed."""
        entry = self._entries.get(key)
        if entry is not None and entry[0] == inputs:
            return entry[1]
        value = compute()
        self._entries[key] = (inputs, value)
        return value

    def keep_only(self, keys: Iterable[Key]) -> None:
        """Forget every key not in `keys` (a deck that was deleted)."""
        wanted = set(keys)
        for key in [key for key in self._entries if key not in wanted]:
            del self._entries[key]
