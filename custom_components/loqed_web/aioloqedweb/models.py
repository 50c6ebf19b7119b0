"""Typed values of the LOQED web API."""

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Action(IntEnum):
    """Command action codes, as signed into a command."""

    OPEN = 1
    DAY_LOCK = 2
    NIGHT_LOCK = 3

    @property
    def target(self) -> BoltState:
        """Return where the command moves the bolt."""
        return BoltState[self.name]


class BoltState(StrEnum):
    """Where the bolt is, as LOQED names it."""

    UNKNOWN = "unknown"
    OPEN = "open"
    DAY_LOCK = "day_lock"
    NIGHT_LOCK = "night_lock"


class Method(StrEnum):
    """How a movement was made, as the "going to" event before it names it."""

    APP = "app"  # the LOQED app over Bluetooth
    REMOTE = "remote"  # a remote command: the app over the internet, or an API key
    TOUCH_TO_OPEN = "touch_to_open"
    AUTO_UNLOCK = "auto_unlock"
    TOUCH_TO_LOCK = "touch_to_lock"
    KEYPAD = "keypad"
    OUTSIDE_BUTTON = "outside_button"
    KNOB = "knob"
    AUTOMATIC = "automatic"  # the latch that follows OPEN by itself
    UNKNOWN = "unknown"


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
    party_mode: bool | None = None  # "Open House": only the account's lock list reports it
