"""What happened at the lock: recent webhook deliveries (for diagnostics) and operations.

An operation is a movement as people speak of it ("Anna unlocked the door with Touch to Open");
the event entity, the logbook and automations use it.
"""

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from .aioloqedweb import (
    BatteryReport,
    BoltState,
    GoingToState,
    Method,
    MotorStall,
    OnlineReport,
    Operator,
    Rejection,
    SignalReport,
    StateReached,
    WebhookEvent,
)
from .data import LockData, changes

RECENT_DELIVERIES = 20

# Event types of the event entity (translated in strings.json, also for the logbook).
OPERATION_TYPES = ("lock", "unlock", "open", "going_to_lock", "going_to_unlock", "going_to_open", "motor_stall")
_REACHED = {BoltState.NIGHT_LOCK: "lock", BoltState.DAY_LOCK: "unlock", BoltState.OPEN: "open"}
_GOING = {BoltState.NIGHT_LOCK: "going_to_lock", BoltState.DAY_LOCK: "going_to_unlock", BoltState.OPEN: "going_to_open"}
_REPORT_NAMES: dict[type[WebhookEvent], str] = {
    BatteryReport: "battery",
    SignalReport: "signal",
    OnlineReport: "online",
}


@dataclass(frozen=True, slots=True)
class Operation:
    """One movement of the lock, who caused it and how."""

    type: str
    state: str | None
    operator: Operator
    method: Method
    at: datetime

    @property
    def is_complete(self) -> bool:
        """True when the lock got somewhere (or stalled); False for "started …"."""
        return not self.type.startswith("going_to_")

    def attributes(self) -> dict[str, str | int | bool | None]:
        """Return the event's attributes for automations (a new dict: callers may add to it)."""
        operator = self.operator
        return {"state": self.state, "method": self.method.value, "key_id": operator.key_local_id,
                "user_name": operator.user_name, "account_name": operator.account_name,
                "admin_name": operator.admin_name, "remote": self.method is Method.REMOTE}  # fmt: skip


def operation_from(event: WebhookEvent, method: Method, at: datetime) -> Operation | None:
    """Return the operation an event describes, or None for reports (battery, signal, online)."""
    # isinstance, not class patterns: a pattern reads each attribute through a lookup of its own.
    if isinstance(event, StateReached):
        name = _REACHED.get(event.state)
        return None if name is None else Operation(name, event.state.value, event.operator, method, at)
    if isinstance(event, GoingToState):
        name = _GOING.get(event.target)
        return None if name is None else Operation(name, event.target.value, event.operator, method, at)
    if isinstance(event, MotorStall):
        return Operation("motor_stall", None, event.operator, method, at)
    return None


def event_name(event: WebhookEvent) -> str:
    """Return how LOQED names an event (its event type), or the kind of a report."""
    if isinstance(event, StateReached | GoingToState | MotorStall):
        return event.event_type or type(event).__name__
    return _REPORT_NAMES[type(event)]


_NOTHING: Mapping[str, Any] = MappingProxyType({})  # shared: most deliveries have no stored changes


@dataclass(frozen=True, slots=True)
class Delivery:
    """One webhook call as diagnostics show it: what LOQED sent and what it led to."""

    at: datetime
    # The events as parsed, or their names (read back from storage): named only when asked.
    sent: tuple[WebhookEvent | str, ...]
    applied: bool
    reason: str | None = None
    stored_led_to: Mapping[str, Any] = _NOTHING  # as read back from storage
    # (before, after): what the call changed is worked out only when diagnostics or a save ask.
    states: tuple[LockData, LockData] | None = None

    @property
    def events(self) -> tuple[str, ...]:
        """Return the names of the events the call carried."""
        return tuple(item if isinstance(item, str) else event_name(item) for item in self.sent)

    @property
    def led_to(self) -> dict[str, Any]:
        """Return what the call changed, and the lock's state after it."""
        return changes(*self.states) if self.states else dict(self.stored_led_to)

    def as_stored(self) -> dict[str, Any]:
        """Return a JSON-safe dict, to keep the history across restarts and reloads."""
        return {"at": self.at.isoformat(), "events": list(self.events), "applied": self.applied,
                "reason": self.reason, "led_to": self.led_to}  # fmt: skip

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> Delivery | None:
        """Rebuild what `as_stored` saved; None for anything unreadable."""
        try:
            return cls(
                at=datetime.fromisoformat(stored["at"]),
                sent=tuple(str(event) for event in stored["events"]),
                applied=stored["applied"] is True,
                reason=stored.get("reason") if isinstance(stored.get("reason"), str) else None,
                stored_led_to=stored["led_to"] if isinstance(stored.get("led_to"), dict) else {},
            )
        except KeyError, TypeError, ValueError:
            return None


class Activity:
    """The last deliveries and the last operation of one lock."""

    def __init__(self, stored_deliveries: list[Any] | None = None) -> None:
        """Start with the deliveries kept from before a restart or reload, if any."""
        restored = (Delivery.from_stored(item) for item in stored_deliveries or [] if isinstance(item, dict))
        self.deliveries: deque[Delivery] = deque(filter(None, restored), maxlen=RECENT_DELIVERIES)
        self.last_operation: Operation | None = None

    def stored_deliveries(self) -> list[dict[str, Any]]:
        """Return the deliveries to keep."""
        return [delivery.as_stored() for delivery in self.deliveries]

    def record_rejection(self, rejection: Rejection, at: datetime) -> None:
        """Remember a call that changed nothing, and why."""
        self.deliveries.append(Delivery(at, (), False, f"{rejection.reason}: {rejection.detail}"))

    def record_copy(self, events: tuple[WebhookEvent, ...], at: datetime) -> None:
        """Remember a call that repeated an earlier delivery, and so changed nothing."""
        self.deliveries.append(Delivery(at, events, False, "copy of an earlier delivery"))

    def record_correction(self, states: tuple[LockData, LockData], at: datetime) -> None:
        """Remember what the account's lock list corrected, because LOQED's webhooks missed it."""
        self.deliveries.append(Delivery(at, ("lock_list",), True, "corrected from the lock list", states=states))

    def record_applied(
        self,
        events: tuple[WebhookEvent, ...],
        operations: list[Operation],
        states: tuple[LockData, LockData],
        at: datetime,
    ) -> None:
        """Remember an applied call, the operations it made, and the data before and after it."""
        self.deliveries.append(Delivery(at, events, True, states=states))
        if operations:
            self.last_operation = operations[-1]
