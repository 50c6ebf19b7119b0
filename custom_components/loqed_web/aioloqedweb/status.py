"""Parsing of the status call's answer."""

from typing import Any

from .exceptions import LoqedResponseError
from .models import BatteryType, BoltState, LockStatus
from .values import read_flag, read_int, read_text, squash, squash_keys

_BOLT_BY_NUMBER = {0: BoltState.UNKNOWN, 1: BoltState.OPEN, 2: BoltState.DAY_LOCK, 3: BoltState.NIGHT_LOCK}
# Squashed names; the webhooks name DAY_LOCK "latch".
_BOLT_BY_NAME = {squash(state.value): state for state in BoltState} | {"latch": BoltState.DAY_LOCK}
_BATTERY_BY_NUMBER = {
    0: BatteryType.ALKALINE,
    1: BatteryType.NICKEL_METAL_HYDRIDE,
    2: BatteryType.LITHIUM,
    3: BatteryType.UNKNOWN,
}
_BATTERY_BY_NAME = {
    "alkaline": BatteryType.ALKALINE,
    "nimh": BatteryType.NICKEL_METAL_HYDRIDE,
    "nickelmetalhydride": BatteryType.NICKEL_METAL_HYDRIDE,
    "lithium": BatteryType.LITHIUM,
}


def read_bolt_state(value: object) -> BoltState | None:
    """Return the bolt state from a name ("night_lock", "NIGHT_LOCK", "latch") or a number."""
    if isinstance(value, str) and (state := _BOLT_BY_NAME.get(squash(value))):
        return state  # names first: webhooks send them, and no name reads as a number
    number = read_int(value)
    return None if number is None else _BOLT_BY_NUMBER.get(number)


def read_battery_percentage(value: object) -> int | None:
    """Return 0..100, or None for LOQED's -1 ("lock offline") and anything out of range."""
    number = read_int(value)
    return number if number is not None and 0 <= number <= 100 else None


def _read_battery_type(fields: dict[str, Any]) -> BatteryType:
    number = read_int(fields.get("batterytypenumeric"))
    if number is None:
        number = read_int(fields.get("batterytype"))
    if number is not None:
        return _BATTERY_BY_NUMBER.get(number, BatteryType.UNKNOWN)
    name = squash(read_text(fields.get("batterytype")) or "")
    return next((kind for prefix, kind in _BATTERY_BY_NAME.items() if name.startswith(prefix)), BatteryType.UNKNOWN)


def parse_status(payload: object) -> LockStatus:
    """Return the lock status from the decoded JSON answer of the status call."""
    if not isinstance(payload, dict):
        raise LoqedResponseError("the status answer is not a JSON object")
    fields = squash_keys(payload)
    bolt_state = read_bolt_state(fields.get("boltstatenumeric"))
    if bolt_state is None:
        bolt_state = read_bolt_state(fields.get("boltstate"))
    if bolt_state is None:
        raise LoqedResponseError("the status answer has no bolt state")
    return LockStatus(
        bolt_state=bolt_state,
        battery_percentage=read_battery_percentage(fields.get("batterypercentage")),
        battery_type=_read_battery_type(fields),
        lock_online=read_flag(fields.get("lockonline")),
        bridge_online=read_flag(fields.get("bridgeonline")),
        guest_access_mode=read_flag(fields.get("guestaccessmode")),
        twist_assist=read_flag(fields.get("twistassist")),
        touch_to_connect=read_flag(fields.get("touchtoconnect")),
        party_mode=read_flag(fields.get("partymode")),
    )
