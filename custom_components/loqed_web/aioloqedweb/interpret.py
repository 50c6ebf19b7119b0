"""What one webhook call means for one lock: whose it is, copies, late events, who and how.

LOQED delivers most events twice, about 4 s apart and byte for byte the same, with other events
in between; a "going to" event may arrive after its "reached" event; a "reached" event does not
say how the lock got there (the "going to" before it does); and the latch that falls back by
itself after OPEN is a keyless event like a knob turn. The interpreter reads a call as a person
would, and returns the lock's new data and the operations ("Anna opened the door") it made.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

from .clock import monotonic_clock, wall_clock
from .dedup import DuplicateFilter
from .events import MOVEMENTS, GoingToState, Operator, StateReached, WebhookMessage
from .identity import LockIdentity, Verdict
from .models import BoltState
from .movements import MethodTracker
from .operations import Operation, operation_from
from .state import LockData, apply_event

# A "going to" event for a state the same key reached this recently came out of order, after
# its "reached" event (LOQED sends no timestamps): it starts no transition.
LATE_GOING_TO_SECONDS = 10.0


class Outcome(StrEnum):
    """What became of a call."""

    APPLIED = "applied"
    COPY = "copy"  # a copy of an earlier delivery: nothing changed
    FOREIGN = "foreign"  # it names another lock: nothing changed


@dataclass(frozen=True, slots=True)
class Interpretation:
    """The lock's data after a call, and what the call made of it."""

    outcome: Outcome
    data: LockData
    operations: tuple[Operation, ...] = ()
    learnt_lock_id: str | None = None  # the numeric lock id this call taught
    late_events: int = 0  # "going to" events that came after their "reached" event, left out

    @property
    def confirms(self) -> bool:
        """True when the call says where the lock arrived: LOQED's events get through."""
        return any(operation.is_complete for operation in self.operations)


class EventInterpreter:
    """Reads the calls of one lock, in the order they arrive."""

    def __init__(
        self,
        identity: LockIdentity,
        *,
        command_key_id: int | None = None,
        clock: Callable[[], float] = monotonic_clock,
        now: Callable[[], float] = wall_clock,
    ) -> None:
        """Read calls for the lock of `identity`; `command_key_id` is the key our commands use, if known."""
        self.identity = identity
        self._command_key_id = command_key_id
        self._clock = clock
        self._now = now
        self._copies = DuplicateFilter(clock=clock)
        self._methods = MethodTracker(clock)
        # When each state was last reached (monotonic), and by whom: a late "going to" is told by it.
        self._reached: dict[BoltState, tuple[float, Operator]] = {}

    def interpret(self, data: LockData, message: WebhookMessage, delivery: Hashable) -> Interpretation:
        """Return what the call `message` means for `data`.

        `delivery` identifies the call byte for byte (body and query): LOQED's copies match it.
        """
        verdict = self.identity.check(message.lock_id)
        if verdict is Verdict.FOREIGN:
            return Interpretation(Outcome.FOREIGN, data)
        tag = _confirmation_tag(message)
        if self._copies.is_repeat(delivery, tag or _report_tag(message), supersedes=tag is None):
            return Interpretation(Outcome.COPY, data)
        arrived_at = self._now()
        at = datetime.fromtimestamp(arrived_at, UTC)
        operations: list[Operation] = []
        late = 0
        for event in message.events:
            method = None
            if isinstance(event, GoingToState) and self._is_late(event):
                late += 1
                continue
            if isinstance(event, StateReached):
                self._reached[event.state] = (self._clock(), event.operator)
            if isinstance(event, MOVEMENTS):
                method = self._methods.method_for(event)
                if operation := operation_from(event, method, at):
                    operations.append(operation)
            data = apply_event(data, event, method, arrived_at=arrived_at)
            if isinstance(event, StateReached) and event.state is BoltState.OPEN:
                # A new OPEN is followed by a new automatic latch, byte for byte like the last one.
                self._copies.forget((None, BoltState.DAY_LOCK))
        if data.last_event_at != arrived_at:  # every event was left out (a late "going to")
            data = replace(data, last_event_at=arrived_at)
        learnt = message.lock_id if verdict is Verdict.LEARNT else None
        return Interpretation(Outcome.APPLIED, data, tuple(operations), learnt, late)

    def expect_command(self, target: BoltState) -> None:
        """Take the next confirmation of a move to `target` as news, not as a copy.

        It may repeat, byte for byte, the events of a move to the same state moments ago: those
        are forgotten now (by any key, when the key our commands use is not known).
        """
        key_id = self._command_key_id
        self._copies.forget_where(
            lambda tag: tag == (key_id, target) or (key_id is None and isinstance(tag, tuple) and tag[1:] == (target,))
        )

    def _is_late(self, event: GoingToState) -> bool:
        """Return True for a "going to" event whose state the same key reached moments ago."""
        reached_at, operator = self._reached.get(event.target, (None, None))
        recent = reached_at is not None and self._clock() - reached_at < LATE_GOING_TO_SECONDS
        return recent and operator == event.operator


def _confirmation_tag(message: WebhookMessage) -> tuple[int | None, BoltState] | None:
    """Return (key id, state) of the movement a call carries, to forget it before a command."""
    for event in message.events:
        if isinstance(event, StateReached):
            return (event.operator.key_local_id, event.state)
        if isinstance(event, GoingToState):
            return (event.operator.key_local_id, event.target)
    return None


def _report_tag(message: WebhookMessage) -> tuple[str, ...]:
    """Return the kinds of report (battery, signal, online) a call carries.

    A report states a value: the newest of its kind supersedes the older ones, so that a value
    that changes back within seconds (online, offline, online) is applied, not taken for a copy.
    """
    return tuple(type(event).__name__ for event in message.events)
