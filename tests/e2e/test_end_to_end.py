"""The integration in a real Home Assistant, against the simulated LOQED cloud, over real sockets."""

import re
import time

import pytest

from harness import HomeAssistantProcess, SimulatorProcess

from .conftest import PASSWORD, USERNAME, failure_message

pytestmark = pytest.mark.e2e

LOCK = "lock.loqed_6000"


def test_commands_are_signed_validly_and_the_state_follows_the_webhooks(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess
) -> None:
    assert home_assistant.state(LOCK)["state"] == "locked"  # from the flow's one status call
    before = simulator.state()["counts"]
    home_assistant.call("lock", "unlock", LOCK)
    assert home_assistant.state(LOCK)["state"] == "unlocking"
    home_assistant.wait_for_state(LOCK, "unlocked")
    home_assistant.call("lock", "open", LOCK)
    home_assistant.wait_for_state(LOCK, "open")
    home_assistant.wait_for_state(LOCK, "unlocked")  # the lock falls back by itself
    home_assistant.call("lock", "lock", LOCK)
    locked = home_assistant.wait_for_state(LOCK, "locked")
    assert locked["attributes"]["changed_by"] == "Home Assistant"
    after = simulator.state()["counts"]
    # The simulator checked each HMAC, key id and timestamp, and accepted all three.
    assert after["commands_accepted"] - before["commands_accepted"] == 3
    assert after["commands"] - before["commands"] == 3
    assert home_assistant.state("sensor.loqed_6000_last_operated_by")["state"] == "Home Assistant"


def test_battery_signal_online_and_motor_stall_reach_their_entities(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess
) -> None:
    simulator.control(lock=0, event={"battery_percentage": 15})
    home_assistant.wait_for_state("sensor.loqed_6000_battery", "15")
    simulator.control(lock=0, event={"wifi_strength": 44, "ble_strength": 20})
    home_assistant.wait_for_state("sensor.loqed_6000_wi_fi_signal", "44")
    simulator.control(lock=0, event={"online": "0"})
    home_assistant.wait_for_state(LOCK, "unavailable")
    home_assistant.wait_for_state("binary_sensor.loqed_6000_lock_online", "off")
    simulator.control(lock=0, event={"online": "1"})
    home_assistant.wait_for_state("binary_sensor.loqed_6000_lock_online", "on")
    simulator.control(lock=0, set={"motor_stall": True})
    home_assistant.call("lock", "unlock", LOCK)
    home_assistant.wait_for_state(LOCK, "jammed")
    simulator.control(lock=0, set={"motor_stall": False})
    home_assistant.call("lock", "lock", LOCK)
    home_assistant.wait_for_state(LOCK, "locked")


def test_a_restart_restores_every_state_and_spends_no_status_call(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess
) -> None:
    home_assistant.call("lock", "unlock", LOCK)
    home_assistant.wait_for_state(LOCK, "unlocked")
    simulator.control(lock=0, event={"battery_percentage": 64})
    home_assistant.wait_for_state("sensor.loqed_6000_battery", "64")
    watched = [
        LOCK,
        "sensor.loqed_6000_battery",
        "sensor.loqed_6000_battery_type",
        "sensor.loqed_6000_wi_fi_signal",
        "sensor.loqed_6000_last_operated_by",
        "binary_sensor.loqed_6000_lock_online",
        "binary_sensor.loqed_6000_bridge_online",
    ]
    before = {entity: home_assistant.state(entity)["state"] for entity in watched}
    status_calls = simulator.state()["counts"]["status"]
    home_assistant.stop()
    home_assistant.start()
    home_assistant.onboard("E2E", USERNAME, PASSWORD)
    home_assistant.wait_started()
    assert {entity: home_assistant.state(entity)["state"] for entity in watched} == before
    assert simulator.state()["counts"]["status"] == status_calls


def test_a_command_that_times_out_is_not_resent(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess
) -> None:
    simulator.control(faults={"command_timeout": True}, reset_counts=True)
    try:
        assert "not sent again" in failure_message(home_assistant, "open")
        time.sleep(2)
        assert simulator.state()["counts"]["commands"] == 1
    finally:
        simulator.control(faults={"command_timeout": False})
    assert home_assistant.state(LOCK)["state"] in ("unlocked", "locked")  # back from "opening"


def test_a_revoked_token_fails_clearly_and_starts_reauth(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess
) -> None:
    simulator.control(lock=0, set={"token_revoked": True})
    try:
        assert "LOQED refused the credentials" in failure_message(home_assistant, "lock")
        flows = [flow for flow in home_assistant.flows_in_progress() if flow["handler"] == "loqed_web"]
        assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    finally:
        simulator.control(lock=0, set={"token_revoked": False})


def test_a_wrong_host_clock_is_named(home_assistant: HomeAssistantProcess, simulator: SimulatorProcess) -> None:
    simulator.control(faults={"clock_skew": 600})
    try:
        assert re.search(r"clock is -(59\d|60\d) s off", failure_message(home_assistant, "open"))
    finally:
        simulator.control(faults={"clock_skew": 0})


def test_automations_run_once_per_real_movement_though_loqed_sends_copies(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess
) -> None:
    """The simulator delivers every event twice (~4 s apart), as real LOQED does."""
    assert simulator.state()["faults"]["copy_delay"] == 4.0

    def counted() -> list[int]:
        return [int(home_assistant.state(f"counter.{name}")["state"]) for name in ("notifications", "movements")]

    home_assistant.call("lock", "lock", LOCK)
    home_assistant.wait_for_state(LOCK, "locked")
    time.sleep(11)  # the copies of earlier tests' events are in; nothing is pending
    before = counted()
    simulator.control(lock=0, touch_to_open=True)  # Anna: open, then the latch by itself
    home_assistant.wait_for_state(LOCK, "open")
    home_assistant.wait_for_state(LOCK, "unlocked")
    simulator.control(lock=0, knob="NIGHT_LOCK")  # by hand, inside
    home_assistant.wait_for_state(LOCK, "locked")
    time.sleep(6)  # apart from Anna's latch by more than the 10 s in which copies are dropped
    simulator.control(lock=0, keypad="Cleaner")  # the cleaner's code: open, then the latch
    home_assistant.wait_for_state(LOCK, "open")
    unlocked = home_assistant.wait_for_state(LOCK, "unlocked")
    assert unlocked["attributes"]["changed_by"] == "Cleaner"  # the latch after her opening is no new operator
    home_assistant.call("lock", "lock", LOCK)
    home_assistant.wait_for_state(LOCK, "locked")
    home_assistant.call("lock", "unlock", LOCK)  # Home Assistant's own key: not one of "my names"
    home_assistant.wait_for_state(LOCK, "unlocked")
    time.sleep(9)  # every copy has come
    notifications, movements = (after - start for after, start in zip(counted(), before, strict=True))
    # Notified: the cleaner's opening and Home Assistant's unlock; not Anna, the knob or a latch.
    assert notifications == 2
    # Open, latch, knob lock, keypad open, latch, lock, unlock: seven, each once.
    assert movements == 7
    activity = home_assistant.state("event.loqed_6000_activity")["attributes"]
    assert (activity["event_type"], activity["method"], activity["user_name"]) == ("unlock", "remote", "Home Assistant")
