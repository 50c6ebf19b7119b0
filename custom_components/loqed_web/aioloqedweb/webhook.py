"""Reading the body of a webhook call LOQED's cloud POSTs, into typed events or a typed rejection.

Tolerant by design (see the API reference, "What clients saw in practice"): numbers may be
strings, empty strings mean null, either lock id may be sent, field spellings drift, extra
fields appear, and per-event URLs may send an empty or form-encoded body with the event named
in the URL's query (`?event=STATE_CHANGED_OPEN`). Whether the call concerns this lock, and what
it means, is decided by `interpret.py`.
"""

import json
from collections.abc import Callable, Mapping
from functools import lru_cache
from operator import itemgetter
from typing import Any

from .decode import decode_body
from .events import (
    KEYLESS,
    NO_KEY_ID,
    BatteryReport,
    GoingToState,
    MotorStall,
    OnlineReport,
    Operator,
    Rejection,
    RejectReason,
    SignalReport,
    StateReached,
    WebhookEvent,
    WebhookMessage,
)
from .models import BoltState
from .status import read_battery_percentage, read_bolt_state
from .values import read_flag, read_int, read_text, squash, squash_keys

MAX_BODY_BYTES = 64 * 1024
MAX_NAME_LENGTH = 100

# Squashed field names, with the spellings seen besides the documented one.
_EVENT_TYPE = ("eventtype", "event", "type")
_REQUESTED_STATE = ("requestedstate",)
_GO_TO_STATE = ("gotostate", "goto")
_LOCK_ID = ("lockid", "lock")
_WIFI = ("wifistrength", "wifisignalstrength", "wifi")
_BLE = ("blestrength", "bluetoothstrength", "blesignalstrength", "ble")
_BATTERY = ("batterypercentage", "battery")
_ONLINE = ("online", "lockonline")
_OPERATOR_FIELDS = ("keylocalid", "keynameuser", "keynameadmin", "keyaccountname", "keyaccountemail")
# Most calls are movements: without any of these fields there is no report to look for.
_REPORT_FIELDS = frozenset(_WIFI + _BLE + _BATTERY + _ONLINE)

# The last word of an event type names the state it concerns (unverified for the outside
# module: its PIN and button unlock the door, which LOQED calls OPEN).
_STATE_BY_SUFFIX = (
    ("nightlock", BoltState.NIGHT_LOCK),
    ("unknown", BoltState.UNKNOWN),
    ("latch", BoltState.DAY_LOCK),
    ("open", BoltState.OPEN),
    ("lock", BoltState.NIGHT_LOCK),
    ("pin", BoltState.OPEN),
    ("button", BoltState.OPEN),
)


class _InvalidFieldError(Exception):
    """A field is present but unusable; carries the field's name."""


def _is_given(value: object) -> bool:
    """Return False for null and empty strings, which LOQED sends for "no value"."""
    return value is not None and not (isinstance(value, str) and not value.strip())


