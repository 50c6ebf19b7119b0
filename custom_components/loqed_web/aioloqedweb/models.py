"""Typed values of the LOQED web API."""

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Action(IntEnum):
    """Command action codes, as signed into a command."""

    OPEN = 1
    DAY_LOCK = 2
    NIGHT_LOCK = 3


class BoltState(StrEnum):
    """Where the bolt is, as LOQED names it."""

    UNKNOWN = "unknown"
    OPEN = "open"
    DAY_LOCK = "day_lock"
    NIGHT_LOCK = "night_lock"


class BatteryType(StrEnum):
    """The batteries fitted, as the status call reports them."""

    ALKALINE = "alkaline"
    NICKEL_METAL_HYDRIDE = "nickel_metal_hydride"
    LITHIUM = "lithium"
    UNKNOWN = "unknown"


class SigningMode(StrEnum):
    """Who signs a command: this client with the Key, or LOQED's server."""

    LOCAL = "local"
    SERVER = "server"


@dataclass(frozen=True, slots=True)
class LockStatus:
    """The answer of the status call; None where LOQED did not say or said "unknown"."""

    bolt_state: BoltState
    battery_percentage: int | None
    battery_type: BatteryType
    lock_online: bool | None
    bridge_online: bool | None
    guest_access_mode: bool | None
    twist_assist: bool | None
    touch_to_connect: bool | None
