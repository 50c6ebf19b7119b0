"""Faults injected in the simulated cloud, survived by a real Home Assistant.

The simulator counts what it receives, which proves that nothing was resent.
"""

import time
from collections.abc import Iterator
from typing import Any

import pytest

from harness import HomeAssistantProcess, SimulatorProcess
from harness.http import request

from .conftest import LOCK, PASSWORD, USERNAME, failure_message

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", autouse=True)
def short_transitions(home_assistant: HomeAssistantProcess) -> None:
    """A lost "reached" event is waited for 5 s instead of 30 s here."""
    home_assistant.set_options({"transition_timeout": 5, "status_budget": 4, "silence_hours": 24})


@pytest.fixture
def survived(simulator: SimulatorProcess) -> Iterator[list[str]]:
    """Record the faults each test survived; switch every fault off afterwards."""
    names: list[str] = []
    yield names
    simulator.control(faults={"command_status": 0, "drop_webhooks": False, "copy_delay": 4.0,
                              "reorder_webhooks": False}, set={"lock_online": True, "bridge_online": True})  # fmt: skip
    FAULTS_SURVIVED.extend(names)


FAULTS_SURVIVED: list[str] = []


def commands_received(simulator: SimulatorProcess) -> int:
    return int(simulator.state()["counts"]["commands"])


@pytest.mark.parametrize(
    ("status", "message"),
    [(503, "LOQED's server failed"), (500, "LOQED's server failed"), (429, "limiting calls")],
)
def test_command_errors_are_translated_and_not_resent(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess, survived: list[str], status: int, message: str
) -> None:
    before = home_assistant.state(LOCK)["state"]
    sent = commands_received(simulator)
    simulator.control(faults={"command_status": status})
    assert message in failure_message(home_assistant, "open")
    assert commands_received(simulator) - sent == 1
    assert home_assistant.state(LOCK)["state"] == before
    survived.append(f"command answered {status}")


def test_connection_refused_is_reported_and_nothing_is_sent(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess, survived: list[str]
) -> None:
    webhook = simulator.state()["locks"][0]["webhook_urls"][0]
    simulator.stop()
    try:
        assert "could not be reached" in failure_message(home_assistant, "unlock")
    finally:
        simulator.start()  # the same port and seed: the same credentials
        simulator.control(lock=0, webhook_url=webhook)
    assert commands_received(simulator) == 0
    survived.append("connection refused")


def test_a_lost_reached_event_times_out_and_the_state_becomes_unknown(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess, survived: list[str]
) -> None:
    before = home_assistant.state(LOCK)["state"]
    target, transitional = ("lock", "locking") if before == "unlocked" else ("unlock", "unlocking")
    simulator.control(faults={"drop_webhooks": True})
    home_assistant.call("lock", target, LOCK)
    assert home_assistant.state(LOCK)["state"] == transitional
    home_assistant.wait_for_state(LOCK, "unknown", timeout=10)  # not "before": the lock did move
    # With its events lost, Home Assistant could not know where the lock went. Put it back, so
    # that the next tests start in step.
    simulator.control(lock=0, set={"state": {"locked": "NIGHT_LOCK", "unlocked": "DAY_LOCK"}[before]})
    survived.append("lost webhooks")


@pytest.mark.parametrize(("fault", "value"), [("copy_delay", 0.2), ("reorder_webhooks", True)])
def test_quick_copies_and_reordered_events_end_in_the_right_state(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess, survived: list[str], fault: str, value: object
) -> None:
    simulator.control(faults={fault: value})
    for service, final in (("unlock", "unlocked"), ("lock", "locked"), ("open", "open")):
        home_assistant.call("lock", service, LOCK)
        home_assistant.wait_for_state(LOCK, final)
        time.sleep(1.5)  # a late "going to" would show up now
        assert home_assistant.state(LOCK)["state"] in (final, "unlocked")  # OPEN falls back to unlocked
    home_assistant.wait_for_state(LOCK, "unlocked", timeout=10)
    survived.append({"copy_delay": "copies 0.2 s apart", "reorder_webhooks": "reordered events"}[fault])