def _first(fields: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    """Return the first given value among the spellings `names`, or None."""
    for name in names:
        value = fields.get(name)
        if value is not None and _is_given(value):
            return value
    return None


def _strength(fields: Mapping[str, Any], names: tuple[str, ...]) -> tuple[int | None, bool]:
    """Return (percent or None, whether the value said "offline")."""
    raw = _first(fields, names)
    if raw is None:
        return None, False
    value = read_int(raw)
    if value == -1:
        return None, True
    if value is not None and 0 <= value <= 100:
        return value, False
    if value is not None and -120 <= value < -1:
        # Older firmware sent dBm; map -100..-50 dBm onto 0..100 % (unverified).
        return max(0, min(100, 2 * (value + 100))), False
    raise _InvalidFieldError(names[0])


def _name(value: object) -> str | None:
    text = read_text(value)
    return text[:MAX_NAME_LENGTH] if text else None


def _operator(fields: Mapping[str, Any]) -> Operator:
    return _read_operator(*[fields.get(name) for name in _OPERATOR_FIELDS])


def _read_operator(raw_key_id: object, user: object, admin: object, account: object, email: object) -> Operator:
    key_id = read_int(raw_key_id)
    if not _is_given(raw_key_id) or key_id == NO_KEY_ID:
        # No key moved the lock. LOQED still fills in the owner's admin and account names
        # here: they name who owns the lock, not who moved it, so they are left out.
        return KEYLESS
    # Tolerant: a garbled key id or name must not cost the state event it came with.
    return Operator(
        key_local_id=key_id if key_id is not None and 0 <= key_id < NO_KEY_ID else None,
        user_name=_name(user),
        admin_name=_name(admin),
        account_name=_name(account),
        account_email=_name(email),
    )


def _state_from(fields: Mapping[str, Any], names: tuple[str, ...], event_type: str) -> BoltState:
    raw = _first(fields, names)
    if raw is not None:
        state = read_bolt_state(raw)
        if state is None:
            raise _InvalidFieldError(names[0])
        return state
    squashed = squash(event_type)
    for suffix, state in _STATE_BY_SUFFIX:
        if squashed.endswith(suffix):
            return state
    raise _InvalidFieldError(names[0])


def _movement(fields: Mapping[str, Any], event_type: str) -> WebhookEvent | None:
    squashed = squash(event_type)
    operator = _operator(fields)
    if squashed == "motorstall":
        return MotorStall(event_type, operator)
    if squashed.startswith("statechanged") or (not squashed and _first(fields, _REQUESTED_STATE) is not None):
        return StateReached(_state_from(fields, _REQUESTED_STATE, event_type), event_type, operator)
    if squashed.startswith("gotostate") or (not squashed and _first(fields, _GO_TO_STATE) is not None):
        return GoingToState(_state_from(fields, _GO_TO_STATE, event_type), event_type, operator)
    return None


def _reports(fields: Mapping[str, Any], dropped: list[str]) -> list[WebhookEvent]:
    """Return the battery, signal and online reports; a bad field is dropped, not the others."""
    events: list[WebhookEvent] = []
    if fields.keys().isdisjoint(_REPORT_FIELDS):
        return events
    wifi, wifi_offline = _strength_or_drop(fields, _WIFI, dropped)
    ble, ble_offline = _strength_or_drop(fields, _BLE, dropped)
    sent = sum(_first(fields, names) is not None for names in (_WIFI, _BLE))
    if sent > len(dropped):  # at least one strength was sent and usable
        events.append(SignalReport(wifi, ble))
    if (raw_battery := _first(fields, _BATTERY)) is not None:
        percentage = read_battery_percentage(raw_battery)
        if percentage is None and read_int(raw_battery) != -1:
            dropped.append(_BATTERY[0])
        else:
            events.append(BatteryReport(percentage))
    if (raw_online := _first(fields, _ONLINE)) is not None:
        online = read_flag(raw_online)
        if online is None:
            dropped.append(_ONLINE[0])
        else:
            events.append(OnlineReport(online))
    elif wifi_offline or ble_offline:
        events.append(OnlineReport(False))  # a strength of -1 is LOQED's "lock offline"
    return events


def _strength_or_drop(fields: Mapping[str, Any], names: tuple[str, ...], dropped: list[str]) -> tuple[int | None, bool]:
    """Return what `_strength` gives, or nothing after noting the field as dropped."""
    try:
        return _strength(fields, names)
    except _InvalidFieldError:
        dropped.append(names[0])
        return None, False


def parse_webhook(
    body: bytes,
    *,
    query: Mapping[str, str] | None = None,
    loads: Callable[[bytes], Any] = json.loads,
) -> WebhookMessage | Rejection:
    """Return the events in one webhook call, with the lock id it names.

    `query` holds the parameters of the URL that was called; a body's fields override them.
    `loads` may be a faster JSON decoder (Home Assistant's orjson); the result is the same.
    """
    if len(body) > MAX_BODY_BYTES:
        return Rejection(RejectReason.TOO_LARGE, f"{len(body)} bytes")
    decoded = decode_body(body, loads)
    if isinstance(decoded, Rejection):
        return decoded
    small = len(body) <= MAX_REMEMBERED_BODY_BYTES  # only a small body's layout and read are kept
    if small and not query:
        values = _picker(tuple(decoded))((*decoded.values(), None))
    else:
        fields = squash_keys(query) | squash_keys(decoded) if query else squash_keys(decoded)
        values = tuple(map(fields.get, _READ_FIELDS))
    return _read_remembered(values) if small else _read(*values)


# Every field a call is read by, in all its spellings: what it means depends on these alone.
_READ_FIELDS = (*_LOCK_ID, *_EVENT_TYPE, *_REQUESTED_STATE, *_GO_TO_STATE, *_OPERATOR_FIELDS,
                *_WIFI, *_BLE, *_BATTERY, *_ONLINE)  # fmt: skip


@lru_cache(maxsize=64)  # a sender's bodies share a few layouts: the same keys, in the same order
def _picker(keys: tuple[str, ...]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """Return what picks the values of `_READ_FIELDS` from a body's values, followed by a None.

    A field the body lacks is picked as that None; of two spellings of a field, the first wins.
    """
    positions = squash_keys({key: position for position, key in enumerate(keys)})
    absent = len(keys)
    return itemgetter(*(positions.get(name, absent) for name in _READ_FIELDS))


def _read_lock_id(value: object) -> str | None:
    """Return the lock id a call names (text or a whole number), or None when it names none.

    Raises _UnreadableLockIdError for a value that is neither: a body that names a lock must name
    ours, so an id that cannot be read is someone else's, never "no id".
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise _UnreadableLockIdError


class _UnreadableLockIdError(Exception):
    """A lock id of a kind no lock has (a fraction, a list, true)."""


def _read(*values: object) -> WebhookMessage | Rejection:
    """Return the events of a call (or why it has none), from its `_READ_FIELDS`."""
    fields = {name: value for name, value in zip(_READ_FIELDS, values, strict=True) if value is not None}
    try:
        lock_id = _read_lock_id(_first(fields, _LOCK_ID))
    except _UnreadableLockIdError:
        return Rejection(RejectReason.WRONG_LOCK, "a lock id that cannot be read")
    event_type = read_text(_first(fields, _EVENT_TYPE)) or ""
    dropped: list[str] = []
    try:
        movement = _movement(fields, event_type)
    except _InvalidFieldError as invalid:
        return Rejection(RejectReason.INVALID_FIELD, str(invalid))
    events = ([movement] if movement else []) + _reports(fields, dropped)
    if not events:
        unusable = Rejection(RejectReason.INVALID_FIELD, ", ".join(dropped))
        unknown = Rejection(RejectReason.UNKNOWN_EVENT, event_type[:MAX_NAME_LENGTH] or "no event type")
        return unusable if dropped else unknown
    return WebhookMessage(lock_id, tuple(events), tuple(dropped))


# LOQED sends the same few events, made by the same few keys, and reports that change slowly:
# each is read once. Typed, as 1 and True (or 3 and 3.0) are equal in Python but read
# differently here; only for small bodies, as the caches keep what they were given.
MAX_REMEMBERED_BODY_BYTES = 2048
_read_cached = lru_cache(maxsize=128, typed=True)(_read)


def _read_remembered(values: tuple[Any, ...]) -> WebhookMessage | Rejection:
    """Return what `_read` does, read once for each combination of values."""
    try:
        return _read_cached(*values)
    except TypeError:  # an unhashable value (a list, an object): read, not remembered
        return _read(*values)


def forget_remembered_reads() -> None:
    """Forget every remembered layout and read: they keep what the calls said, key names too."""
    _picker.cache_clear()
    _read_cached.cache_clear()
