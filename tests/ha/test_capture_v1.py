"""Capture, from the code as it is before the account reshape, the storage its flows leave behind.

Run once against commit be2528b (version 1 entries) with LOQED_WEB_CAPTURE=path; not part of the suite.
"""

import json
import os
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.const import DOMAIN
from tests.client.test_token import jwt

from .conftest import BASE_URL, CREDENTIALS, STATUS, STATUS_URL

pytestmark = pytest.mark.skipif(not os.environ.get("LOQED_WEB_CAPTURE"), reason="capture tool")

LOCKS_URL = f"{BASE_URL}/api/locks/"
FRONT_ID, BACK_ID, GARAGE_ID = "FrontDoor00000000001", "BackDoor000000000002", "GarageDoor0000000003"
TOKEN_A = jwt({"sub": "7", "exp": 4102444800})  # 2100-01-01
TOKEN_B = jwt({"sub": "9", "exp": 4102444800})


def lock(lock_id: str, name: str, state: str) -> dict[str, Any]:
    return {"id": lock_id, "name": name, "bolt_state": state, "online": True, "battery_percentage": 80}


async def test_capture(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    hass_storage: dict[str, Any],
    hass_client_no_auth: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    hass.config.external_url = "https://home.example.com"
    assert await async_setup_component(hass, "webhook", {})
    aioclient_mock.get(
        LOCKS_URL, json={"data": [lock(FRONT_ID, "Front door", "night_lock"), lock(BACK_ID, "Back door", "day_lock")]}
    )
    # The back door gets a cloudhook: Home Assistant Cloud is active while it is created.
    urls = iter(["https://hooks.nabu.casa/back-door-hook"])

    async def create_cloudhook(_hass: HomeAssistant, _webhook_id: str) -> str:
        return next(urls)

    hass.config.components.add("cloud")
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": config_entries.SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": TOKEN_A})
    with (
        patch("homeassistant.components.cloud.async_active_subscription", side_effect=[False, True]),
        patch("homeassistant.components.cloud.async_create_cloudhook", create_cloudhook),
    ):
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {"locks": [FRONT_ID, BACK_ID]})
        await hass.async_block_till_done()
    hass.config.components.remove("cloud")
    # A lock of another token.
    aioclient_mock.clear_requests()
    aioclient_mock.get(LOCKS_URL, json={"data": [lock(GARAGE_ID, "Garage", "night_lock")]})
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": config_entries.SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": TOKEN_B})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"locks": [GARAGE_ID]})
    await hass.async_block_till_done()
    # An API-key lock beside them.
    aioclient_mock.get(STATUS_URL, json=STATUS)
    text = "\n".join(f"{key}: {value}" for key, value in CREDENTIALS.items())
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": config_entries.SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": text})
    if result["type"] == "menu":
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {"next_step_id": "sign_local"})
    assert result["type"] == "create_entry", result
    await hass.async_block_till_done()

    entries = {entry.unique_id: entry for entry in hass.config_entries.async_entries(DOMAIN)}
    assert set(entries) == {FRONT_ID, BACK_ID, GARAGE_ID, CREDENTIALS["lock_id"]}
    # The front door: a renamed lock entity and device, an option, and a learnt numeric id.
    registry = er.async_get(hass)
    registry.async_update_entity("lock.front_door", new_entity_id="lock.voordeur")
    registry.async_update_entity("sensor.front_door_battery", name="Voordeur batterij")
    devices = dr.async_get(hass)
    [front_device] = dr.async_entries_for_config_entry(devices, entries[FRONT_ID].entry_id)
    devices.async_update_device(front_device.id, name_by_user="Voordeur")
    hass.config_entries.async_update_entry(
        entries[FRONT_ID], options={"reconcile_minutes": 5, "transition_timeout": 40}
    )
    client = await hass_client_no_auth()
    body = {
        "lock_id": 6000,
        "requested_state": "DAY_LOCK",
        "event_type": "STATE_CHANGED_LATCH",
        "key_local_id": 9,
        "key_name_user": "Anna",
    }
    webhook_id = entries[FRONT_ID].data["webhook_id"]
    assert (await client.post(f"/api/webhook/{webhook_id}", json=body)).status == HTTPStatus.OK
    await hass.async_block_till_done()
    assert entries[FRONT_ID].data["old_lock_id"] == "6000"
    freezer.tick(timedelta(seconds=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    await hass.async_stop(force=True)
    keep = {
        key: value
        for key, value in hass_storage.items()
        if key.startswith(("core.config_entries", "core.entity_registry", "core.device_registry", "loqed_web"))
    }
    text = json.dumps(keep, indent=1, sort_keys=True) + "\n"
    await hass.async_add_executor_job(Path(os.environ["LOQED_WEB_CAPTURE"]).write_text, text)
