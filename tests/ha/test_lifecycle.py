"""Right across Home Assistant's lifecycle: restarts, reloads, reauth, reconfigure, removal, races."""

from datetime import timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.aioloqedweb import BoltState, LoqedWebClient, parse_status
from custom_components.loqed_web.const import DOMAIN
from custom_components.loqed_web.storage import async_get_status_budget

from .conftest import (
    LOCK_ENTITY,
    LOCK_ID,
    OLD_LOCK_ID,
    STATUS,
    STATUS_URL,
    WEBHOOK_ID,
    advance,
    setup_entry,
    stored_budget,
    stored_lock,
)


def status_calls(aioclient_mock: AiohttpClientMocker) -> int:
    return sum(1 for call in aioclient_mock.mock_calls if str(call[1]).startswith(STATUS_URL))


async def test_a_lock_restored_as_open_falls_back_to_unlocked(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    external_url: None,
) -> None:
    hass_storage[f"{DOMAIN}.{LOCK_ID}"] = stored_lock(bolt_state="open")
    await setup_entry(hass, entry)
    assert hass.states.get(LOCK_ENTITY).state == "open"  # type: ignore[union-attr]
    await advance(hass, freezer, timedelta(seconds=11))
    assert hass.states.get(LOCK_ENTITY).state == "unlocked"  # type: ignore[union-attr]


async def test_reconfiguring_a_running_lock_spends_one_status_call(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    status_mock: AiohttpClientMocker,
    hass_storage: dict[str, Any],
    external_url: None,
) -> None:
    hass_storage[f"{DOMAIN}.{LOCK_ID}"] = stored_lock(fetched_ago=11 * 3600)  # recent: setup spends nothing
    await setup_entry(hass, entry)
    assert status_calls(status_mock) == 0
    await advance(hass, freezer, timedelta(hours=2))  # the running lock's last status is 13 h old now
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": ""})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"next_step_id": "sign_local"})
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    # The flow's check, and no second call by the setup after the reload.
    assert status_calls(status_mock) == 1


async def test_a_status_read_does_not_wipe_a_webhook_that_came_meanwhile(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any
) -> None:
    client = await hass_client_no_auth()
    coordinator = loaded.runtime_data.locks[None]

    async def status_while_the_battery_event_arrives(_self: LoqedWebClient) -> Any:
        response = await client.post(f"/api/webhook/{WEBHOOK_ID}", json={"lock_id": OLD_LOCK_ID, "wifi_strength": 33})
        assert response.status == 200
        return parse_status(STATUS)

    with patch.object(LoqedWebClient, "get_status", status_while_the_battery_event_arrives):
        await coordinator.async_read_now()
    assert coordinator.data.wifi_strength == 33
    assert coordinator.data.bolt_state is BoltState.NIGHT_LOCK
    assert hass.states.get("sensor.loqed_6148_wi_fi_signal").state == "33"  # type: ignore[union-attr]


async def test_a_bad_signal_value_keeps_the_movement_it_came_with(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any
) -> None:
    client = await hass_client_no_auth()
    body = {"lock_id": OLD_LOCK_ID, "requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH",
            "key_local_id": "3", "wifi_strength": "strong", "battery_percentage": 50}  # fmt: skip
    response = await client.post(f"/api/webhook/{WEBHOOK_ID}", json=body)
    assert response.status == 200
    assert hass.states.get(LOCK_ENTITY).state == "unlocked"  # type: ignore[union-attr]
    assert hass.states.get("sensor.loqed_6148_battery").state == "50"  # type: ignore[union-attr]
    assert hass.states.get("sensor.loqed_6148_wi_fi_signal").state == "unknown"  # type: ignore[union-attr]


async def test_a_save_file_from_another_version_does_not_block_setup(
    hass: HomeAssistant, entry: MockConfigEntry, hass_storage: dict[str, Any], external_url: None
) -> None:
    operator = {"key_local_id": 3, "user_name": "Anna", "admin_name": None, "account_name": None,
                "account_email": None, "key_kind": "phone"}  # fmt: skip  # a field this version does not know
    hass_storage[f"{DOMAIN}.{LOCK_ID}"] = stored_lock(operator=operator)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.loqed_6148_last_operated_by").state == "Anna"  # type: ignore[union-attr]


async def test_the_budget_is_one_setting_that_adding_or_removing_a_lock_keeps(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    entry_data: dict[str, Any],
    status_mock: AiohttpClientMocker,
) -> None:
    result = await hass.config_entries.options.async_init(loaded.entry_id)
    result = await hass.config_entries.options.async_configure(result["flow_id"], {"next_step_id": "settings"})
    await hass.config_entries.options.async_configure(
        result["flow_id"], {"transition_timeout": 30, "status_budget": 10, "silence_hours": 24}
    )
    second = MockConfigEntry(
        domain=DOMAIN, unique_id="OtherLockId000000000", data=entry_data | {"webhook_id": "f" * 32}
    )
    second.add_to_hass(hass)
    assert await hass.config_entries.async_setup(second.entry_id)  # a new lock's default does not lower it
    assert (await async_get_status_budget(hass)).limit == 10
    result = await hass.config_entries.options.async_init(second.entry_id)
    result = await hass.config_entries.options.async_configure(result["flow_id"], {"next_step_id": "settings"})
    suggested = {str(key): key.description["suggested_value"] for key in result["data_schema"].schema}
    assert suggested["status_budget"] == 10  # shown the same in every lock's settings
    await hass.config_entries.async_remove(loaded.entry_id)
    await hass.async_block_till_done()
    assert (await async_get_status_budget(hass)).limit == 10


async def test_a_per_lock_budget_from_before_becomes_the_setting(
    hass: HomeAssistant, entry_data: dict[str, Any], status_mock: AiohttpClientMocker, external_url: None
) -> None:
    strict = MockConfigEntry(domain=DOMAIN, unique_id=LOCK_ID, data=entry_data, options={"status_budget": 2})
    loose = MockConfigEntry(
        domain=DOMAIN, unique_id="OtherLockId000000000", data=entry_data | {"webhook_id": "f" * 32},
        options={"status_budget": 8},
    )  # fmt: skip
    loose.add_to_hass(hass)
    strict.add_to_hass(hass)
    await setup_entry(hass, loose)
    assert (await async_get_status_budget(hass)).limit == 2  # the strictest, whichever is set up first


async def test_a_lock_set_up_without_a_check_is_available_with_an_unknown_state(
    hass: HomeAssistant, entry: MockConfigEntry, hass_storage: dict[str, Any], external_url: None
) -> None:
    """After "finish without checking" nothing is known, yet the lock can be commanded."""
    hass_storage[f"{DOMAIN}.status_budget"] = stored_budget(60, 60, 60, 60)
    await setup_entry(hass, entry)
    assert hass.states.get(LOCK_ENTITY).state == "unknown"  # type: ignore[union-attr]
    assert hass.states.get("sensor.loqed_6148_battery").state == "unknown"  # type: ignore[union-attr]
    assert hass.states.get("binary_sensor.loqed_6148_lock_online").state == "unknown"  # type: ignore[union-attr]
