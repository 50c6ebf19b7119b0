"""A personal access token's account at work: one lock list for its locks, pushed states, repairs."""

import time
from datetime import timedelta
from http import HTTPStatus
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryDisabler, ConfigEntryState
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.const import DOMAIN
from tests.client.test_token import jwt
from tests.test_config_schema import assert_declared

from .account import (
    BACK,
    BACK_ENTITY,
    BACK_HOOK,
    BACK_SUBENTRY,
    DELETED_KEY,
    FRONT,
    FRONT_ENTITY,
    FRONT_HOOK,
    FRONT_SUBENTRY,
    LOCKS_URL,
    REDIRECT_TO_LOGIN,
    TOKEN,
    advance,
    both_doors,
    list_reads,
    locks_answer,
    setup_account,
    state,
)
from .conftest import BASE_URL, LOCK_ID


@pytest.fixture(autouse=True)
def _webhook_ready(hass: HomeAssistant, external_url: None) -> None:
    """Every lock here has a webhook URL reachable from the internet."""


def issue(hass: HomeAssistant, issue_id: str) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, issue_id)


# --- setup, commands, webhooks ---------------------------------------------------------------


async def test_start_up_reads_the_list_once_for_every_lock_of_the_account(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    entry = await both_doors(hass, aioclient_mock)
    assert entry.state is ConfigEntryState.LOADED
    assert list_reads(aioclient_mock) == 1
    assert (state(hass, FRONT_ENTITY), state(hass, BACK_ENTITY)) == ("locked", "unlocked")
    assert state(hass, "sensor.back_door_battery") == "60"
    # Each lock is a device of the account's lock subentry.
    devices = {device.name: device for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)}
    assert set(devices) == {"Front door", "Back door"}
    entity = er.async_get(hass).async_get(FRONT_ENTITY)
    assert entity is not None
    assert (entity.config_entry_id, entity.config_subentry_id) == (entry.entry_id, "front")


async def test_the_settings_of_a_token_lock_come_from_the_list(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, entity_registry_enabled_by_default: None
) -> None:
    await both_doors(hass, aioclient_mock)
    assert state(hass, "binary_sensor.front_door_open_house") == "off"
    assert state(hass, "binary_sensor.front_door_guest_access") == "on"
    assert state(hass, "binary_sensor.front_door_twist_assist") == "off"
    assert state(hass, "binary_sensor.front_door_touch_to_connect") == "on"
    assert state(hass, "binary_sensor.back_door_open_house") == "unknown"  # the list did not say


