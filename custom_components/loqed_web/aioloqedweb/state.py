"""What is known about one lock, and how each event or read of LOQED changes it.

Pure functions over plain dataclasses: the interpreter feeds events in, entities read out.
"""

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from enum import Enum
from itertools import repeat
from operator import attrgetter, call
from typing import Any

from .events import (
    BatteryReport,
    GoingToState,
    MotorStall,
    OnlineReport,
    Operator,
    SignalReport,
    StateReached,
    WebhookEvent,
)
from .models import BatteryType, BoltState, LockStatus, Method

# A read of LOQED (status or lock list) asked for this soon after an event may be older than the
# event: LOQED's cloud updates what it reads from the events it relays.
QUIET_AFTER_EVENT_SECONDS = 30.0


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
    method: Method | None = None
    # Settings the account's lock list reports (None: not known, e.g. an API key's lock).
    party_mode: bool | None = None
    guest_access: bool | None = None
    twist_assist: bool | None = None
    touch_to_connect: bool | None = None
    # Whether the account's lock list names the lock (None: an API key's lock, or not read yet).
    in_account: bool | None = None
    status_fetched_at: float | None = None
    last_event_at: float | None = None
    known: bool = field(default=False)

    @property
    def operator_name(self) -> str | None:
        """Who last moved the lock: a name, or "manual" (translated) when no key did (knob, button)."""
        if self.operator is None:
            return None
        return "manual" if self.operator.is_keyless else self.operator.display_name

    @property
    def lock_state(self) -> str:
        """Return the lock entity's state as Home Assistant names it (for diagnostics)."""
        if self.jammed:
            return "jammed"
        if self.moving_to is not None:
            return _MOVING[self.moving_to]
        return _REACHED.get(self.bolt_state, "unknown") if self.bolt_state else "unknown"

    def evolve(self, changes: Mapping[str, Any]) -> LockData:
        """Return a copy with `changes`: what `dataclasses.replace` does, in half the time.

        The webhook path makes one copy per event; replace() checks every field's kind anew.
        """
        if not changes.keys() <= _FIELD_NAMES:
            raise TypeError(f"not fields of LockData: {sorted(changes.keys() - _FIELD_NAMES)}")
        copy = object.__new__(LockData)
        # Each field: its change, else its value; set through the slot's own setter. Iterated
        # in C (map), as no Python loop runs per field.
        values = map(changes.get, _FIELD_ORDER, _values(self), strict=True)
        deque(map(call, _FIELD_SETTERS, repeat(copy), values), maxlen=0)
        return copy

    def as_stored(self) -> dict[str, Any]:
        """Return a JSON-safe dict to persist; a transition in progress is not kept."""
        stored = asdict(replace(self, moving_to=None))
        stored["operator"] = asdict(self.operator) if self.operator else None
        return stored

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> LockData:
        """Rebuild what `as_stored` saved; unknown or broken values become None."""

        def enum[T: (BoltState, BatteryType, Method)](kind: type[T], value: object) -> T | None:
            return kind(value) if value in {member.value for member in kind} else None

        return cls(
            bolt_state=enum(BoltState, stored.get("bolt_state")),
            jammed=stored.get("jammed") is True,
            battery_percentage=_int_or_none(stored.get("battery_percentage")),
            battery_type=enum(BatteryType, stored.get("battery_type")),
            wifi_strength=_int_or_none(stored.get("wifi_strength")),
            ble_strength=_int_or_none(stored.get("ble_strength")),
            lock_online=_bool_or_none(stored.get("lock_online")),
            bridge_online=_bool_or_none(stored.get("bridge_online")),
            operator=_operator_or_none(stored.get("operator")),
            method=enum(Method, stored.get("method")),
            party_mode=_bool_or_none(stored.get("party_mode")),
            guest_access=_bool_or_none(stored.get("guest_access")),
            twist_assist=_bool_or_none(stored.get("twist_assist")),
            touch_to_connect=_bool_or_none(stored.get("touch_to_connect")),
            in_account=_bool_or_none(stored.get("in_account")),
            status_fetched_at=_float_or_none(stored.get("status_fetched_at")),
            last_event_at=_float_or_none(stored.get("last_event_at")),
            known=stored.get("known") is True,
        )


_FIELD_ORDER = tuple(item.name for item in fields(LockData))
_FIELD_NAMES = frozenset(_FIELD_ORDER)
_values = attrgetter(*_FIELD_ORDER)
# A frozen dataclass sets its fields through object.__setattr__; LockData.evolve calls each
# slot's own setter, which skips the lookup of the name.
_FIELD_SETTERS = tuple(LockData.__dict__[name].__set__ for name in _FIELD_ORDER)

_REACHED = {BoltState.NIGHT_LOCK: "locked", BoltState.DAY_LOCK: "unlocked", BoltState.OPEN: "open"}
_MOVING = {
    BoltState.NIGHT_LOCK: "locking",
    BoltState.DAY_LOCK: "unlocking",
    BoltState.OPEN: "opening",
    BoltState.UNKNOWN: "unknown",
}


