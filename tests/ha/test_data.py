"""LockData's fast copy behaves as dataclasses.replace, and names what a change changed."""

from dataclasses import fields, replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.loqed_web.aioloqedweb import BatteryType, BoltState, Method, Operator
from custom_components.loqed_web.data import LockData

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
    assert evolved.changed_fields(start) == {name for name, value in changes.items() if getattr(start, name) != value}


def test_evolve_refuses_what_is_not_a_field_and_leaves_the_data_frozen() -> None:
    with pytest.raises(TypeError, match=r"not fields of LockData: \['bolt'\]"):
        LockData().evolve({"bolt": BoltState.OPEN})
    evolved = LockData().evolve({"jammed": True})
    with pytest.raises(AttributeError):
        evolved.jammed = False  # type: ignore[misc]  # frozen: what the test shows


def test_without_data_before_every_field_changed() -> None:
    assert LockData().changed_fields(None) == set(OTHER_VALUES)