def test_the_lock_offline_then_back(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess, survived: list[str]
) -> None:
    simulator.control(lock=0, set={"lock_online": False})  # the lock reports it, as LOQED does
    home_assistant.wait_for_state(LOCK, "unavailable")
    home_assistant.wait_for_state("sensor.loqed_6000_battery", "unavailable")
    simulator.control(lock=0, set={"lock_online": True})
    home_assistant.wait_for_state("binary_sensor.loqed_6000_lock_online", "on")
    assert home_assistant.state(LOCK)["state"] in ("locked", "unlocked", "open")
    survived.append("lock offline")


def test_the_bridge_offline_moves_nothing_and_the_transition_ends(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess, survived: list[str]
) -> None:
    before = home_assistant.state(LOCK)["state"]
    target = "lock" if before == "unlocked" else "unlock"
    simulator.control(lock=0, set={"bridge_online": False})
    home_assistant.call("lock", target, LOCK)
    home_assistant.wait_for_state(LOCK, "unknown", timeout=10)  # no event said where it is
    survived.append("bridge offline")


def test_killed_in_a_steady_stream_of_events_then_restarted(
    home_assistant: HomeAssistantProcess, simulator: SimulatorProcess, survived: list[str], figures: dict[str, Any]
) -> None:
    """Events 0.35 s apart for 4 s, then SIGKILL: what was acknowledged a second before is on disk."""
    home_assistant.call("lock", "lock", LOCK)
    home_assistant.wait_for_state(LOCK, "locked")
    time.sleep(1.5)  # on disk
    status_calls = simulator.state()["counts"]["status"]
    webhook = simulator.state()["locks"][0]["webhook_urls"][0]
    acknowledged: list[tuple[float, int]] = []  # (when HTTP 200 came, battery)
    started = time.monotonic()
    battery = 10  # below anything earlier tests left, so an old value cannot pass for a new one
    while time.monotonic() - started < 4.0:
        request("POST", webhook, {"lock_id": 6000, "battery_percentage": battery, "value1": str(battery)})
        acknowledged.append((time.monotonic(), battery))
        battery += 1
        time.sleep(0.35)
    killed_at = time.monotonic()
    home_assistant.stop(kill=True)  # SIGKILL in the stream: no shutdown, no final write
    home_assistant.start()
    home_assistant.onboard("E2E", USERNAME, PASSWORD)
    home_assistant.wait_started()
    assert home_assistant.state(LOCK)["state"] == "locked"
    restored = int(home_assistant.state("sensor.loqed_6000_battery")["state"])
    due = max(value for at, value in acknowledged if at <= killed_at - 1.0)
    # Exactly an acknowledged value, and none older than the last one due on disk.
    assert restored in [value for _, value in acknowledged]
    assert due <= restored <= acknowledged[-1][1]
    lost = sum(1 for at, value in acknowledged if at <= killed_at - 1.0 and value > restored)
    figures["events lost on SIGKILL (acknowledged 1 s or more before it)"] = (
        f"{lost} of {len(acknowledged)} sent 0.35 s apart"
    )
    assert simulator.state()["counts"]["status"] == status_calls  # the budget held: no status call
    # Nothing is replayed after the restart: the next event is applied once, on its own.
    simulator.control(lock=0, event={"battery_percentage": 77})
    home_assistant.wait_for_state("sensor.loqed_6000_battery", "77")
    survived.append("SIGKILL during a steady stream of events")


def test_zz_report(figures: dict[str, Any]) -> None:
    """Record the faults survived above (runs last in this module)."""
    figures["faults injected and survived (end-to-end)"] = f"{len(FAULTS_SURVIVED)}: {', '.join(FAULTS_SURVIVED)}"
    assert len(FAULTS_SURVIVED) >= 10
