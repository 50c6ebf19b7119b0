"""The status answer is read tolerantly."""

import pytest

from custom_components.loqed_web.aioloqedweb import (
    BatteryType,
    BoltState,
    LockStatus,
    parse_status,
)
from custom_components.loqed_web.aioloqedweb.exceptions import LoqedResponseError

DOCUMENTED = {
    "id": 6148,
    "battery_percentage": 78,
    "battery_type": "nickel_metal_hydride",
    "battery_type_numeric": 1,
    "bolt_state": "day_lock",
    "bolt_state_numeric": 2,
    "bridge_online": 1,
    "lock_online": 1,
    "guest_access_mode": 0,
    "twist_assist": 1,
    "touch_to_connect": 0,
    "lock_direction": "left",
}


def test_documented_answer() -> None:
    assert parse_status(DOCUMENTED) == LockStatus(
        bolt_state=BoltState.DAY_LOCK,
        battery_percentage=78,
        battery_type=BatteryType.NICKEL_METAL_HYDRIDE,
        lock_online=True,
        bridge_online=True,
        guest_access_mode=False,
        twist_assist=True,
        touch_to_connect=False,
    )


def test_strings_offline_and_names_only() -> None:
    status = parse_status(
        {
            "bolt_state": "NIGHT_LOCK",
            "battery_percentage": "-1",
            "battery_type": "ALKALINE",
            "lock_online": "0",
        }
    )
    assert status.bolt_state is BoltState.NIGHT_LOCK
    assert status.battery_percentage is None
    assert status.battery_type is BatteryType.ALKALINE
    assert status.lock_online is False
    assert status.bridge_online is None


@pytest.mark.parametrize(
    ("fields", "battery_type"),
    [
        ({"battery_type_numeric": "2"}, BatteryType.LITHIUM),
        ({"battery_type": 0}, BatteryType.ALKALINE),
        ({"battery_type_numeric": 3}, BatteryType.UNKNOWN),
        ({"battery_type_numeric": 9}, BatteryType.UNKNOWN),
        ({"battery_type": "NiMH"}, BatteryType.NICKEL_METAL_HYDRIDE),
        ({"battery_type": "lithium_non_rechargeable"}, BatteryType.LITHIUM),
        ({"battery_type": "carbon"}, BatteryType.UNKNOWN),
        ({}, BatteryType.UNKNOWN),
    ],
)
def test_battery_types(fields: dict[str, object], battery_type: BatteryType) -> None:
    assert parse_status({"bolt_state_numeric": 3, **fields}).battery_type is battery_type


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({"bolt_state_numeric": "1", "bolt_state": "night_lock"}, BoltState.OPEN),  # the number wins
        ({"bolt_state_numeric": 7, "bolt_state": "open"}, BoltState.OPEN),
        ({"bolt_state": "latch"}, BoltState.DAY_LOCK),
        ({"bolt_state": "unknown"}, BoltState.UNKNOWN),
        ({"bolt_state_numeric": 0}, BoltState.UNKNOWN),
    ],
)
def test_bolt_states(fields: dict[str, object], state: BoltState) -> None:
    assert parse_status(fields).bolt_state is state


@pytest.mark.parametrize("payload", [[], "open", None, {}, {"bolt_state": "sideways"}, {"bolt_state": 1.5}])
def test_unusable_answers(payload: object) -> None:
    with pytest.raises(LoqedResponseError):
        parse_status(payload)


def test_flags_accept_booleans_and_words() -> None:
    status = parse_status({"bolt_state": "open", "lock_online": True, "bridge_online": "false", "twist_assist": "x"})
    assert (status.lock_online, status.bridge_online, status.twist_assist) == (True, False, None)
