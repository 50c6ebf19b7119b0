"""Setup, restart, the status budget, removal, and the entities and device as snapshots."""

import time
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from syrupy.assertion import SnapshotAssertion

from custom_components.loqed_web.aioloqedweb import forget_remembered_reads
from custom_components.loqed_web.aioloqedweb import webhook as parsing
from custom_components.loqed_web.aioloqedweb.state import LockData
from custom_components.loqed_web.const import CONF_CLOUDHOOK_URL, DOMAIN
from custom_components.loqed_web.webhook import async_webhook_url

from .conftest import (
    LOCK_ENTITY,
    LOCK_ID,
    OLD_LOCK_ID,
    STATUS,
    STATUS_URL,
    WEBHOOK_ID,
    setup_entry,
    setup_with_a_cloudhook,
    stored_lock,
)

LOCK_STORE = f"{DOMAIN}.{LOCK_ID}"
BUDGET_STORE = f"{DOMAIN}.status_budget"


def state(hass: HomeAssistant, entity_id: str = LOCK_ENTITY) -> str:
    return hass.states.get(entity_id).state  # type: ignore[union-attr]


async def restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unload and set up again, as a Home Assistant restart does."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    "platform", [Platform.LOCK, Platform.SENSOR, Platform.BINARY_SENSOR, Platform.BUTTON, Platform.EVENT]
)
async def test_entities(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    status_mock: AiohttpClientMocker,
    external_url: None,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    with patch("custom_components.loqed_web.PLATFORMS", [platform]):
        await setup_entry(hass, entry)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_device(
    hass: HomeAssistant, loaded: MockConfigEntry, device_registry: dr.DeviceRegistry, snapshot: SnapshotAssertion
) -> None:
    (device,) = dr.async_entries_for_config_entry(device_registry, loaded.entry_id)
    assert device.identifiers == {(DOMAIN, LOCK_ID)}
    assert device == snapshot(name="device")


async def test_bluetooth_signal_is_disabled_by_default(
    hass: HomeAssistant, loaded: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    ble = entity_registry.async_get("sensor.loqed_6148_bluetooth_signal")
    assert ble is not None
    assert ble.disabled_by is er.RegistryEntryDisabler.INTEGRATION


async def test_a_restart_restores_every_state_and_spends_no_status_call(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    hass_storage: dict[str, Any],
    external_url: None,
) -> None:
    hass_storage[LOCK_STORE] = stored_lock(fetched_ago=3600)
    await setup_entry(hass, entry)
    assert aioclient_mock.call_count == 0
    assert state(hass) == "unlocked"
    assert hass.states.get(LOCK_ENTITY).attributes["changed_by"] == "Anna"  # type: ignore[union-attr]
    assert state(hass, "sensor.loqed_6148_battery") == "55"
    assert state(hass, "sensor.loqed_6148_battery_type") == "alkaline"
    assert state(hass, "sensor.loqed_6148_wi_fi_signal") == "70"
    assert state(hass, "sensor.loqed_6148_last_operated_by") == "Anna"
    assert state(hass, "binary_sensor.loqed_6148_bridge_online") == "on"


async def test_a_state_older_than_12_hours_spends_one_status_call(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    status_mock: AiohttpClientMocker,
    hass_storage: dict[str, Any],
    external_url: None,
) -> None:
    hass_storage[LOCK_STORE] = stored_lock(fetched_ago=13 * 3600)
    await setup_entry(hass, entry)
    assert status_mock.call_count == 1
    assert state(hass) == "locked"
    assert state(hass, "sensor.loqed_6148_last_operated_by") == "Anna"  # kept: the status does not say who
    await restart(hass, entry)
    assert status_mock.call_count == 1


async def test_twenty_restarts_in_an_hour_spend_no_more_than_the_budget(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    hass_storage: dict[str, Any],
    external_url: None,
) -> None:
    aioclient_mock.get(STATUS_URL, status=503)  # each call fails, so each restart would try again
    await setup_entry(hass, entry)
    for _ in range(19):
        await restart(hass, entry)
    assert aioclient_mock.call_count == 4
    assert entry.state is ConfigEntryState.LOADED
    assert len(hass_storage[BUDGET_STORE]["data"]["spent_at"]) == 4


async def test_the_budget_is_read_back_after_a_restart(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    hass_storage: dict[str, Any],
    external_url: None,
) -> None:
    hass_storage[BUDGET_STORE] = {"version": 1, "key": BUDGET_STORE, "data": {"spent_at": [time.time() - 60] * 4}}
    aioclient_mock.get(STATUS_URL, json=STATUS)
    await setup_entry(hass, entry)
    assert aioclient_mock.call_count == 0
    assert state(hass) == STATE_UNKNOWN  # nothing known yet, but it can be commanded; a webhook will tell


@pytest.mark.parametrize(
    "answer",
    [{"status": 401}, {"status": 404, "json": {"message": "No query results for model [App\\\\Models\\\\ApiKey]."}}],
    ids=["refused", "key deleted"],
)
async def test_refused_credentials_or_a_deleted_key_at_startup_start_reauth(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    external_url: None,
    answer: dict[str, Any],
) -> None:
    aioclient_mock.get(STATUS_URL, **answer)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_setup_after_a_failed_one_registers_the_webhook_again(
    hass: HomeAssistant, entry: MockConfigEntry, aioclient_mock: AiohttpClientMocker, external_url: None
) -> None:
    aioclient_mock.get(STATUS_URL, status=401)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    aioclient_mock.clear_requests()
    aioclient_mock.get(STATUS_URL, json=STATUS)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await restart(hass, entry)  # "Handler is already defined" would fail here
    assert entry.state is ConfigEntryState.LOADED


async def test_unload_unregisters_the_webhook(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any
) -> None:
    assert await hass.config_entries.async_unload(loaded.entry_id)
    client = await hass_client_no_auth()
    response = await client.post(f"/api/webhook/{WEBHOOK_ID}", json={"event_type": "STATE_CHANGED_OPEN"})
    assert response.status == 200  # HA answers 200 for unknown webhooks, to reveal nothing
    assert state(hass) == STATE_UNAVAILABLE


async def test_unload_forgets_what_the_webhook_remembered(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any
) -> None:
    """Remembered reads hold key holders' names: none is left once the entry unloads."""
    forget_remembered_reads()  # remembered reads are shared: start from none
    client = await hass_client_no_auth()
    body = {"lock_id": OLD_LOCK_ID, "event_type": "STATE_CHANGED_OPEN", "key_local_id": 3, "key_name_user": "Anna"}
    assert (await client.post(f"/api/webhook/{WEBHOOK_ID}", json=body)).status == 200
    assert (parsing._picker.cache_info().currsize, parsing._read_cached.cache_info().currsize) == (1, 1)

    assert await hass.config_entries.async_unload(loaded.entry_id)
    assert (parsing._picker.cache_info().currsize, parsing._read_cached.cache_info().currsize) == (0, 0)


async def test_no_internet_url_raises_a_repair_issue(
    hass: HomeAssistant, entry: MockConfigEntry, status_mock: AiohttpClientMocker
) -> None:
    await setup_entry(hass, entry)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"no_internet_url_{entry.entry_id}")
    assert issue is not None
    assert issue.translation_key == "no_internet_url"
    assert issue.severity is ir.IssueSeverity.WARNING
    hass.config.external_url = "https://home.example.com"
    await restart(hass, entry)
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"no_internet_url_{entry.entry_id}") is None


