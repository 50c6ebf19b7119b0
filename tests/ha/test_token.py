"""A personal access token: one paste sets up the account's locks, side by side with API keys."""

import time
from datetime import timedelta
from http import HTTPStatus
from typing import Any

import pytest
from aiohttp import ClientConnectorError
from freezegun.api import FrozenDateTimeFactory
from homeassistant import config_entries
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_ACCESS_TOKEN, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.account import account_key
from custom_components.loqed_web.aioloqedweb import BatteryType, BoltState, LockStatus
from custom_components.loqed_web.const import DOMAIN
from tests.client.test_token import jwt
from tests.test_config_schema import assert_declared

from .conftest import BASE_URL, LOCK_ID

LOCKS_URL = f"{BASE_URL}/api/locks/"
BACK_ID = "BackDoor0000000000ab"
TOKEN_EXPIRES_AT = int(time.time()) + 180 * 86400
TOKEN = jwt({"sub": "7", "exp": TOKEN_EXPIRES_AT})
FRONT = {"id": LOCK_ID, "name": "Front door", "bolt_state": "night_lock", "online": True, "battery_percentage": 80}
BACK = {"id": BACK_ID, "name": "Back door", "bolt_state": "day_lock", "online": True, "battery_percentage": 60}
FRONT_ENTITY, BACK_ENTITY = "lock.front_door", "lock.back_door"
DELETED_KEY = {"message": "No query results for model [App\\Models\\ApiKey]."}


@pytest.fixture(autouse=True)
def _webhook_ready(hass: HomeAssistant, external_url: None) -> None:
    """Every lock here has a webhook URL reachable from the internet."""


