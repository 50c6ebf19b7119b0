"""How each movement was made, read from the event stream as a person would read it.

A "reached" event does not say how the lock got there; the "going to" event before it does.
Keyless movements have no "going to" event when the knob was turned, and the latch that
follows OPEN by itself is a keyless DAY_LOCK a few seconds later.
"""

from collections.abc import Callable

from .clock import monotonic_clock
from .events import GoingToState, MotorStall, StateReached
from .models import BoltState, Method

# A "reached" event this long after a "going to" event is taken as its end.
GOING_TO_WINDOW_SECONDS = 30.0
# A keyless DAY_LOCK this soon after OPEN is the lock latching by itself (unverified bound).
AUTOMATIC_LATCH_SECONDS = 10.0


class MethodTracker:
    """Follows one lock's movements and names how each was made."""

    def __init__(self, clock: Callable[[], float] = monotonic_clock) -> None:
        """Start with no movement seen."""
        self._clock = clock
        self._going: tuple[Method, float] | None = None
        self._opened_at: float | None = None

    def method_for(self, event: StateReached | GoingToState | MotorStall) -> Method:
        """Return how the movement `event` belongs to was made, and remember what it tells."""
        now = self._clock()
        if isinstance(event, GoingToState):
            self._going = (event.method, now)
            return event.method
        going, self._going = self._going, None
        if isinstance(event, MotorStall):
            return going[0] if going and now - going[1] <= GOING_TO_WINDOW_SECONDS else Method.UNKNOWN
        opened_at, self._opened_at = self._opened_at, now if event.state is BoltState.OPEN else None
        if going and now - going[1] <= GOING_TO_WINDOW_SECONDS:
            return going[0]
        if not event.operator.is_keyless:
            return Method.UNKNOWN
        if event.state is BoltState.DAY_LOCK and opened_at is not None and now - opened_at <= AUTOMATIC_LATCH_SECONDS:
            return Method.AUTOMATIC
        return Method.KNOB