async def test_webhook_url_without_any_url_is_the_path(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    hass.config.internal_url = None
    hass.config.external_url = None
    with patch("homeassistant.components.webhook.get_url", side_effect=__import__(
        "homeassistant.helpers.network", fromlist=["NoURLAvailableError"]).NoURLAvailableError):  # fmt: skip
        assert async_webhook_url(hass, entry.data) == f"/api/webhook/{WEBHOOK_ID}"


async def test_a_cloudhook_counts_as_reachable_and_is_deleted_with_the_entry(
    hass: HomeAssistant, entry_data: dict[str, Any], status_mock: AiohttpClientMocker, hass_storage: dict[str, Any]
) -> None:
    entry = await setup_with_a_cloudhook(hass, entry_data, "https://hooks.nabu.casa/abc")
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"no_internet_url_{entry.entry_id}") is None
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert LOCK_STORE in hass_storage  # saved at unload at the latest
    with patch("homeassistant.components.cloud.async_delete_cloudhook") as delete:
        assert await hass.config_entries.async_remove(entry.entry_id)
    delete.assert_awaited_once_with(hass, WEBHOOK_ID)
    assert LOCK_STORE not in hass_storage


async def test_removal_survives_cloud_being_gone(
    hass: HomeAssistant, entry_data: dict[str, Any], status_mock: AiohttpClientMocker
) -> None:
    from homeassistant.components.cloud import CloudNotAvailable  # noqa: PLC0415  # heavy import, one test

    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=LOCK_ID, data=entry_data | {CONF_CLOUDHOOK_URL: "https://hooks.nabu.casa/abc"}
    )
    entry.add_to_hass(hass)
    hass.config.components.add("cloud")
    with patch("homeassistant.components.cloud.async_delete_cloudhook", side_effect=CloudNotAvailable):
        assert await hass.config_entries.async_remove(entry.entry_id)


async def test_removing_the_entry_leaves_no_device(
    hass: HomeAssistant, loaded: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    (device,) = dr.async_entries_for_config_entry(device_registry, loaded.entry_id)
    await hass.config_entries.async_remove(loaded.entry_id)
    await hass.async_block_till_done()
    assert device_registry.async_get(device.id) is None


@pytest.mark.parametrize(
    "stored",
    [
        {},
        {"bolt_state": "sideways", "battery_type": 5, "battery_percentage": "55", "lock_online": 1, "operator": "x"},
        {"battery_percentage": True, "jammed": "yes"},
    ],
)
def test_stored_data_that_does_not_fit_becomes_unknown(stored: dict[str, Any]) -> None:
    data = LockData.from_stored(stored)
    assert data == LockData(status_fetched_at=stored.get("status_fetched_at"))


def test_stored_data_round_trips() -> None:
    data = LockData.from_stored(stored_lock()["data"])
    assert LockData.from_stored(data.as_stored()) == data
    assert data.operator_name == "Anna"
