"""Recognising repeated webhook deliveries: LOQED sometimes sends one event twice.

A repeat is the same event again within the window, with no other event in between. The same
event after another one is a new movement (locked, unlocked, locked again), not a repeat.
"""

from collections.abc import Callable, Hashable

from .clock import monotonic_clock

DUPLICATE_WINDOW_SECONDS = 10.0


class DuplicateFilter:
    """Remembers the last event seen and when."""

    def __init__(self, window: float = DUPLICATE_WINDOW_SECONDS, clock: Callable[[], float] = monotonic_clock) -> None:
        """Create a filter that has seen nothing."""
        self._window = window
        self._clock = clock
        self._last: Hashable | None = None
        self._last_at = 0.0

    def is_repeat(self, item: Hashable) -> bool:
        """Return True when `item` repeats the last item within the window; else remember it."""
        now = self._clock()
        if item == self._last and now - self._last_at < self._window:
            return True
        self._last, self._last_at = item, now
        return False
