"""What happened at the lock: recent webhook deliveries (for diagnostics) and operations.

An operation is a movement as people speak of it ("Anna unlocked the door"); the event entity,
the logbook and automations use it.
"""

from collections import deque
from dataclasses import dataclass
from datetime import datetime

from .aioloqedweb import BoltState, GoingToState, MotorStall, Operator, Rejection, StateReached, WebhookEvent

RECENT_DELIVERIES = 20

# Event types of the event entity (and the logbook's words for them).
OPERATION_TYPES = {
    "lock": "locked",
    "unlock": "unlocked",
    "open": "opened",
    "going_to_lock": "started locking",
    "going_to_unlock": "started unlocking",
    "going_to_open": "started opening",
    "motor_stall": "jammed (motor stall)",
    "manual_operation": "was operated by hand",
}
_REACHED = {BoltState.NIGHT_LOCK: "lock", BoltState.DAY_LOCK: "unlock", BoltState.OPEN: "open"}
_GOING = {BoltState.NIGHT_LOCK: "going_to_lock", BoltState.DAY_LOCK: "going_to_unlock", BoltState.OPEN: "going_to_open"}


@dataclass(frozen=True, slots=True)
class Operation:
    """One movement of the lock and who caused it."""

    type: str
    state: str | None
    operator: Operator
    remote: bool
    at: datetime

    def attributes(self) -> dict[str, str | int | bool | None]:
        """Return the event's attributes for automations."""
        return {
            "state": self.state,
            "key_id": self.operator.key_local_id,
            "user_name": self.operator.user_name,
            "account_name": self.operator.account_name,
            "admin_name": self.operator.admin_name,
            "remote": self.remote,
        }

    def describe(self) -> str:
        """Return the logbook's words: "unlocked by Anna (key 3)"."""
        verb = OPERATION_TYPES[self.type]
        if self.operator.is_manual or self.operator.display_name is None:
            return verb
        key = f" (key {self.operator.key_local_id})" if self.operator.key_local_id is not None else ""
        return f"{verb} by {self.operator.display_name}{key}"


def operation_from(event: WebhookEvent, at: datetime) -> Operation | None:
    """Return the operation an event describes, or None for reports (battery, signal, online)."""
    match event:
        case StateReached(state=state, operator=operator) if state in _REACHED:
            kind = "manual_operation" if operator.is_manual else _REACHED[state]
            return Operation(kind, state.value, operator, False, at)
        case GoingToState(target=target, operator=operator) if target in _GOING:
            return Operation(_GOING[target], target.value, operator, event.is_remote, at)
        case MotorStall(operator=operator):
            return Operation("motor_stall", None, operator, False, at)
    return None


@dataclass(frozen=True, slots=True)
class Delivery:
    """One webhook call as diagnostics show it."""

    at: datetime
    events: tuple[str, ...]
    applied: bool
    reason: str | None = None


class Activity:
    """The last deliveries and the last operation of one lock."""

    def __init__(self) -> None:
        """Start with nothing seen."""
        self.deliveries: deque[Delivery] = deque(maxlen=RECENT_DELIVERIES)
        self.last_operation: Operation | None = None

    def record_rejection(self, rejection: Rejection, at: datetime) -> None:
        """Remember a call that changed nothing, and why."""
        self.deliveries.append(Delivery(at, (), False, f"{rejection.reason}: {rejection.detail}"))

    def record_events(self, events: list[tuple[WebhookEvent, bool]], at: datetime) -> list[Operation]:
        """Remember a call's events (each with whether it was applied); return new operations."""
        applied = [event for event, was_applied in events if was_applied]
        reason = None if applied else "repeated delivery"
        self.deliveries.append(Delivery(at, tuple(type(event).__name__ for event, _ in events), bool(applied), reason))
        operations = [op for event in applied if (op := operation_from(event, at)) is not None]
        if operations:
            self.last_operation = operations[-1]
        return operations
