"""What happened at the lock: the recent webhook calls and reads (for diagnostics), and the last operation."""

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from .aioloqedweb import (
    BatteryReport,
    GoingToState,
    Interpretation,
    LockData,
    MotorStall,
    OnlineReport,
    Operation,
    Outcome,
    Rejection,
    RejectReason,
    SignalReport,
    StateReached,
    WebhookEvent,
    WebhookMessage,
)
from .aioloqedweb.state import changes

RECENT_DELIVERIES = 20
_REPORT_NAMES: dict[type[WebhookEvent], str] = {
    BatteryReport: "battery",
    SignalReport: "signal",
    OnlineReport: "online",
}


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

    def record_correction(self, source: str, states: tuple[LockData, LockData], at: datetime) -> None:
        """Remember what a read of LOQED (`source`: status or lock_list) corrected, which webhooks missed."""
        self.deliveries.append(Delivery(at, (source,), True, f"corrected from the {source}", states=states))

    def record_stale_read(self, source: str, at: datetime) -> None:
        """Remember a read that was not applied: a movement was under way, or an event is newer."""
        self.deliveries.append(Delivery(at, (source,), False, "older than the newest event or during a movement"))

    def record(self, message: WebhookMessage, result: Interpretation, before: LockData, at: datetime) -> None:
        """Remember a webhook call and what the interpreter made of it."""
        if result.outcome is Outcome.FOREIGN:
            self.record_rejection(Rejection(RejectReason.WRONG_LOCK, "another lock"), at)
        elif result.outcome is Outcome.COPY:
            self.record_copy(message.events, at)
        else:
            self.record_applied(message.events, result.operations, (before, result.data), at)

    def record_applied(
        self,
        events: tuple[WebhookEvent, ...],
        operations: tuple[Operation, ...],
        states: tuple[LockData, LockData],
        at: datetime,
    ) -> None:
        """Remember an applied call, the operations it made, and the data before and after it."""
        self.deliveries.append(Delivery(at, events, True, states=states))
        if operations:
            self.last_operation = operations[-1]
