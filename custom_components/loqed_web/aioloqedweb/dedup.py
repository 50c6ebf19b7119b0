"""Dropping of repeated webhook deliveries: LOQED sometimes sends one event twice."""

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

DUPLICATE_WINDOW_SECONDS = 10.0


class DuplicateFilter:
    """Remembers what was seen in the last `window` seconds."""

    def __init__(
        self, window: float = DUPLICATE_WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Create an empty filter."""
        self._window = window
        self._clock = clock
        self._seen: OrderedDict[Hashable, float] = OrderedDict()

    def is_repeat(self, item: Hashable) -> bool:
        """Return True when `item` was seen within the window; else remember it."""
        now = self._clock()
        # Insertion order is time order, so the expired entries are all at the front.
        while self._seen and now - next(iter(self._seen.values())) >= self._window:
            self._seen.popitem(last=False)
        if item in self._seen:
            return True
        self._seen[item] = now
        return False
