"""What calls mean, read as LOQED sends them in 2026: copies, late events, who and how.

The golden cases are the real sequences of the API reference ("Real 2026 traffic, in detail"),
with the clock each call arrived at.
"""

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from custom_components.loqed_web.aioloqedweb import (
    BoltState,
    EventInterpreter,
    Interpretation,
    LockData,
    LockIdentity,
    Method,
    Operator,
    Outcome,
    WebhookMessage,
    parse_webhook,
)

OWNER = {"key_name_admin": "Anna", "key_account_name": "Anna de Vries", "key_account_email": "anna@example.com"}
ANNA = {"key_local_id": "3", "key_name_user": "Anna", **OWNER, "value3": "anna@example.com"}
KEYLESS = {"key_local_id": "", "key_name_user": "", **OWNER, "value3": "anna@example.com"}
CLEANER = {"key_local_id": "12", "key_name_user": "Cleaner", "key_name_admin": None, "key_account_name": None}
HOME_ASSISTANT = {"key_local_id": "200", "key_name_user": "Home Assistant", **OWNER}
ANNA_KEY = Operator(3, "Anna", "Anna", "Anna de Vries", "anna@example.com")


def body(event_type: str, who: dict[str, Any], lock_id: object = 6148, **state: str) -> bytes:
    """Return a body as real LOQED sends it: numeric lock id, string key id, IFTTT extras."""
    return json.dumps({"lock_id": lock_id, **state, "event_type": event_type, **who, "value1": event_type}).encode()


TOUCH_TO_OPEN = body("GO_TO_STATE_INSTANTOPEN_OPEN", ANNA, go_to_state="OPEN")
OPENED = body("STATE_CHANGED_OPEN", ANNA, requested_state="OPEN")
LATCHED_BY_ITSELF = body("STATE_CHANGED_LATCH", KEYLESS, requested_state="DAY_LOCK")


@dataclass
class Clock:
    """A clock the test moves; monotonic and wall time move together."""

    now: float = 1_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Door:
    """One lock's interpreter and its data, fed calls at the times they arrive."""

    old_lock_id: str | None = "6148"
    clock: Clock = field(default_factory=Clock)
    data: LockData = field(default_factory=LockData)

    def __post_init__(self) -> None:
        identity = LockIdentity("Yq1gK4oeE9KWe0ByxjX2", self.old_lock_id)
        self.interpreter = EventInterpreter(identity, command_key_id=200, clock=self.clock, now=self.clock)

    def at(self, seconds: float, raw: bytes) -> Interpretation:
        self.clock.now = 1_000.0 + seconds
        message = parse_webhook(raw)
        assert isinstance(message, WebhookMessage), message
        result = self.interpreter.interpret(self.data, message, ("", raw))
        self.data = result.data
        return result


def told(result: Interpretation) -> list[tuple[str, str, str | None]]:
    """Return each operation as (type, method, who)."""
    return [(op.type, op.method.value, op.operator.display_name) for op in result.operations]


def test_touch_to_open_with_loqeds_interleaved_copies() -> None:
    door = Door()
    sequence = [
        (0.0, TOUCH_TO_OPEN, Outcome.APPLIED, [("going_to_open", "touch_to_open", "Anna")]),
        (1.0, OPENED, Outcome.APPLIED, [("open", "touch_to_open", "Anna")]),
        (3.0, LATCHED_BY_ITSELF, Outcome.APPLIED, [("unlock", "automatic", None)]),
        (4.0, TOUCH_TO_OPEN, Outcome.COPY, []),
        (5.0, OPENED, Outcome.COPY, []),
        (7.0, LATCHED_BY_ITSELF, Outcome.COPY, []),
    ]
    for at, raw, outcome, operations in sequence:
        result = door.at(at, raw)
        assert (result.outcome, told(result)) == (outcome, operations), at
    # The latch is a consequence of the opening: who opened the door, and how, stays.
    assert (door.data.bolt_state, door.data.moving_to) == (BoltState.DAY_LOCK, None)
    assert (door.data.operator, door.data.method) == (ANNA_KEY, Method.TOUCH_TO_OPEN)
    assert door.data.operator_name == "Anna"
    assert door.data.last_event_at == 1_003.0  # copies change nothing, not even the time