async def advance(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    """Move the clock on and wait for what became due, the list reads (background tasks) too."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def locks_answer(aioclient_mock: AiohttpClientMocker, *locks: dict[str, Any], **kwargs: Any) -> None:
    aioclient_mock.clear_requests()
    aioclient_mock.get(LOCKS_URL, json={"data": list(locks)}, **kwargs)


def list_reads(aioclient_mock: AiohttpClientMocker) -> int:
    return sum(1 for call in aioclient_mock.mock_calls if str(call[1]) == LOCKS_URL)


def token_entry(
    hass: HomeAssistant, lock_id: str, title: str, webhook_id: str, token: str = TOKEN, **options: Any
) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=lock_id,
        data={CONF_ACCESS_TOKEN: token, "lock_id": lock_id, CONF_WEBHOOK_ID: webhook_id},
        options=options,
    )
    entry.add_to_hass(hass)
    return entry


async def setup_front_door(hass: HomeAssistant, token: str = TOKEN, **options: Any) -> MockConfigEntry:
    """Set up the front door alone; return its entry, loaded or not."""
    entry = token_entry(hass, LOCK_ID, "Front door", "a" * 32, token, **options)
    assert await async_setup_component(hass, "webhook", {})
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def setup_both(hass: HomeAssistant) -> tuple[MockConfigEntry, MockConfigEntry]:
    """Set up the front and back door of one token, as the flow leaves them."""
    front = token_entry(hass, LOCK_ID, "Front door", "a" * 32)
    back = token_entry(hass, BACK_ID, "Back door", "b" * 32)
    assert await async_setup_component(hass, "webhook", {})
    await hass.config_entries.async_setup(front.entry_id)  # sets up every entry of the domain
    await hass.async_block_till_done()
    return front, back


async def paste(hass: HomeAssistant, text: str, source: str = config_entries.SOURCE_USER) -> FlowResult:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": source})
    return await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": text})


# --- the config flow -----------------------------------------------------------------------


async def test_one_token_sets_up_the_ticked_locks_each_with_its_own_webhook(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    result = await paste(hass, f"Bearer {TOKEN}\n")
    assert (result["type"], result["step_id"]) == (FlowResultType.FORM, "pick_locks")
    [call] = aioclient_mock.mock_calls
    assert (call[0], str(call[1]), call[3]["Authorization"]) == ("GET", LOCKS_URL, f"Bearer {TOKEN}")
    picker = result["data_schema"].schema["locks"].config  # type: ignore[union-attr]
    assert picker["options"] == [{"value": LOCK_ID, "label": "Front door"}, {"value": BACK_ID, "label": "Back door"}]

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"locks": [LOCK_ID, BACK_ID]})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert (result["title"], result["description"]) == ("Front door", "token")
    entries = {entry.unique_id: entry for entry in hass.config_entries.async_entries(DOMAIN)}
    assert set(entries) == {LOCK_ID, BACK_ID}
    assert entries[BACK_ID].title == "Back door"
    urls = result["description_placeholders"]["webhook_urls"].splitlines()
    for entry in entries.values():
        assert set(entry.data) == {CONF_ACCESS_TOKEN, "lock_id", CONF_WEBHOOK_ID}
        assert entry.data[CONF_ACCESS_TOKEN] == TOKEN
        assert_declared("data", dict(entry.data))
        url = f"https://home.example.com/api/webhook/{entry.data[CONF_WEBHOOK_ID]}"
        assert f"- **{entry.title}**: {url}" in urls
    assert entries[LOCK_ID].data[CONF_WEBHOOK_ID] != entries[BACK_ID].data[CONF_WEBHOOK_ID]


async def test_a_lock_set_up_already_is_not_offered_and_nothing_left_aborts(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    MockConfigEntry(domain=DOMAIN, unique_id=LOCK_ID, data={}).add_to_hass(hass)  # an API key's entry
    locks_answer(aioclient_mock, FRONT, BACK)
    result = await paste(hass, TOKEN)
    picker = result["data_schema"].schema["locks"].config  # type: ignore[union-attr]
    assert picker["options"] == [{"value": BACK_ID, "label": "Back door"}]
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"locks": []})
    assert result["errors"] == {"base": "pick_one"}
    locks_answer(aioclient_mock, FRONT)
    result = await paste(hass, TOKEN)
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "all_locks_configured")


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({"status": HTTPStatus.FOUND, "headers": {"Location": "/login"}}, "invalid_auth"),
        ({"status": HTTPStatus.UNAUTHORIZED}, "invalid_auth"),
        ({"status": HTTPStatus.TOO_MANY_REQUESTS}, "rate_limited"),
        ({"exc": ClientConnectorError(None, OSError("refused"))}, "cannot_connect"),  # type: ignore[arg-type]
        ({"json": {"data": []}}, "no_locks"),
        ({"text": "<html>maintenance</html>"}, "unknown"),  # not JSON: logged at warning
    ],
)
async def test_token_errors_then_a_corrected_retry(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, answer: dict[str, Any], error: str
) -> None:
    aioclient_mock.get(LOCKS_URL, **answer)
    result = await paste(hass, TOKEN)
    assert (result["step_id"], result["errors"]) == ("user", {"base": error})
    locks_answer(aioclient_mock, FRONT)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": TOKEN})
    assert result["step_id"] == "pick_locks"


async def test_an_expired_token_is_refused_without_a_call(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    result = await paste(hass, jwt({"exp": int(time.time()) - 1}))
    assert result["errors"] == {"base": "token_expired"}
    assert aioclient_mock.call_count == 0


# --- setup, commands, webhooks ---------------------------------------------------------------


async def test_start_up_reads_the_list_once_for_every_lock_of_the_account(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    front, back = await setup_both(hass)
    assert (front.state, back.state) == (ConfigEntryState.LOADED, ConfigEntryState.LOADED)
    assert list_reads(aioclient_mock) == 1
    assert hass.states.get(FRONT_ENTITY).state == "locked"  # type: ignore[union-attr]
    assert hass.states.get(BACK_ENTITY).state == "unlocked"  # type: ignore[union-attr]
    assert hass.states.get("sensor.back_door_battery").state == "60"  # type: ignore[union-attr]


async def test_a_command_is_one_bolt_state_call_with_the_token(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    await setup_both(hass)
    aioclient_mock.clear_requests()
    aioclient_mock.get(f"{BASE_URL}/api/locks/{LOCK_ID}/bolt_state/open", status=HTTPStatus.NO_CONTENT)
    await hass.services.async_call("lock", "open", {"entity_id": FRONT_ENTITY}, blocking=True)
    [call] = aioclient_mock.mock_calls
    assert (call[0], str(call[1])) == ("GET", f"{BASE_URL}/api/locks/{LOCK_ID}/bolt_state/open")
    assert call[3]["Authorization"] == f"Bearer {TOKEN}"
    assert hass.states.get(FRONT_ENTITY).state == "opening"  # type: ignore[union-attr]


async def test_a_deleted_key_says_so_and_asks_for_a_new_token(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    front, _back = await setup_both(hass)
    aioclient_mock.get(f"{BASE_URL}/api/locks/{LOCK_ID}/bolt_state/night_lock", status=404, json=DELETED_KEY)
    with pytest.raises(HomeAssistantError) as refused:
        await hass.services.async_call("lock", "lock", {"entity_id": FRONT_ENTITY}, blocking=True)
    assert refused.value.translation_key == "key_deleted"
    await hass.async_block_till_done()
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert (flow["context"]["source"], flow["context"]["entry_id"]) == ("reauth", front.entry_id)


async def test_the_numeric_id_of_the_webhooks_is_learnt_and_then_required(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_client_no_auth: Any
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    front, _back = await setup_both(hass)
    client = await hass_client_no_auth()
    by_new_id = {"lock_id": LOCK_ID, "battery_percentage": 79}  # the 20-character id teaches nothing
    assert (await client.post(f"/api/webhook/{'a' * 32}", json=by_new_id)).status == HTTPStatus.OK
    assert "old_lock_id" not in front.data
    body = {"lock_id": 6000, "requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH", "key_local_id": 9}
    assert (await client.post(f"/api/webhook/{'a' * 32}", json=body)).status == HTTPStatus.OK
    assert hass.states.get(FRONT_ENTITY).state == "unlocked"  # type: ignore[union-attr]
    assert front.data["old_lock_id"] == "6000"
    assert_declared("data", dict(front.data))
    other = body | {"lock_id": 7000, "requested_state": "NIGHT_LOCK", "event_type": "STATE_CHANGED_NIGHT_LOCK"}
    assert (await client.post(f"/api/webhook/{'a' * 32}", json=other)).status == HTTPStatus.OK
    assert hass.states.get(FRONT_ENTITY).state == "unlocked"  # another lock's event changes nothing


# --- reconciliation ---------------------------------------------------------------------------


async def test_the_list_corrects_a_state_the_webhooks_missed_every_15_minutes(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    await setup_both(hass)
    locks_answer(aioclient_mock, FRONT | {"bolt_state": "open"})  # the back door is missing for once
    await advance(hass, freezer, timedelta(minutes=14))
    assert list_reads(aioclient_mock) == 0
    assert hass.states.get(FRONT_ENTITY).state == "locked"  # type: ignore[union-attr]
    await advance(hass, freezer, timedelta(minutes=1))
    assert list_reads(aioclient_mock) == 1  # one read for both locks
    assert hass.states.get(FRONT_ENTITY).state == "open"  # type: ignore[union-attr]
    assert hass.states.get(BACK_ENTITY).state == "unlocked"  # type: ignore[union-attr]


async def test_reconciliation_can_be_turned_off(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    locks_answer(aioclient_mock, FRONT)
    await setup_front_door(hass, reconcile_minutes=0)
    aioclient_mock.clear_requests()
    await advance(hass, freezer, timedelta(hours=6))
    assert list_reads(aioclient_mock) == 0


async def test_a_429_backs_off_for_12_hours_with_a_repair(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    await setup_both(hass)
    locks_answer(aioclient_mock, status=HTTPStatus.TOO_MANY_REQUESTS)
    await advance(hass, freezer, timedelta(minutes=15))
    assert list_reads(aioclient_mock) == 1
    issue_id = f"lock_list_blocked_{account_key(TOKEN)}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    for _ in range(47):  # 11 h 45 min of 15-minute ticks: no call at all
        await advance(hass, freezer, timedelta(minutes=15))
    assert list_reads(aioclient_mock) == 1
    locks_answer(aioclient_mock, FRONT, BACK)
    await advance(hass, freezer, timedelta(minutes=15))
    assert list_reads(aioclient_mock) == 1
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_a_missing_confirmation_reads_the_list_once(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    front, _back = await setup_both(hass)
    hass.config_entries.async_update_entry(front, options={"transition_timeout": 5})
    locks_answer(aioclient_mock, FRONT | {"bolt_state": "day_lock"}, BACK)
    aioclient_mock.get(f"{BASE_URL}/api/locks/{LOCK_ID}/bolt_state/day_lock", status=HTTPStatus.NO_CONTENT)
    await hass.services.async_call("lock", "unlock", {"entity_id": FRONT_ENTITY}, blocking=True)
    await advance(hass, freezer, timedelta(seconds=6))  # a fresh read, not the start-up one of moments ago
    assert list_reads(aioclient_mock) == 1
    assert hass.states.get(FRONT_ENTITY).state == "unlocked"  # type: ignore[union-attr]


# --- expiry and a new token -----------------------------------------------------------------


async def test_a_repair_warns_14_days_before_the_token_expires(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    expires_at = int(time.time()) + 10 * 86400
    soon = jwt({"exp": expires_at})
    locks_answer(aioclient_mock, FRONT)
    await setup_front_door(hass, soon)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"token_expiring_{account_key(soon)}")
    assert issue is not None
    # The date in Home Assistant's time zone, as the user reads it.
    local_date = dt_util.as_local(dt_util.utc_from_timestamp(expires_at)).strftime("%Y-%m-%d")
    assert issue.translation_placeholders == {"date": local_date}


async def test_an_expired_token_asks_for_a_new_one_and_the_new_one_serves_every_lock(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    front, back = await setup_both(hass)
    webhooks = (front.data[CONF_WEBHOOK_ID], back.data[CONF_WEBHOOK_ID])
    result = await front.start_reauth_flow(hass)
    same = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": TOKEN})
    assert same["errors"] == {"base": "same_credentials"}
    new_token = jwt({"sub": "8", "exp": int(time.time()) + 180 * 86400})
    locks_answer(aioclient_mock, BACK)
    elsewhere = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": new_token})
    assert elsewhere["errors"] == {"base": "lock_not_in_account"}
    locks_answer(aioclient_mock, FRONT, BACK)
    done = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": new_token})
    await hass.async_block_till_done()
    assert (done["type"], done["reason"]) == (FlowResultType.ABORT, "reauth_successful")
    assert (front.data[CONF_ACCESS_TOKEN], back.data[CONF_ACCESS_TOKEN]) == (new_token, new_token)
    assert (front.data[CONF_WEBHOOK_ID], back.data[CONF_WEBHOOK_ID]) == webhooks
    assert (front.state, back.state) == (ConfigEntryState.LOADED, ConfigEntryState.LOADED)


async def test_an_expired_token_fails_setup_into_reauth_without_a_call(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    entry = await setup_front_door(hass, jwt({"exp": int(time.time()) - 60}))
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert aioclient_mock.call_count == 0
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == "reauth"


async def test_a_back_off_survives_a_restart(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_storage: dict[str, Any]
) -> None:
    blocked_until = time.time() + 3600.0
    hass_storage["loqed_web.accounts"] = {
        "version": 1,
        "key": "loqed_web.accounts",
        "data": {account_key(TOKEN): {"blocked_until": blocked_until}},
    }
    locks_answer(aioclient_mock, FRONT, BACK)
    front, _back = await setup_both(hass)
    assert front.state is ConfigEntryState.LOADED  # with what it knew, waiting for webhooks
    assert list_reads(aioclient_mock) == 0
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"lock_list_blocked_{account_key(TOKEN)}") is not None


async def test_no_correction_during_a_movement_or_right_after_an_event(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_client_no_auth: Any, freezer: FrozenDateTimeFactory
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    front, _back = await setup_both(hass)
    coordinator = front.runtime_data
    client = await hass_client_no_auth()
    going = {"lock_id": 6000, "go_to_state": "DAY_LOCK", "event_type": "GO_TO_STATE_MANUAL_UNLOCK_REMOTE"}
    await client.post(f"/api/webhook/{'a' * 32}", json=going | {"key_local_id": 9})
    stale = LockStatus(BoltState.NIGHT_LOCK, None, BatteryType.UNKNOWN, True, None, None, None, None)
    coordinator.async_reconcile(stale)  # a movement is under way
    assert hass.states.get(FRONT_ENTITY).state == "unlocking"  # type: ignore[union-attr]
    reached = {"lock_id": 6000, "requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH", "key_local_id": 9}
    await client.post(f"/api/webhook/{'a' * 32}", json=reached)
    coordinator.async_reconcile(stale)  # the list may be older than the event of a moment ago
    assert hass.states.get(FRONT_ENTITY).state == "unlocked"  # type: ignore[union-attr]
    freezer.tick(timedelta(seconds=31))
    coordinator.async_reconcile(stale)
    assert hass.states.get(FRONT_ENTITY).state == "locked"  # type: ignore[union-attr]


async def test_a_failed_read_after_a_missing_confirmation_leaves_the_state_unknown(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    await setup_both(hass)
    locks_answer(aioclient_mock, status=HTTPStatus.BAD_GATEWAY)
    aioclient_mock.get(f"{BASE_URL}/api/locks/{LOCK_ID}/bolt_state/day_lock", status=HTTPStatus.NO_CONTENT)
    await hass.services.async_call("lock", "unlock", {"entity_id": FRONT_ENTITY}, blocking=True)
    await advance(hass, freezer, timedelta(seconds=31))
    assert list_reads(aioclient_mock) == 1
    assert hass.states.get(FRONT_ENTITY).state == "unknown"  # type: ignore[union-attr]


async def test_a_lock_gone_from_the_account_asks_for_a_new_token(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    locks_answer(aioclient_mock, BACK)
    front, back = await setup_both(hass)
    assert (front.state, back.state) == (ConfigEntryState.SETUP_ERROR, ConfigEntryState.LOADED)
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert (flow["context"]["source"], flow["context"]["entry_id"]) == ("reauth", front.entry_id)


async def test_a_token_that_expires_while_running_asks_for_a_new_one(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    locks_answer(aioclient_mock, FRONT)
    await setup_front_door(hass, jwt({"exp": int(time.time()) + 3600}))
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    await advance(hass, freezer, timedelta(hours=12))
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == "reauth"


async def test_reconfigure_takes_a_new_token_for_every_lock(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    front, back = await setup_both(hass)
    new_token = jwt({"sub": "9", "exp": int(time.time()) + 180 * 86400})
    result = await front.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": new_token})
    await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"
    assert (front.data[CONF_ACCESS_TOKEN], back.data[CONF_ACCESS_TOKEN]) == (new_token, new_token)


async def test_settings_of_a_token_lock_set_the_list_check_and_no_budget(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    front, _back = await setup_both(hass)
    result = await hass.config_entries.options.async_init(front.entry_id)
    result = await hass.config_entries.options.async_configure(result["flow_id"], {"next_step_id": "settings"})
    assert list(result["data_schema"].schema) == ["transition_timeout", "reconcile_minutes", "silence_hours"]  # type: ignore[union-attr]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"transition_timeout": 30, "reconcile_minutes": 60, "silence_hours": 24}
    )
    await hass.async_block_till_done()
    assert front.options == {"transition_timeout": 30, "reconcile_minutes": 60, "silence_hours": 24}
    assert_declared("options", dict(front.options))
    hass.config_entries.async_update_entry(_back, options={"reconcile_minutes": 0})  # the back door: off
    await hass.async_block_till_done()
    locks_answer(aioclient_mock, FRONT, BACK)
    await advance(hass, freezer, timedelta(minutes=59))
    assert list_reads(aioclient_mock) == 0
    await advance(hass, freezer, timedelta(minutes=1))
    assert list_reads(aioclient_mock) == 1


async def test_diagnostics_of_a_token_lock_hide_the_token(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_client: Any
) -> None:
    from pytest_homeassistant_custom_component.components.diagnostics import (  # noqa: PLC0415
        get_diagnostics_for_config_entry,
    )

    locks_answer(aioclient_mock, FRONT, BACK)
    front, _back = await setup_both(hass)
    assert await async_setup_component(hass, "diagnostics", {})
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, front)
    assert TOKEN not in str(diagnostics)
    assert diagnostics["entry"]["data"][CONF_ACCESS_TOKEN] == "**REDACTED**"
    expires = time.strftime("%Y-%m-%d", time.gmtime(TOKEN_EXPIRES_AT))  # diagnostics use UTC
    assert diagnostics["connection"] == {
        "credential": "personal_access_token",
        "token_expires_at": expires,
        "numeric_lock_id": None,
        "lock_list_blocked_until": None,
    }


async def test_removing_the_last_lock_of_a_token_removes_its_repairs(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    soon = jwt({"exp": int(time.time()) + 86400})
    back = token_entry(hass, BACK_ID, "Back door", "b" * 32, soon)
    locks_answer(aioclient_mock, FRONT, BACK)
    front = await setup_front_door(hass, soon)
    issue_id = f"token_expiring_{account_key(soon)}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    await hass.config_entries.async_remove(front.entry_id)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None  # the back door still uses it
    await hass.config_entries.async_remove(back.entry_id)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_an_api_key_lock_and_token_locks_live_side_by_side(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, loaded: MockConfigEntry, hass_client_no_auth: Any
) -> None:
    back = token_entry(hass, BACK_ID, "Back door", "b" * 32)
    aioclient_mock.get(LOCKS_URL, json={"data": [BACK]})
    assert await hass.config_entries.async_setup(back.entry_id)
    await hass.async_block_till_done()
    assert (loaded.state, back.state) == (ConfigEntryState.LOADED, ConfigEntryState.LOADED)
    client = await hass_client_no_auth()
    body = {"requested_state": "NIGHT_LOCK", "event_type": "STATE_CHANGED_NIGHT_LOCK", "key_local_id": 9}
    await client.post(f"/api/webhook/{'b' * 32}", json=body | {"lock_id": 6001})
    await client.post(
        f"/api/webhook/{loaded.data[CONF_WEBHOOK_ID]}",
        json=body | {"lock_id": 6148, "requested_state": "OPEN", "event_type": "STATE_CHANGED_OPEN"},
    )
    assert hass.states.get(BACK_ENTITY).state == "locked"  # type: ignore[union-attr]
    assert hass.states.get("lock.loqed_6148").state == "open"  # type: ignore[union-attr]


async def test_reconfigure_moves_an_api_key_lock_to_a_token_and_back(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, entry: MockConfigEntry
) -> None:
    """The credential kind can change; the lock keeps its webhook and numeric id either way."""
    from .conftest import CREDENTIALS, OLD_LOCK_ID, STATUS, STATUS_URL, WEBHOOK_ID  # noqa: PLC0415

    locks_answer(aioclient_mock, FRONT)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": TOKEN})
    assert result["reason"] == "reconfigure_successful"
    assert dict(entry.data) == {
        CONF_ACCESS_TOKEN: TOKEN,
        "lock_id": LOCK_ID,
        "old_lock_id": OLD_LOCK_ID,
        CONF_WEBHOOK_ID: WEBHOOK_ID,
    }
    aioclient_mock.get(STATUS_URL, json=STATUS)
    result = await entry.start_reconfigure_flow(hass)
    paste_fields = "\n".join(f"{name}: {value}" for name, value in CREDENTIALS.items())
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": paste_fields})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"next_step_id": "sign_local"})
    assert result["reason"] == "reconfigure_successful"
    assert dict(entry.data) == {**CREDENTIALS, "signing": "local", CONF_WEBHOOK_ID: WEBHOOK_ID}
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(entry.entry_id)  # saves now: no timer outlives the test


async def test_a_token_refused_at_a_scheduled_read_asks_for_a_new_one(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    front, back = await setup_both(hass)
    locks_answer(aioclient_mock, status=HTTPStatus.FOUND, headers={"Location": "/login"})  # revoked
    await advance(hass, freezer, timedelta(minutes=15))
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert {(flow["context"]["source"], flow["context"]["entry_id"]) for flow in flows} == {
        ("reauth", front.entry_id),
        ("reauth", back.entry_id),
    }


async def test_a_lock_new_in_the_account_is_offered_once_and_added_with_the_token(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    await setup_front_door(hass)
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert (flow["context"]["source"], flow["context"]["unique_id"]) == ("integration_discovery", BACK_ID)
    assert flow["context"]["title_placeholders"] == {"name": "Back door"}
    await advance(hass, freezer, timedelta(minutes=15))  # the next read offers it no second time
    assert len(hass.config_entries.flow.async_progress_by_handler(DOMAIN)) == 1
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {})
    await hass.async_block_till_done()
    assert (result["type"], result["title"]) == (FlowResultType.CREATE_ENTRY, "Back door")
    back = result["result"]
    assert (back.data[CONF_ACCESS_TOKEN], back.unique_id) == (TOKEN, BACK_ID)
    url = f"https://home.example.com/api/webhook/{back.data[CONF_WEBHOOK_ID]}"
    assert result["description_placeholders"] == {"webhook_urls": f"- **Back door**: {url}"}
    assert back.state is ConfigEntryState.LOADED


async def test_an_ignored_lock_is_not_offered_again(hass: HomeAssistant, aioclient_mock: AiohttpClientMocker) -> None:
    MockConfigEntry(domain=DOMAIN, unique_id=BACK_ID, source=config_entries.SOURCE_IGNORE, data={}).add_to_hass(hass)
    locks_answer(aioclient_mock, FRONT, BACK)
    await setup_front_door(hass)
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []
