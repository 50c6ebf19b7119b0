"""Repair issues appear when the user must act, and go away by themselves."""

import time
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web import async_remove_config_entry_device
from custom_components.loqed_web.const import DOMAIN

from .conftest import LOCK_ID, STATUS_URL, WEBHOOK_ID, advance, setup_entry, stored_lock


async def test_no_event_within_24_hours_of_setup(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, loaded: MockConfigEntry, hass_client_no_auth: Any
) -> None:
    # freezer first: timers must be scheduled on the frozen clock they are later fired by
    issue_id = f"no_events_{loaded.entry_id}"
    await advance(hass, freezer, timedelta(hours=23))
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    await advance(hass, freezer, timedelta(hours=1, seconds=1))
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "no_events"
    client = await hass_client_no_auth()
    await client.post(f"/api/webhook/{WEBHOOK_ID}", json={"online": 1})
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_an_old_entry_without_events_raises_it_at_start(
    hass: HomeAssistant, entry_data: dict[str, Any], status_mock: AiohttpClientMocker, external_url: None
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, unique_id=LOCK_ID, data=entry_data)
    entry.created_at = entry.created_at - timedelta(days=2)
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"no_events_{entry.entry_id}") is not None


async def test_a_lock_that_has_had_events_raises_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    external_url: None,
) -> None:
    hass_storage[f"{DOMAIN}.{LOCK_ID}"] = stored_lock(last_event_at=time.time() - 3600)
    await setup_entry(hass, entry)
    await advance(hass, freezer, timedelta(days=2))
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"no_events_{entry.entry_id}") is None


async def test_a_spent_budget_raises_an_issue_until_calls_are_allowed_again(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    hass_storage: dict[str, Any],
    external_url: None,
) -> None:
    now = time.time()
    hass_storage[f"{DOMAIN}.status_budget"] = {
        "version": 1,
        "key": f"{DOMAIN}.status_budget",
        "data": {"spent_at": [now - 11 * 3600, now - 60, now - 60, now - 60]},
    }
    aioclient_mock.get(STATUS_URL, status=500)
    await setup_entry(hass, entry)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "status_budget_spent")
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["available_at"]
    await advance(hass, freezer, timedelta(hours=1, seconds=1))  # the oldest call leaves the 12-hour window
    assert ir.async_get(hass).async_get_issue(DOMAIN, "status_budget_spent") is None


async def test_only_a_stale_device_can_be_removed(
    hass: HomeAssistant, loaded: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    (lock_device,) = dr.async_entries_for_config_entry(device_registry, loaded.entry_id)
    stale = device_registry.async_get_or_create(config_entry_id=loaded.entry_id, identifiers={(DOMAIN, "old-lock")})
    assert not await async_remove_config_entry_device(hass, loaded, lock_device)
    assert await async_remove_config_entry_device(hass, loaded, stale)
