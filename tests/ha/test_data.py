"""LockData's fast copy behaves as dataclasses.replace, and names what a change changed."""

from dataclasses import fields, replace
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.loqed_web.aioloqedweb import (
    BatteryReport,
    BatteryType,
    BoltState,
    GoingToState,
    Method,
    MotorStall,
    Operation,
    Operator,
    StateReached,
    WebhookEvent,
    operation_from,
)
from custom_components.loqed_web.aioloqedweb.state import LockData, apply_event

# One value for each field other than its default.
OTHER_VALUES: dict[str, Any] = {
    "bolt_state": BoltState.NIGHT_LOCK,
    "moving_to": BoltState.OPEN,
    "jammed": True,
    "battery_percentage": 41,
    "battery_type": BatteryType.LITHIUM,
    "wifi_strength": 63,
    "ble_strength": 12,
    "lock_online": False,
    "bridge_online": True,
    "operator": Operator(3, "Anna"),
    "method": Method.KNOB,
    "party_mode": True,
    "guest_access": False,
    "twist_assist": True,
    "touch_to_connect": False,
    "in_account": False,
    "status_fetched_at": 1_700_000_000.5,
    "last_event_at": 1_700_000_100.25,
    "known": True,
}


def test_every_field_has_another_value() -> None:
    assert set(OTHER_VALUES) == {item.name for item in fields(LockData)}
    assert all(getattr(LockData(), name) != value for name, value in OTHER_VALUES.items())


@given(
    start=st.dictionaries(st.sampled_from(sorted(OTHER_VALUES)), st.none()).map(
        lambda names: LockData(**{name: OTHER_VALUES[name] for name in names})
    ),
    changes=st.dictionaries(
        st.sampled_from(sorted(OTHER_VALUES)), st.sampled_from([None, False, 7, BoltState.DAY_LOCK, Method.APP])
    ),
)
def test_evolve_is_replace(start: LockData, changes: dict[str, Any]) -> None:
    evolved = start.evolve(changes)
    assert evolved == replace(start, **changes)
    assert type(evolved) is LockData


def test_evolve_refuses_what_is_not_a_field_and_leaves_the_data_frozen() -> None:
    with pytest.raises(TypeError, match=r"not fields of LockData: \['bolt'\]"):
        LockData().evolve({"bolt": BoltState.OPEN})
    evolved = LockData().evolve({"jammed": True})
    with pytest.raises(AttributeError):
        evolved.jammed = False  # type: ignore[misc]  # frozen: what the test shows


def test_an_event_sets_when_it_arrived_only_when_told() -> None:
    before = LockData(bolt_state=BoltState.NIGHT_LOCK, last_event_at=100.0)
    latch = StateReached(BoltState.DAY_LOCK, "STATE_CHANGED_LATCH", Operator(3, "Anna"))
    assert apply_event(before, latch, Method.APP, arrived_at=250.5) == replace(
        before, bolt_state=BoltState.DAY_LOCK, lock_online=True, bridge_online=True, known=True,
        operator=Operator(3, "Anna"), method=Method.APP, last_event_at=250.5,
    )  # fmt: skip
    assert apply_event(before, BatteryReport(40)).last_event_at == 100.0


AT = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
ANNA = Operator(3, "Anna")


@pytest.mark.parametrize(
    ("event", "operation"),
    [
        (StateReached(BoltState.OPEN, "STATE_CHANGED_OPEN", ANNA), Operation("open", "open", ANNA, Method.KNOB, AT)),
        (StateReached(BoltState.UNKNOWN, "STATE_CHANGED_UNKNOWN", ANNA), None),
        (
            GoingToState(BoltState.NIGHT_LOCK, "GO_TO_STATE_TOUCH_TO_LOCK", ANNA),
            Operation("going_to_lock", "night_lock", ANNA, Method.KNOB, AT),
        ),
        (GoingToState(BoltState.UNKNOWN, "GO_TO_STATE_UNKNOWN", ANNA), None),
        (MotorStall("MOTOR_STALL", ANNA), Operation("motor_stall", None, ANNA, Method.KNOB, AT)),
        (BatteryReport(40), None),
    ],
)
def test_which_events_are_operations(event: WebhookEvent, operation: Operation | None) -> None:
    assert operation_from(event, Method.KNOB, AT) == operation
