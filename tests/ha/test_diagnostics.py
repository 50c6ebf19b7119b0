"""Diagnostics show what helps, and no secret or name."""

import json
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.loqed_web.const import DOMAIN
from custom_components.loqed_web.diagnostics import async_get_config_entry_diagnostics

from .conftest import API_KEY, KEY, LOCK_ID, OLD_LOCK_ID, TOKEN, WEBHOOK_ID, setup_entry, stored_lock


@pytest.mark.freeze_time("2026-11-27 08:00:00+00:00")
async def test_diagnostics(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any, snapshot: SnapshotAssertion
) -> None:
    client = await hass_client_no_auth()
    anna = {"key_local_id": 3, "key_name_user": "Anna", "key_account_e-mail": "anna@example.com"}
    for body in (
        {"lock_id": OLD_LOCK_ID, "requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH", **anna},
        {"lock_id": OLD_LOCK_ID, "requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH", **anna},
        {"lock_id": "9999", "online": 1},
    ):
        await client.post(f"/api/webhook/{WEBHOOK_ID}", json=body)
    diagnostics = await async_get_config_entry_diagnostics(hass, loaded)
    text = json.dumps(diagnostics)
    for secret in (TOKEN, KEY, API_KEY, WEBHOOK_ID, "Anna", "anna@example.com"):
        assert secret not in text
    assert [call["applied"] for call in diagnostics["locks"][0]["recent_webhook_calls"]] == [True, False, False]
    assert diagnostics == snapshot(exclude=props("entry_id", "created_at", "modified_at"))


async def test_only_the_last_twenty_calls_are_kept(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any
) -> None:
    client = await hass_client_no_auth()
    for percent in range(25):
        await client.post(f"/api/webhook/{WEBHOOK_ID}", json={"battery_percentage": percent})
    diagnostics = await async_get_config_entry_diagnostics(hass, loaded)
    assert len(diagnostics["locks"][0]["recent_webhook_calls"]) == 20
    assert diagnostics["locks"][0]["data"]["battery_percentage"] == 24


async def test_the_recent_calls_survive_a_reload_and_a_restart(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any, hass_storage: dict[str, Any]
) -> None:
    client = await hass_client_no_auth()
    await client.post(f"/api/webhook/{WEBHOOK_ID}", json={"battery_percentage": 61})
    await client.post(f"/api/webhook/{WEBHOOK_ID}", json={"lock_id": "9999", "online": 1})
    before = (await async_get_config_entry_diagnostics(hass, loaded))["locks"][0]["recent_webhook_calls"]
    assert [call["events"] for call in before] == [["battery"], []]
    await hass.config_entries.async_reload(loaded.entry_id)  # as reauth and reconfigure do
    await hass.async_block_till_done()
    assert (await async_get_config_entry_diagnostics(hass, loaded))["locks"][0]["recent_webhook_calls"] == before
    stored = hass_storage[f"{DOMAIN}.{LOCK_ID}"]["data"]["recent_deliveries"]  # what a restart reads
    assert [item["events"] for item in stored] == [["battery"], []]


async def test_unreadable_saved_calls_are_left_out_after_a_restart(
    hass: HomeAssistant, entry: MockConfigEntry, hass_storage: dict[str, Any], external_url: None
) -> None:
    """A save file from another version may hold calls this one cannot read: only those are lost."""
    readable = {"at": "2026-11-28T10:00:00+00:00", "events": ["battery"], "applied": True, "reason": None,
                "led_to": {"battery_percentage": 55, "lock_state": "unlocked"}}  # fmt: skip
    unreadable = [{"events": ["battery"], "applied": True}, {**readable, "at": "yesterday"}, {**readable, "events": 3}]
    hass_storage[f"{DOMAIN}.{LOCK_ID}"] = stored_lock(recent_deliveries=[*unreadable, readable, "not a call"])
    await setup_entry(hass, entry)
    calls = (await async_get_config_entry_diagnostics(hass, entry))["locks"][0]["recent_webhook_calls"]
    assert calls == [{"at": "2026-11-28T10:00:00+00:00", "events": ["battery"], "applied": True,
                      "led_to": {"battery_percentage": 55, "lock_state": "unlocked"}}]  # fmt: skip
