"""What is known about one lock, and how each webhook event changes it.

Pure functions over plain dataclasses: the coordinator feeds events in, entities read out.
"""

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .aioloqedweb import (
    BatteryReport,
    BatteryType,
    BoltState,
    GoingToState,
    LockStatus,
    MotorStall,
    OnlineReport,
    Operator,
    SignalReport,
    StateReached,
    WebhookEvent,
)


@dataclass(frozen=True, slots=True)
class LockData:
    """The coordinator's data: the last known state of one lock."""

    bolt_state: BoltState | None = None
    moving_to: BoltState | None = None
    jammed: bool = False
    battery_percentage: int | None = None
    battery_type: BatteryType | None = None
    wifi_strength: int | None = None
    ble_strength: int | None = None
    lock_online: bool | None = None
    bridge_online: bool | None = None
    operator: Operator | None = None
    status_fetched_at: float | None = None
    last_event_at: float | None = None
    known: bool = field(default=False)

    @property
    def operator_name(self) -> str | None:
        """Who last operated the lock: a name, "Manual" for knob or button, or None."""
        if self.operator is None:
            return None
        return "Manual" if self.operator.is_manual else self.operator.display_name

    def as_stored(self) -> dict[str, Any]:
        """Return a JSON-safe dict to persist; a transition in progress is not kept."""
        stored = asdict(replace(self, moving_to=None))
        stored["operator"] = asdict(self.operator) if self.operator else None
        return stored

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> LockData:
        """Rebuild what `as_stored` saved; unknown or broken values become None."""

        def enum[T: (BoltState, BatteryType)](kind: type[T], value: object) -> T | None:
            return kind(value) if value in {member.value for member in kind} else None

        operator = stored.get("operator")
        return cls(
            bolt_state=enum(BoltState, stored.get("bolt_state")),
            jammed=stored.get("jammed") is True,
            battery_percentage=_int_or_none(stored.get("battery_percentage")),
            battery_type=enum(BatteryType, stored.get("battery_type")),
            wifi_strength=_int_or_none(stored.get("wifi_strength")),
            ble_strength=_int_or_none(stored.get("ble_strength")),
            lock_online=_bool_or_none(stored.get("lock_online")),
            bridge_online=_bool_or_none(stored.get("bridge_online")),
            operator=Operator(**operator) if isinstance(operator, dict) else None,
            status_fetched_at=_float_or_none(stored.get("status_fetched_at")),
            last_event_at=_float_or_none(stored.get("last_event_at")),
            known=stored.get("known") is True,
        )


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float_or_none(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _bool_or_none(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def apply_status(data: LockData, status: LockStatus, fetched_at: float) -> LockData:
    """Return `data` updated by an answer of the status call."""
    return replace(
        data,
        bolt_state=status.bolt_state,
        moving_to=None,
        jammed=False,
        battery_percentage=status.battery_percentage,
        battery_type=status.battery_type,
        lock_online=status.lock_online,
        bridge_online=status.bridge_online,
        status_fetched_at=fetched_at,
        known=True,
    )


def apply_event(data: LockData, event: WebhookEvent) -> LockData:
    """Return `data` updated by one webhook event."""
    # Every event travelled lock -> bridge -> LOQED's cloud, so the bridge is online.
    data = replace(data, known=True, bridge_online=True)
    match event:
        case StateReached(state=state, operator=operator):
            return replace(data, bolt_state=state, moving_to=None, jammed=False, lock_online=True, operator=operator)
        case GoingToState(target=target, operator=operator):
            # Already there: a command for the current state, or a "going to" delivered after
            # its "reached". Either way the lock will not move, so show no transition.
            moving_to = None if target == data.bolt_state else target
            return replace(data, moving_to=moving_to, jammed=False, lock_online=True, operator=operator)
        case MotorStall(operator=operator):
            return replace(data, moving_to=None, jammed=True, lock_online=True, operator=operator)
        case SignalReport(wifi_strength=wifi, ble_strength=ble):
            return replace(
                data,
                wifi_strength=wifi if wifi is not None else data.wifi_strength,
                ble_strength=ble if ble is not None else data.ble_strength,
            )
        case BatteryReport(percentage=percentage):
            return replace(data, battery_percentage=percentage)
        case OnlineReport(online=online):
            return replace(data, lock_online=online)
