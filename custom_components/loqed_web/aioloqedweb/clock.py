"""Default clocks, looked up at call time so that a clock patched in tests (freezegun) applies."""

import time


def wall_clock() -> float:
    """Return the unix time in seconds."""
    return time.time()


def monotonic_clock() -> float:
    """Return a clock that never goes back, in seconds."""
    return time.monotonic()