async def test_twist_assist_and_touch_to_connect_are_disabled_by_default(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    await both_doors(hass, aioclient_mock)
    registry = er.async_get(hass)
    disabled = {
        entity.entity_id
        for entity in registry.entities.values()
        if entity.platform == DOMAIN and entity.disabled_by is not None
    }
    expected = {"twist_assist", "touch_to_connect", "bluetooth_signal"}
    assert disabled == {f"{kind}.{door}_{name}" for door in ("front_door", "back_door") for name in expected
                        for kind in (("sensor",) if name == "bluetooth_signal" else ("binary_sensor",))}  # fmt: skip


async def test_a_command_is_one_bolt_state_call_with_the_token(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    await both_doors(hass, aioclient_mock)
    aioclient_mock.clear_requests()
    aioclient_mock.get(f"{BASE_URL}/api/locks/{LOCK_ID}/bolt_state/open", status=HTTPStatus.NO_CONTENT)
    await hass.services.async_call("lock", "open", {"entity_id": FRONT_ENTITY}, blocking=True)
    [call] = aioclient_mock.mock_calls
    assert (call[0], str(call[1])) == ("GET", f"{BASE_URL}/api/locks/{LOCK_ID}/bolt_state/open")
    assert call[3]["Authorization"] == f"Bearer {TOKEN}"
    assert state(hass, FRONT_ENTITY) == "opening"


async def test_a_deleted_key_says_so_and_asks_the_account_for_a_new_token(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    entry = await both_doors(hass, aioclient_mock)
    aioclient_mock.get(f"{BASE_URL}/api/locks/{LOCK_ID}/bolt_state/night_lock", status=404, json=DELETED_KEY)
    with pytest.raises(HomeAssistantError) as refused:
        await hass.services.async_call("lock", "lock", {"entity_id": FRONT_ENTITY}, blocking=True)
    assert refused.value.translation_key == "key_deleted"
    await hass.async_block_till_done()
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert (flow["context"]["source"], flow["context"]["entry_id"]) == ("reauth", entry.entry_id)


async def test_the_numeric_id_of_the_webhooks_is_learnt_kept_and_then_required(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_client_no_auth: Any
) -> None:
    entry = await both_doors(hass, aioclient_mock)
    client = await hass_client_no_auth()
    by_new_id = {"lock_id": LOCK_ID, "battery_percentage": 79}  # the 20-character id teaches nothing
    assert (await client.post(f"/api/webhook/{FRONT_HOOK}", json=by_new_id)).status == HTTPStatus.OK
    assert "old_lock_id" not in entry.subentries["front"].data
    body = {"lock_id": 6000, "requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH", "key_local_id": 9}
    assert (await client.post(f"/api/webhook/{FRONT_HOOK}", json=body)).status == HTTPStatus.OK
    await hass.async_block_till_done()
    assert state(hass, FRONT_ENTITY) == "unlocked"
    assert entry.subentries["front"].data["old_lock_id"] == "6000"
    assert_declared("data", dict(entry.subentries["front"].data), subentry="lock")
    assert list_reads(aioclient_mock) == 1  # applied at once: no reload for it
    other = body | {"lock_id": 7000, "requested_state": "NIGHT_LOCK", "event_type": "STATE_CHANGED_NIGHT_LOCK"}
    assert (await client.post(f"/api/webhook/{FRONT_HOOK}", json=other)).status == HTTPStatus.OK
    assert state(hass, FRONT_ENTITY) == "unlocked"  # another lock's event changes nothing


@pytest.mark.parametrize("lock_id", [1180591620717411303424, -6000, 6000.0, "garbage", [6000]])
async def test_a_lock_id_no_lock_has_never_moves_a_tokens_lock(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_client_no_auth: Any, lock_id: object
) -> None:
    """Before its numeric id is known, a token's lock takes a plausible one only: this is not one."""
    entry = await both_doors(hass, aioclient_mock)
    client = await hass_client_no_auth()
    body = {"lock_id": lock_id, "requested_state": "OPEN", "event_type": "STATE_CHANGED_OPEN", "key_local_id": 9}
    assert (await client.post(f"/api/webhook/{FRONT_HOOK}", json=body)).status == HTTPStatus.OK
    assert state(hass, FRONT_ENTITY) == "locked"
    assert "old_lock_id" not in entry.subentries["front"].data


# --- reconciliation ---------------------------------------------------------------------------


async def test_the_list_corrects_a_state_the_webhooks_missed_every_15_minutes(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    await both_doors(hass, aioclient_mock)
    locks_answer(aioclient_mock, FRONT | {"bolt_state": "open"}, BACK | {"bolt_state": "night_lock"})
    await advance(hass, freezer, timedelta(minutes=14))
    assert list_reads(aioclient_mock) == 0
    assert state(hass, FRONT_ENTITY) == "locked"
    await advance(hass, freezer, timedelta(minutes=1))
    assert list_reads(aioclient_mock) == 1  # one read for both locks
    assert (state(hass, FRONT_ENTITY), state(hass, BACK_ENTITY)) == ("open", "locked")


async def test_zero_minutes_really_means_no_scheduled_read(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    await both_doors(hass, aioclient_mock, reconcile_minutes=0)
    aioclient_mock.clear_requests()
    await advance(hass, freezer, timedelta(hours=6))
    assert list_reads(aioclient_mock) == 0


async def test_the_interval_is_the_entrys_own(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    await both_doors(hass, aioclient_mock, reconcile_minutes=60)
    locks_answer(aioclient_mock, FRONT, BACK)
    await advance(hass, freezer, timedelta(minutes=59))
    assert list_reads(aioclient_mock) == 0
    await advance(hass, freezer, timedelta(minutes=1))
    assert list_reads(aioclient_mock) == 1


async def test_update_entity_shortly_after_a_webhook_does_not_go_back(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_client_no_auth: Any, freezer: FrozenDateTimeFactory
) -> None:
    """The list (read moments ago, or now) may be older than the event: it is left alone."""
    await both_doors(hass, aioclient_mock)
    assert await async_setup_component(hass, "homeassistant", {})
    client = await hass_client_no_auth()
    reached = {"lock_id": 6000, "requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH", "key_local_id": 9}
    await client.post(f"/api/webhook/{FRONT_HOOK}", json=reached)
    assert state(hass, FRONT_ENTITY) == "unlocked"
    freezer.tick(timedelta(seconds=5))
    await hass.services.async_call("homeassistant", "update_entity", {"entity_id": FRONT_ENTITY}, blocking=True)
    await hass.async_block_till_done()
    assert state(hass, FRONT_ENTITY) == "unlocked"  # the list still says locked: it is older
    freezer.tick(timedelta(seconds=31))
    await hass.services.async_call("homeassistant", "update_entity", {"entity_id": FRONT_ENTITY}, blocking=True)
    await hass.async_block_till_done()
    assert state(hass, FRONT_ENTITY) == "locked"  # a read asked for well after the event corrects


async def test_no_correction_during_a_movement_and_the_timer_follows_what_was_applied(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory, hass_client_no_auth: Any
) -> None:
    entry = await both_doors(hass, aioclient_mock, transition_timeout=60)
    assert await async_setup_component(hass, "homeassistant", {})
    aioclient_mock.get(f"{BASE_URL}/api/locks/{LOCK_ID}/bolt_state/day_lock", status=HTTPStatus.NO_CONTENT)
    await hass.services.async_call("lock", "unlock", {"entity_id": FRONT_ENTITY}, blocking=True)
    freezer.tick(timedelta(seconds=45))  # a fresh read, still during the command
    await hass.services.async_call("homeassistant", "update_entity", {"entity_id": FRONT_ENTITY}, blocking=True)
    assert list_reads(aioclient_mock) == 2
    assert state(hass, FRONT_ENTITY) == "unlocking"  # not flipped back to locked during the command
    reached = {"lock_id": 6000, "requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH", "key_local_id": 9}
    client = await hass_client_no_auth()
    await client.post(f"/api/webhook/{FRONT_HOOK}", json=reached)
    await advance(hass, freezer, timedelta(seconds=60))  # the transition's timer was stopped by the event
    assert state(hass, FRONT_ENTITY) == "unlocked"
    assert entry.runtime_data.locks["front"].facts.missed_confirmations == 0


async def test_a_missing_confirmation_reads_the_list_once(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    entry = await both_doors(hass, aioclient_mock, transition_timeout=5)
    locks_answer(aioclient_mock, FRONT | {"bolt_state": "day_lock"}, BACK)
    aioclient_mock.get(f"{BASE_URL}/api/locks/{LOCK_ID}/bolt_state/day_lock", status=HTTPStatus.NO_CONTENT)
    await hass.services.async_call("lock", "unlock", {"entity_id": FRONT_ENTITY}, blocking=True)
    await advance(hass, freezer, timedelta(seconds=6))
    assert list_reads(aioclient_mock) == 1
    assert state(hass, FRONT_ENTITY) == "unlocked"
    assert entry.runtime_data.locks["front"].facts.missed_confirmations == 1


async def test_a_failed_read_after_a_missing_confirmation_leaves_the_state_unknown(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    await both_doors(hass, aioclient_mock)
    locks_answer(aioclient_mock, status=HTTPStatus.BAD_GATEWAY)
    aioclient_mock.get(f"{BASE_URL}/api/locks/{LOCK_ID}/bolt_state/day_lock", status=HTTPStatus.NO_CONTENT)
    await hass.services.async_call("lock", "unlock", {"entity_id": FRONT_ENTITY}, blocking=True)
    await advance(hass, freezer, timedelta(seconds=31))
    assert list_reads(aioclient_mock) == 1
    assert state(hass, FRONT_ENTITY) == "unknown"


# --- a lock one read leaves out ------------------------------------------------------------------


async def test_a_lock_left_out_at_start_up_is_unavailable_and_comes_back_by_itself(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    locks_answer(aioclient_mock, BACK)  # a glitch of LOQED's list: the front door is missing
    entry = await setup_account(hass)
    assert entry.state is ConfigEntryState.LOADED  # not an authentication error
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []  # no reauth
    assert (state(hass, FRONT_ENTITY), state(hass, BACK_ENTITY)) == ("unavailable", "unlocked")
    locks_answer(aioclient_mock, FRONT, BACK)
    await advance(hass, freezer, timedelta(minutes=15))
    assert state(hass, FRONT_ENTITY) == "locked"
    assert entry.runtime_data.locks["front"].facts.missed_reads == 0


async def test_a_lock_left_out_later_comes_back_with_the_next_read_that_names_it(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    await both_doors(hass, aioclient_mock)
    locks_answer(aioclient_mock, BACK)
    await advance(hass, freezer, timedelta(minutes=15))
    assert state(hass, FRONT_ENTITY) == "unavailable"
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []
    locks_answer(aioclient_mock, FRONT | {"bolt_state": "day_lock"}, BACK)
    await advance(hass, freezer, timedelta(minutes=15))
    assert state(hass, FRONT_ENTITY) == "unlocked"


async def test_a_lock_missing_for_a_day_of_reads_raises_a_repair_that_removes_it(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    entry = await both_doors(hass, aioclient_mock, reconcile_minutes=240)
    locks_answer(aioclient_mock, BACK)
    for _ in range(6):  # six reads, 20 hours from the first one that left it out
        await advance(hass, freezer, timedelta(hours=4))
    assert issue(hass, "lock_left_account_front") is None
    assert state(hass, FRONT_ENTITY) == "unavailable"
    await advance(hass, freezer, timedelta(hours=4))  # a day of reads that leave it out
    repair = issue(hass, "lock_left_account_front")
    assert repair is not None
    assert (repair.is_fixable, repair.translation_placeholders["title"]) == (True, "Front door")
    # The user removes the lock through the repair.
    assert await async_setup_component(hass, "repairs", {})
    from homeassistant.components.repairs import repairs_flow_manager  # noqa: PLC0415  # needs the component

    manager = repairs_flow_manager(hass)
    assert manager is not None
    flow = await manager.async_init(DOMAIN, data={"issue_id": "lock_left_account_front"})
    assert flow["step_id"] == "confirm"
    result = await manager.async_configure(flow["flow_id"], {})
    assert result["type"] == "create_entry"
    await hass.async_block_till_done()
    assert set(entry.subentries) == {"back"}
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(FRONT_ENTITY) is None
    assert er.async_get(hass).async_get(FRONT_ENTITY) is None
    assert {device.name for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)} == {
        "Back door"
    }
    assert f"{DOMAIN}.{LOCK_ID}" not in hass_storage
    assert issue(hass, "lock_left_account_front") is None
    assert state(hass, BACK_ENTITY) == "unlocked"


async def test_the_left_account_repair_goes_when_a_read_names_the_lock_again(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    await both_doors(hass, aioclient_mock, reconcile_minutes=480)
    locks_answer(aioclient_mock, BACK)
    for _ in range(4):  # a day from the first read that left it out
        await advance(hass, freezer, timedelta(hours=8))
    assert issue(hass, "lock_left_account_front") is not None
    locks_answer(aioclient_mock, FRONT, BACK)
    await advance(hass, freezer, timedelta(hours=8))
    assert issue(hass, "lock_left_account_front") is None
    assert state(hass, FRONT_ENTITY) == "locked"


# --- the back-off and the token's expiry -------------------------------------------------------


async def test_a_429_backs_off_for_12_hours_with_a_repair(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    entry = await both_doors(hass, aioclient_mock)
    locks_answer(aioclient_mock, status=HTTPStatus.TOO_MANY_REQUESTS)
    await advance(hass, freezer, timedelta(minutes=15))
    assert list_reads(aioclient_mock) == 1
    assert issue(hass, f"lock_list_blocked_{entry.entry_id}") is not None
    for _ in range(47):  # 11 h 45 min of 15-minute ticks: no call at all
        await advance(hass, freezer, timedelta(minutes=15))
    assert list_reads(aioclient_mock) == 1
    locks_answer(aioclient_mock, FRONT, BACK)
    await advance(hass, freezer, timedelta(minutes=15))
    assert list_reads(aioclient_mock) == 1
    assert issue(hass, f"lock_list_blocked_{entry.entry_id}") is None


async def test_a_back_off_survives_a_reload_and_a_restart_and_so_does_its_repair(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_storage: dict[str, Any]
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, title="LOQED (Front door)", data={"access_token": TOKEN}, version=2,
                            subentries_data=(FRONT_SUBENTRY,))  # fmt: skip
    blocked_until = time.time() + 3600.0
    hass_storage[f"{DOMAIN}.accounts"] = {
        "version": 1,
        "key": f"{DOMAIN}.accounts",
        "data": {entry.entry_id: {"blocked_until": blocked_until}},
    }
    locks_answer(aioclient_mock, FRONT)
    entry.add_to_hass(hass)
    assert await async_setup_component(hass, "webhook", {})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED  # with what it knew, waiting for webhooks
    assert list_reads(aioclient_mock) == 0
    assert issue(hass, f"lock_list_blocked_{entry.entry_id}") is not None
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert issue(hass, f"lock_list_blocked_{entry.entry_id}") is not None  # still true, so still shown
    assert list_reads(aioclient_mock) == 0


async def test_a_repair_warns_14_days_before_the_token_expires(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    expires_at = int(time.time()) + 10 * 86400
    locks_answer(aioclient_mock, FRONT, BACK)
    entry = await setup_account(hass, token=jwt({"exp": expires_at}))
    repair = issue(hass, f"token_expiring_{entry.entry_id}")
    assert repair is not None
    # The date in Home Assistant's time zone, as the user reads it.
    local_date = dt_util.as_local(dt_util.utc_from_timestamp(expires_at)).strftime("%Y-%m-%d")
    assert repair.translation_placeholders == {"title": "LOQED (Front door, Back door)", "date": local_date}


async def test_an_expired_token_fails_setup_into_reauth_without_a_call(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    entry = await setup_account(hass, token=jwt({"exp": int(time.time()) - 60}))
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert aioclient_mock.call_count == 0
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert (flow["context"]["source"], flow["context"]["entry_id"]) == ("reauth", entry.entry_id)


async def test_a_token_that_expires_while_running_asks_for_a_new_one(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    await setup_account(hass, token=jwt({"exp": int(time.time()) + 3600}))
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    await advance(hass, freezer, timedelta(hours=12))
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == "reauth"


async def test_a_token_refused_at_a_scheduled_read_asks_the_account_for_a_new_one(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    entry = await both_doors(hass, aioclient_mock)
    locks_answer(aioclient_mock, **REDIRECT_TO_LOGIN)  # revoked
    await advance(hass, freezer, timedelta(minutes=15))
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [(flow["context"]["source"], flow["context"]["entry_id"]) for flow in flows] == [("reauth", entry.entry_id)]


# --- unload, disable, removal ------------------------------------------------------------------


async def test_unload_and_disable_take_the_repairs_away_and_a_reload_brings_back_the_true_ones(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    hass.config.external_url = None
    entry = await setup_account(hass, token=jwt({"exp": int(time.time()) + 86400}))
    shown = {"token_expiring_" + entry.entry_id, "no_internet_url_front", "no_internet_url_back"}
    assert {issue_id for (domain, issue_id) in ir.async_get(hass).issues if domain == DOMAIN} == shown
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert {issue_id for (domain, issue_id) in ir.async_get(hass).issues if domain == DOMAIN} == shown
    await hass.config_entries.async_set_disabled_by(entry.entry_id, ConfigEntryDisabler.USER)
    await hass.async_block_till_done()
    assert {issue_id for (domain, issue_id) in ir.async_get(hass).issues if domain == DOMAIN} == set()


async def test_removing_the_account_removes_everything_of_its_locks(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_storage: dict[str, Any]
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    entry = await setup_account(hass, token=jwt({"exp": int(time.time()) + 86400}))
    await hass.async_block_till_done()
    assert issue(hass, f"token_expiring_{entry.entry_id}") is not None
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert [key for key in hass_storage if key.startswith(f"{DOMAIN}.") and key != f"{DOMAIN}.accounts"] == []
    assert {issue_id for (domain, issue_id) in ir.async_get(hass).issues if domain == DOMAIN} == set()
    assert er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id) == []


async def test_an_api_key_lock_and_an_account_live_side_by_side(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, loaded: MockConfigEntry, hass_client_no_auth: Any
) -> None:
    aioclient_mock.get(LOCKS_URL, json={"data": [BACK]})
    entry = MockConfigEntry(domain=DOMAIN, title="LOQED (Back door)", data={"access_token": TOKEN}, version=2,
                            subentries_data=(BACK_SUBENTRY,))  # fmt: skip
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert (loaded.state, entry.state) == (ConfigEntryState.LOADED, ConfigEntryState.LOADED)
    client = await hass_client_no_auth()
    body = {"requested_state": "NIGHT_LOCK", "event_type": "STATE_CHANGED_NIGHT_LOCK", "key_local_id": 9}
    await client.post(f"/api/webhook/{BACK_HOOK}", json=body | {"lock_id": 6001})
    await client.post(
        f"/api/webhook/{loaded.data[CONF_WEBHOOK_ID]}",
        json=body | {"lock_id": 6148, "requested_state": "OPEN", "event_type": "STATE_CHANGED_OPEN"},
    )
    assert state(hass, BACK_ENTITY) == "locked"
    assert state(hass, "lock.loqed_6148") == "open"


async def test_diagnostics_of_an_account_hide_the_token(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_client: Any
) -> None:
    from pytest_homeassistant_custom_component.components.diagnostics import (  # noqa: PLC0415
        get_diagnostics_for_config_entry,
    )

    entry = await both_doors(hass, aioclient_mock)
    assert await async_setup_component(hass, "diagnostics", {})
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    for secret in (TOKEN, FRONT_HOOK, BACK_HOOK):
        assert secret not in str(diagnostics)
    assert diagnostics["entry"]["data"]["access_token"] == "**REDACTED**"
    assert [lock["title"] for lock in diagnostics["locks"]] == ["Front door", "Back door"]
    assert diagnostics["locks"][0]["connection"] == {"credential": "personal_access_token"}
    assert diagnostics["account"]["locks_in_list"] == 2
    assert diagnostics["account"]["lock_list_blocked_until"] is None
