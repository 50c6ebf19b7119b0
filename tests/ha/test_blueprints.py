"""The shipped blueprints, run by Home Assistant's automation engine against the integration."""

import asyncio
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation import DOMAIN as AUTOMATION_DOMAIN
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed, async_mock_service
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from .conftest import COMMAND_URL, LOCK_ENTITY, OLD_LOCK_ID, WEBHOOK_ID

BLUEPRINTS = Path(__file__).resolve().parents[2] / "blueprints"
DOOR = "binary_sensor.front_door"
# Enough turns of the event loop for a webhook's state writes and the automation runs they start.
LOOP_TURNS = 50


@pytest.fixture
async def client(hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any, tmp_path: Path) -> TestClient:
    """The loaded lock, with the blueprints where Home Assistant looks for them."""
    hass.config.config_dir = str(tmp_path)
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints")
    return await hass_client_no_auth()  # type: ignore[no-any-return]


async def automate(hass: HomeAssistant, blueprint: str, inputs: dict[str, Any]) -> None:
    config = {"use_blueprint": {"path": f"loqed_web/{blueprint}", "input": inputs}}
    assert await async_setup_component(hass, AUTOMATION_DOMAIN, {AUTOMATION_DOMAIN: [config]})
    await hass.async_block_till_done()


async def settle() -> None:
    """Let Home Assistant do what it can do now.

    Not `async_block_till_done`: it also waits for an automation run that waits out a delay,
    which ends only when the frozen clock moves on. Home Assistant's own blueprint tests turn
    the event loop instead, as here.
    """
    for _ in range(LOOP_TURNS):
        await asyncio.sleep(0)


async def advance(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    """Move the frozen clock on and run what became due."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await settle()


async def deliver(client: TestClient, body: dict[str, Any]) -> None:
    response = await client.post(f"/api/webhook/{WEBHOOK_ID}", json={"lock_id": int(OLD_LOCK_ID), **body})
    assert response.status == 200


def commands(aioclient_mock: AiohttpClientMocker) -> list[str]:
    return [str(call[1]) for call in aioclient_mock.mock_calls if str(call[1]).startswith(COMMAND_URL)]


@pytest.mark.parametrize(("door", "locks"), [(None, True), ("off", True), ("on", False)])
async def test_lock_again_after_minutes_unlocked_unless_the_door_is_open(
    hass: HomeAssistant,
    client: TestClient,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    door: str | None,
    locks: bool,
) -> None:
    aioclient_mock.get(COMMAND_URL, text="{}")
    inputs: dict[str, Any] = {"lock": LOCK_ENTITY, "minutes": 10}
    if door is not None:
        hass.states.async_set(DOOR, door, {"device_class": "door"})
        inputs["door_sensor"] = DOOR
    await automate(hass, "lock_again_after.yaml", inputs)
    await deliver(client, {"requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH", "key_local_id": ""})
    await advance(hass, freezer, timedelta(minutes=9, seconds=59))
    assert commands(aioclient_mock) == []
    await advance(hass, freezer, timedelta(seconds=2))
    assert len(commands(aioclient_mock)) == (1 if locks else 0)
    assert hass.states.get(LOCK_ENTITY).state == ("locking" if locks else "unlocked")  # type: ignore[union-attr]


@pytest.mark.parametrize(("meanwhile", "locks"), [("nothing", True), ("locked by hand", False)])
async def test_lock_again_waits_for_the_door_to_close(
    hass: HomeAssistant,
    client: TestClient,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    meanwhile: str,
    locks: bool,
) -> None:
    """The door stands open when the minutes are up: the lock locks when it closes, if still unlocked."""
    aioclient_mock.get(COMMAND_URL, text="{}")
    hass.states.async_set(DOOR, "on", {"device_class": "door"})
    await automate(hass, "lock_again_after.yaml", {"lock": LOCK_ENTITY, "minutes": 10, "door_sensor": DOOR})
    await deliver(client, {"requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH", "key_local_id": ""})
    await advance(hass, freezer, timedelta(minutes=30))
    assert commands(aioclient_mock) == []
    if meanwhile == "locked by hand":
        await deliver(client, {"requested_state": "NIGHT_LOCK", "event_type": "STATE_CHANGED_NIGHT_LOCK"})
    hass.states.async_set(DOOR, "off", {"device_class": "door"})
    await settle()
    assert len(commands(aioclient_mock)) == (1 if locks else 0)


async def test_battery_low_and_offline_notify_once_each(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory
) -> None:
    sent: list[ServiceCall] = async_mock_service(hass, "notify", "door")
    inputs = {
        "battery": "sensor.loqed_6148_battery",
        "online": "binary_sensor.loqed_6148_lock_online",
        "threshold": 20,
        "offline_minutes": 10,
        "notify_action": "notify.door",
    }
    await automate(hass, "battery_or_offline.yaml", inputs)
    await deliver(client, {"battery_percentage": 21})
    await deliver(client, {"battery_percentage": 19})
    await deliver(client, {"battery_percentage": 19, "value1": "the copy is dropped; a repeat stays below"})
    await settle()
    assert [call.data["message"] for call in sent] == ["The lock's battery is at 19 %."]
    await deliver(client, {"online": "0"})
    await advance(hass, freezer, timedelta(minutes=9))
    await deliver(client, {"online": "1"})  # a short drop: nothing to say
    await deliver(client, {"online": "0", "value1": "offline again"})
    await advance(hass, freezer, timedelta(minutes=10, seconds=1))
    assert [call.data["message"] for call in sent][1:] == [
        "LOQED reports the lock offline: it cannot be operated from Home Assistant."
    ]
