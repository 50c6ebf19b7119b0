"""Recognising repeated webhook deliveries: LOQED delivers many events twice.

The copy comes about 4 s after the original, byte for byte the same, and often with other
events in between (the automatic latch after OPEN). So every delivery of the last
DUPLICATE_WINDOW_SECONDS is remembered, not only the last one. A genuine repeat later than
that counts again.
"""

from collections.abc import Callable, Hashable

from .clock import monotonic_clock

DUPLICATE_WINDOW_SECONDS = 10.0
# Real traffic brings a few deliveries a minute; the cap bounds memory under a flood.
MAX_REMEMBERED = 256


class DuplicateFilter:
    """Remembers what was delivered within the window, and when it was first seen."""

    def __init__(
        self,
        window: float = DUPLICATE_WINDOW_SECONDS,
        clock: Callable[[], float] = monotonic_clock,
        max_remembered: int = MAX_REMEMBERED,
    ) -> None:
        """Create a filter that has seen nothing."""
        self._window = window
        self._clock = clock
        self._max = max_remembered
        # Insertion order is time order: the oldest delivery comes first.
        self._first_seen: dict[Hashable, tuple[float, Hashable]] = {}
        # The same deliveries by tag, so that forgetting a tag costs no walk over all of them.
        self._by_tag: dict[Hashable, set[Hashable]] = {}

    def is_repeat(self, item: Hashable, tag: Hashable = None, *, supersedes: bool = False) -> bool:
        """Return True when `item` was seen within the window; else remember it, with a tag.

        With `supersedes`, a new item makes those of the same tag forgotten: a report that
        says the lock is back online again is news, though it repeats one of seconds ago.
        """
        now = self._clock()
        self._expire(now)
        if item in self._first_seen:
            return True  # a copy does not extend the window: a third delivery later is new
        if supersedes:
            self.forget(tag)
        self._first_seen[item] = (now, tag)
        self._by_tag.setdefault(tag, set()).add(item)
        if len(self._first_seen) > self._max:
            self._remove(next(iter(self._first_seen)))
        return False

    def forget(self, tag: Hashable) -> None:
        """Forget the deliveries remembered with `tag`: the next identical one is new."""
        for item in self._by_tag.pop(tag, ()):
            del self._first_seen[item]

    def forget_where(self, matches: Callable[[Hashable], bool]) -> None:
        """Forget the deliveries whose tag `matches`."""
        for tag in [tag for tag in self._by_tag if matches(tag)]:
            self.forget(tag)

    def _remove(self, item: Hashable) -> None:
        _, tag = self._first_seen.pop(item)
        items = self._by_tag[tag]
        items.discard(item)
        if not items:
            del self._by_tag[tag]

    def _expire(self, now: float) -> None:
        while self._first_seen:
            oldest = next(iter(self._first_seen))
            if now - self._first_seen[oldest][0] < self._window:
                return
            self._remove(oldest)
