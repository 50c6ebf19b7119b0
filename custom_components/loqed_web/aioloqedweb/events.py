"""The typed events of LOQED's webhooks, and why a call was not used.

What a call *means* (copies, late events, who and how) is `interpret.py`'s; reading a body into
these types is `webhook.py`'s.
"""

from dataclasses import dataclass
from enum import StrEnum

from .models import BoltState, Method
from .values import squash

# The key id LOQED sends, besides an empty one, for a movement that no key made.
NO_KEY_ID = 255

# What a "going to" event type says about how the lock was moved, first match wins.
_METHOD_BY_WORDS = (
    ("instantopenopen", Method.TOUCH_TO_OPEN),
    ("instantopenlatch", Method.AUTO_UNLOCK),
    ("outsidemodulepin", Method.KEYPAD),
    ("outsidemodulebutton", Method.OUTSIDE_BUTTON),
    ("twistassist", Method.KNOB),
    ("touchtolock", Method.TOUCH_TO_LOCK),
    ("remote", Method.REMOTE),
    ("ble", Method.APP),
)


class RejectReason(StrEnum):
    """Why a webhook call was not used."""

    TOO_LARGE = "too_large"
    UNDECODABLE = "undecodable"
    NOT_AN_OBJECT = "not_an_object"
    WRONG_LOCK = "wrong_lock"
    UNKNOWN_EVENT = "unknown_event"
    INVALID_FIELD = "invalid_field"


@dataclass(frozen=True, slots=True)
class Rejection:
    """A call that changes nothing, with the reason and, where it helps, the field."""

    reason: RejectReason
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Operator:
    """Who moved the lock: the key and its names; all None when no key moved it."""

    key_local_id: int | None = None
    user_name: str | None = None
    admin_name: str | None = None
    account_name: str | None = None
    account_email: str | None = None

    @property
    def is_keyless(self) -> bool:
        """True when no key moved the lock (knob, outside button, the latch after OPEN)."""
        # Cheap checks first: most operators are keys, told apart by their first fields.
        return self.key_local_id is None and self.user_name is None and self == KEYLESS

    @property
    def display_name(self) -> str | None:
        """The name a person would use: key user, else account, else admin name."""
        return self.user_name or self.account_name or self.admin_name


KEYLESS = Operator()


@dataclass(frozen=True, slots=True)
class StateReached:
    """The lock arrived in `state`."""

    state: BoltState
    event_type: str
    operator: Operator


@dataclass(frozen=True, slots=True)
class GoingToState:
    """The lock started to move to `target`; it may not get there."""

    target: BoltState
    event_type: str
    operator: Operator

    @property
    def is_remote(self) -> bool:
        """True when the move was asked for remotely (an app or an API key)."""
        return self.method is Method.REMOTE

    @property
    def method(self) -> Method:
        """How the lock is being moved, as the event type names it."""
        squashed = squash(self.event_type)
        return next((method for words, method in _METHOD_BY_WORDS if words in squashed), Method.UNKNOWN)


@dataclass(frozen=True, slots=True)
class MotorStall:
    """The motor could not finish its move: the bolt is jammed."""

    event_type: str
    operator: Operator


@dataclass(frozen=True, slots=True)
class SignalReport:
    """Signal strengths in percent; None where not sent or while the lock is offline."""

    wifi_strength: int | None
    ble_strength: int | None


@dataclass(frozen=True, slots=True)
class BatteryReport:
    """Battery level in percent; None while the lock is offline (LOQED sends -1)."""

    percentage: int | None


@dataclass(frozen=True, slots=True)
class OnlineReport:
    """Whether the lock is connected."""

    online: bool


type WebhookEvent = StateReached | GoingToState | MotorStall | SignalReport | BatteryReport | OnlineReport
# A tuple, not a union: isinstance() would build the union anew on every event.
MOVEMENTS = (StateReached, GoingToState, MotorStall)


@dataclass(frozen=True, slots=True)
class WebhookMessage:
    """The events one webhook call carried, the lock id it named (if any), and fields left out."""

    lock_id: str | None
    events: tuple[WebhookEvent, ...]
    dropped: tuple[str, ...] = ()  # report fields that were present but unusable
