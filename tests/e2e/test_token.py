"""A personal access token in a real Home Assistant, against the simulated Integrations API.

The account has three locks; the third is set up with its API key first, so the token offers
the other two, set up as one account entry with each lock under it. Real sockets, real
webhooks with copies, the simulator's own checks. The tests run in order, as a user's months:
commands, a lost webhook, a restart with a glitch of LOQED's list, a new token, a lock removed.
"""

import time
from collections.abc import Iterator
from typing import Any

import pytest

from harness import HomeAssistantProcess, SimulatorProcess
from harness.http import HttpError

from .conftest import running_hass, running_simulator

pytestmark = pytest.mark.e2e

FRONT, BACK, API_KEY_LOCK = "lock.front_door", "lock.back_door", "lock.loqed_6002"


@pytest.fixture(scope="module")
def cloud() -> Iterator[SimulatorProcess]:
    with running_simulator(locks=3) as sim:
        yield sim


@pytest.fixture(scope="module")
def hass_with_token(
    cloud: SimulatorProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HomeAssistantProcess]:
    """Lock 2 by its API key, then locks 0 and 1 by the account's token, as a user would."""
    with running_hass(tmp_path_factory.mktemp("hass-token"), cloud) as process:
        result = process.add_lock(cloud.paste_text(2))
        cloud.control(lock=2, webhook_url=result["description_placeholders"]["webhook_url"])
        urls = process.add_token_locks(cloud.token)
        assert set(urls) == {"Front door", "Back door"}  # the lock set up already is not offered
        for index, name in enumerate(("Front door", "Back door")):
            cloud.control(lock=index, webhook_url=urls[name])
        yield process


def gone(hass: HomeAssistantProcess, entity_id: str) -> bool:
    try:
        hass.state(entity_id)
    except HttpError:
        return True  # 404: no such entity
    return False


def account(hass: HomeAssistantProcess) -> dict[str, Any]:
    [entry] = [
        entry
        for entry in hass.api("GET", "/api/config/config_entries/entry?domain=loqed_web")
        if entry["title"].startswith("LOQED (")
    ]
    return dict(entry)


def test_one_account_entry_holds_both_locks_beside_an_api_key_lock(
    hass_with_token: HomeAssistantProcess, cloud: SimulatorProcess
) -> None:
    hass = hass_with_token
    entry = account(hass)
    assert entry["title"] == "LOQED (Front door, Back door)"
    assert sorted(lock["title"] for lock in hass.subentries(entry["entry_id"])) == ["Back door", "Front door"]
    assert hass.state(FRONT)["state"] == hass.state(BACK)["state"] == "locked"  # from the one list read
    assert cloud.state()["counts"]["lock_list"] == 2  # the flow's read, and one at start-up for both
    hass.call("lock", "unlock", FRONT)
    hass.wait_for_state(FRONT, "unlocked")
    assert hass.state("sensor.front_door_last_operated_by")["state"] == "Home Assistant (token)"
    hass.call("lock", "open", API_KEY_LOCK)  # the API key's lock works beside them
    hass.wait_for_state(API_KEY_LOCK, "open")
    hass.call("lock", "lock", FRONT)
    hass.wait_for_state(FRONT, "locked")
    counts = cloud.state()["counts"]
    assert (counts["commands"], counts["commands_accepted"]) == (3, 3)


def test_the_list_corrects_a_state_whose_webhook_was_lost(
    hass_with_token: HomeAssistantProcess, cloud: SimulatorProcess
) -> None:
    hass = hass_with_token
    hass.set_options({"transition_timeout": 5, "reconcile_minutes": 15, "silence_hours": 24}, account(hass)["entry_id"])
    hass.wait_for_state(BACK, "locked")  # set up again with the new settings
    cloud.control(faults={"drop_webhooks": True})
    try:
        hass.call("lock", "unlock", BACK)
        assert hass.state(BACK)["state"] == "unlocking"
        # No event comes; after 5 s the list is read once and says where the lock went.
        hass.wait_for_state(BACK, "unlocked", timeout=20)
    finally:
        cloud.control(faults={"drop_webhooks": False})


def test_a_lock_one_read_leaves_out_after_a_restart_comes_back_by_itself(
    hass_with_token: HomeAssistantProcess, cloud: SimulatorProcess
) -> None:
    hass = hass_with_token
    hass.stop()
    cloud.control(token={"leave_out": 0})  # LOQED's list forgets the front door once
    hass.start()
    hass.wait_started()
    hass.wait_for_state(FRONT, "unavailable")
    assert hass.flows_in_progress() == []  # not an authentication error: no reauth
    assert hass.state(BACK)["state"] == "unlocked"
    hass.call("button", "press", "button.front_door_read_status_now")  # the next read names it
    hass.wait_for_state(FRONT, "locked")


def test_a_new_token_by_reauth_keeps_the_locks_and_their_webhooks(
    hass_with_token: HomeAssistantProcess, cloud: SimulatorProcess
) -> None:
    hass = hass_with_token
    hass.stop()
    cloud.control(token={"expires_in": 182 * 86400})  # a new token: the old one no longer works
    new_token = cloud.state()["personal_access_token"]
    hass.start()
    hass.wait_started()
    [flow] = [flow for flow in hass.flows_in_progress() if flow["context"].get("source") == "reauth"]
    assert flow["context"]["entry_id"] == account(hass)["entry_id"]  # one reauth, for the account
    hass.renew_token(new_token)
    hass.wait_for_state(FRONT, "locked")
    assert account(hass)["state"] == "loaded"
    cloud.control(lock=0, knob="DAY_LOCK")  # the webhook URL entered on the portal still works
    hass.wait_for_state(FRONT, "unlocked")
    log = hass.log_path.read_text()
    assert "Detected that custom integration 'loqed_web'" not in log


def test_removing_one_lock_leaves_the_other(hass_with_token: HomeAssistantProcess, cloud: SimulatorProcess) -> None:
    hass = hass_with_token
    entry = account(hass)
    [back] = [lock for lock in hass.subentries(entry["entry_id"]) if lock["title"] == "Back door"]
    hass.remove_subentry(entry["entry_id"], back["subentry_id"])
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not gone(hass, BACK):
        time.sleep(0.2)
    assert gone(hass, BACK)
    assert [lock["title"] for lock in hass.subentries(entry["entry_id"])] == ["Front door"]
    cloud.control(lock=0, knob="NIGHT_LOCK")
    hass.wait_for_state(FRONT, "locked")
    cloud.control(lock=1, knob="DAY_LOCK")  # the removed lock's webhook reaches nothing now
    assert account(hass)["state"] == "loaded"