def test_a_knob_turn_long_after_an_opening_is_manual_not_automatic() -> None:
    door = Door()
    door.at(0.0, OPENED)
    result = door.at(60.0, LATCHED_BY_ITSELF)  # the same bytes as the automatic latch
    assert told(result) == [("unlock", "knob", None)]
    assert (door.data.operator_name, door.data.method) == ("manual", Method.KNOB)


def test_a_keypad_code_then_the_outside_button() -> None:
    door = Door()
    door.at(0.0, body("GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_PIN", CLEANER, go_to_state="OPEN"))
    result = door.at(1.0, body("STATE_CHANGED_OPEN", CLEANER, requested_state="OPEN"))
    assert told(result) == [("open", "keypad", "Cleaner")]
    door.at(4.0, LATCHED_BY_ITSELF)
    assert door.data.operator_name == "Cleaner"  # not replaced by the latch
    door.at(120.0, body("GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_BUTTON", KEYLESS, go_to_state="OPEN"))
    result = door.at(121.0, body("STATE_CHANGED_OPEN", KEYLESS, requested_state="OPEN"))
    assert told(result) == [("open", "outside_button", None)]
    assert door.data.operator_name == "manual"  # the owner's names in a keyless event name nobody


def test_a_going_to_event_after_its_reached_event_starts_no_transition() -> None:
    door = Door()
    reached = body("STATE_CHANGED_NIGHT_LOCK", ANNA, requested_state="NIGHT_LOCK")
    late = body("GO_TO_STATE_MANUAL_LOCK_BLE_NIGHT_LOCK", ANNA, go_to_state="NIGHT_LOCK")
    door.at(0.0, reached)
    result = door.at(0.5, late)
    assert (result.outcome, result.late_events, result.operations) == (Outcome.APPLIED, 1, ())
    assert (door.data.bolt_state, door.data.moving_to) == (BoltState.NIGHT_LOCK, None)
    assert door.data.last_event_at == 1_000.5


def test_a_commands_confirmation_is_news_though_it_repeats_a_move_of_moments_ago() -> None:
    door = Door()
    locked = body("STATE_CHANGED_NIGHT_LOCK", HOME_ASSISTANT, requested_state="NIGHT_LOCK")
    assert door.at(0.0, locked).outcome is Outcome.APPLIED
    assert door.at(2.0, locked).outcome is Outcome.COPY
    door.interpreter.expect_command(BoltState.NIGHT_LOCK)
    result = door.at(3.0, locked)
    assert (result.outcome, result.confirms) == (Outcome.APPLIED, True)


def test_a_report_that_changes_back_within_seconds_is_applied() -> None:
    door = Door()
    online, offline = b'{"lock_id": 6148, "online": "1"}', b'{"lock_id": 6148, "online": "0"}'
    assert [door.at(at, raw).outcome for at, raw in [(0, online), (1, offline), (2, online)]] == [Outcome.APPLIED] * 3
    assert door.data.lock_online is True


@pytest.mark.parametrize("lock_id", [-5, 1180591620717411303424, "garbage", 7000, "BackDoor000000000002"])
def test_a_call_about_another_lock_changes_nothing(lock_id: object) -> None:
    door = Door()
    result = door.at(0.0, body("STATE_CHANGED_OPEN", ANNA, lock_id=lock_id, requested_state="OPEN"))
    assert (result.outcome, result.data, result.operations) == (Outcome.FOREIGN, LockData(), ())


def test_a_tokens_lock_learns_its_numeric_id_from_the_first_event() -> None:
    door = Door(old_lock_id=None)
    result = door.at(0.0, body("STATE_CHANGED_LATCH", ANNA, lock_id=6000, requested_state="DAY_LOCK"))
    assert (result.outcome, result.learnt_lock_id) == (Outcome.APPLIED, "6000")
    result = door.at(20.0, body("STATE_CHANGED_NIGHT_LOCK", ANNA, lock_id=7000, requested_state="NIGHT_LOCK"))
    assert result.outcome is Outcome.FOREIGN
    assert door.data.bolt_state is BoltState.DAY_LOCK


@pytest.mark.parametrize("lock_id", [-5, 1180591620717411303424, "garbage"])
def test_a_tokens_lock_learns_no_id_that_no_lock_has(lock_id: object) -> None:
    door = Door(old_lock_id=None)
    result = door.at(0.0, body("STATE_CHANGED_OPEN", ANNA, lock_id=lock_id, requested_state="OPEN"))
    assert (result.outcome, result.learnt_lock_id, door.interpreter.identity.old_lock_id) == (
        Outcome.FOREIGN,
        None,
        None,
    )
