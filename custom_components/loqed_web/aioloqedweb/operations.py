"""Operations: movements as people speak of them ("Anna unlocked the door with Touch to Open").

The event entity, the logbook and automations use them.
"""

from dataclasses import dataclass
from datetime import datetime

from .events import GoingToState, MotorStall, Operator, StateReached, WebhookEvent
from .models import BoltState, Method

# The event types of an operation (Home Assistant's event entity translates them).
OPERATION_TYPES = ("lock", "unlock", "open", "going_to_lock", "going_to_unlock", "going_to_open", "motor_stall")
_REACHED = {BoltState.NIGHT_LOCK: "lock", BoltState.DAY_LOCK: "unlock", BoltState.OPEN: "open"}
_GOING = {BoltState.NIGHT_LOCK: "going_to_lock", BoltState.DAY_LOCK: "going_to_unlock", BoltState.OPEN: "going_to_open"}


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

    @property
    def announced(self) -> bool:
        """True for a movement told as a line of its own: an end, not the latch that follows OPEN."""
        return self.is_complete and self.method is not Method.AUTOMATIC

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