# Bookkeeping, and names (personal data): not what a delivery "led to" in diagnostics.
_NOT_A_CHANGE = frozenset({"operator", "status_fetched_at", "last_event_at", "known", "in_account"})


def changes(before: LockData, after: LockData) -> dict[str, Any]:
    """Return what differs from `before` in `after` (JSON-safe), with the lock's state after."""
    changed: dict[str, Any] = {}
    for item in fields(after):
        value = getattr(after, item.name)
        if item.name not in _NOT_A_CHANGE and value != getattr(before, item.name):
            changed[item.name] = value.value if isinstance(value, Enum) else value
    return changed | {"lock_state": after.lock_state}


def _operator_or_none(value: object) -> Operator | None:
    """Read a saved operator field by field: a file from another version may have other keys."""
    if not isinstance(value, dict):
        return None
    key_id = _int_or_none(value.get("key_local_id"))
    names = {name: text if isinstance(text := value.get(name), str) else None for name in _OPERATOR_NAMES}
    return Operator(key_local_id=key_id, **names)


_OPERATOR_NAMES = ("user_name", "admin_name", "account_name", "account_email")


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


def read_is_current(data: LockData, requested_at: float) -> bool:
    """Return True when a read asked for at `requested_at` may replace what `data` says.

    Webhooks are the source of truth: a read is older than a movement under way, and may be
    older than an event of the last QUIET_AFTER_EVENT_SECONDS (or one that came after it was asked).
    """
    if data.moving_to is not None:
        return False
    return data.last_event_at is None or requested_at >= data.last_event_at + QUIET_AFTER_EVENT_SECONDS


def merge_list_status(data: LockData, status: LockStatus, fetched_at: float) -> LockData:
    """Return `data` with what an account's lock list says; what the list does not say is kept."""
    return replace(
        data,
        in_account=True,
        party_mode=status.party_mode,
        guest_access=status.guest_access_mode,
        twist_assist=status.twist_assist,
        touch_to_connect=status.touch_to_connect,
        bolt_state=data.bolt_state if status.bolt_state is BoltState.UNKNOWN else status.bolt_state,
        moving_to=None,
        battery_percentage=data.battery_percentage if status.battery_percentage is None else status.battery_percentage,
        battery_type=data.battery_type if status.battery_type is BatteryType.UNKNOWN else status.battery_type,
        lock_online=data.lock_online if status.lock_online is None else status.lock_online,
        status_fetched_at=fetched_at,
        known=True,
    )


def apply_event(
    data: LockData, event: WebhookEvent, method: Method | None = None, *, arrived_at: float | None = None
) -> LockData:
    """Return `data` updated by one webhook event; `method` says how a movement was made.

    `arrived_at` (a timestamp) becomes `last_event_at` in the same step: one copy, not two.
    """
    changes = _CHANGES_BY_EVENT[type(event)](data, event, method)
    # Every event travelled lock -> bridge -> LOQED's cloud, so the bridge is online.
    changes["known"] = changes["bridge_online"] = True
    if arrived_at is not None:
        changes["last_event_at"] = arrived_at
    return data.evolve(changes)


def _reached(_data: LockData, event: StateReached, method: Method | None) -> dict[str, Any]:
    changes: dict[str, Any] = {"bolt_state": event.state, "moving_to": None, "jammed": False, "lock_online": True}
    if method is not Method.AUTOMATIC:
        # The latch falling back after OPEN is a consequence of that opening, not a new operator:
        # who opened the door (and how) stays the lock's `changed_by`.
        changes |= {"operator": event.operator, "method": method}
    return changes


def _going_to(data: LockData, event: GoingToState, method: Method | None) -> dict[str, Any]:
    # Already there: a command for the current state, or a "going to" delivered after its
    # "reached". Either way the lock will not move, so show no transition.
    moving_to = None if event.target == data.bolt_state else event.target
    return {"moving_to": moving_to, "jammed": False, "lock_online": True, "operator": event.operator,
            "method": method}  # fmt: skip


def _stalled(_data: LockData, event: MotorStall, method: Method | None) -> dict[str, Any]:
    return {"moving_to": None, "jammed": True, "lock_online": True, "operator": event.operator, "method": method}


def _signal(data: LockData, event: SignalReport, _method: Method | None) -> dict[str, Any]:
    return {
        "wifi_strength": data.wifi_strength if event.wifi_strength is None else event.wifi_strength,
        "ble_strength": data.ble_strength if event.ble_strength is None else event.ble_strength,
    }


def _battery(_data: LockData, event: BatteryReport, _method: Method | None) -> dict[str, Any]:
    return {"battery_percentage": event.percentage}


def _online(_data: LockData, event: OnlineReport, _method: Method | None) -> dict[str, Any]:
    return {"lock_online": event.online}


# By the event's exact type: a lookup, not a chain of isinstance checks, on the webhook path.
_CHANGES_BY_EVENT: dict[type, Callable[[LockData, Any, Method | None], dict[str, Any]]] = {
    StateReached: _reached,
    GoingToState: _going_to,
    MotorStall: _stalled,
    SignalReport: _signal,
    BatteryReport: _battery,
    OnlineReport: _online,
}
