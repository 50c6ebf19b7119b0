"""Fixtures for the Home Assistant side: a configured lock against a mocked LOQED."""

import base64
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest.mock import PropertyMock, patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.const import CONF_CLOUDHOOK_URL, CONF_SIGNING, DOMAIN

BASE_URL = "http://loqed.test"
STATUS_URL = f"{BASE_URL}/API/lock_status.php"
COMMAND_URL = f"{BASE_URL}/API/lock_command.php"
GATEWAY_URL = f"{BASE_URL}/v1/locks/6148/state"
LOCK_ID = "Yq1gK4oeE9KWe0ByxjX2"
OLD_LOCK_ID = "6148"
TOKEN = "tok+en/="
KEY_BYTES = bytes(range(32))
KEY = base64.b64encode(KEY_BYTES).decode()
API_KEY = "api/key+"
WEBHOOK_ID = "0123456789abcdef0123456789abcdef"
CREDENTIALS = {
    "api_token": TOKEN,
    "lock_id": LOCK_ID,
    "old_lock_id": OLD_LOCK_ID,
    "local_key_id": 200,
    "key": KEY,
    "api_key": API_KEY,
}
STATUS = {
    "id": 6148,
    "battery_percentage": 78,
    "battery_type": "nickel_metal_hydride",
    "battery_type_numeric": 1,
    "bolt_state": "night_lock",
    "bolt_state_numeric": 3,
    "bridge_online": 1,
    "lock_online": 1,
    "guest_access_mode": 0,
    "twist_assist": 0,
    "touch_to_connect": 1,
}
LOCK_ENTITY = "lock.loqed_6148"


@pytest.fixture(autouse=True)
def loqed_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the client at a host that aioclient_mock answers for."""
    monkeypatch.setenv("LOQED_WEB_BASE_URL", BASE_URL)


@pytest.fixture
def entry_data() -> dict[str, Any]:
    """Return the data of a lock set up with local signing."""
    return {**CREDENTIALS, CONF_SIGNING: "local", CONF_WEBHOOK_ID: WEBHOOK_ID}


@pytest.fixture
def entry(hass: HomeAssistant, entry_data: dict[str, Any]) -> MockConfigEntry:
    """Return the config entry of one lock, added to hass."""
    config_entry = MockConfigEntry(domain=DOMAIN, title=f"LOQED {OLD_LOCK_ID}", unique_id=LOCK_ID, data=entry_data)
    config_entry.add_to_hass(hass)
    return config_entry


@pytest.fixture
def status_mock(aioclient_mock: AiohttpClientMocker) -> AiohttpClientMocker:
    """Answer the status call with STATUS."""
    aioclient_mock.get(STATUS_URL, json=STATUS)
    return aioclient_mock


@pytest.fixture
def external_url(hass: HomeAssistant) -> None:
    """Give Home Assistant a URL reachable from the internet."""
    hass.config.external_url = "https://home.example.com"


async def advance(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    """Move the frozen clock on and run what became due."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def setup_entry(hass: HomeAssistant, config_entry: MockConfigEntry) -> None:
    """Set up the webhook component and the entry."""
    assert await async_setup_component(hass, "webhook", {})
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()


@pytest.fixture
async def loaded(
    hass: HomeAssistant, entry: MockConfigEntry, status_mock: AiohttpClientMocker, external_url: None
) -> MockConfigEntry:
    """Return the entry, set up after one status call."""
    await setup_entry(hass, entry)
    return entry


async def setup_with_a_cloudhook(
    hass: HomeAssistant, entry_data: dict[str, Any], url: str = "https://hooks/old"
) -> MockConfigEntry:
    """Set up a lock whose webhook is the cloudhook `url`, with Home Assistant Cloud loaded."""
    entry = MockConfigEntry(
        domain=DOMAIN, title="LOQED 6148", unique_id=LOCK_ID, data=entry_data | {CONF_CLOUDHOOK_URL: url}
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    hass.config.components.add("cloud")
    return entry


def stored_budget(*spent_ago: float) -> dict[str, Any]:
    """Return what the status budget's Store holds: calls spent this many seconds ago."""
    now = time.time()
    return {"version": 1, "key": f"{DOMAIN}.status_budget", "data": {"spent_at": [now - ago for ago in spent_ago]}}


def stored_lock(fetched_ago: float = 60.0, **fields: Any) -> dict[str, Any]:
    """Return what the lock's Store holds, as saved before a restart."""
    data = {
        "bolt_state": "day_lock",
        "moving_to": None,
        "jammed": False,
        "battery_percentage": 55,
        "battery_type": "alkaline",
        "wifi_strength": 70,
        "ble_strength": 30,
        "lock_online": True,
        "bridge_online": True,
        "operator": {
            "key_local_id": 3,
            "user_name": "Anna",
            "admin_name": None,
            "account_name": None,
            "account_email": None,
        },
        "status_fetched_at": time.time() - fetched_ago,
        "known": True,
    }
    return {"version": 1, "minor_version": 1, "key": f"{DOMAIN}.{LOCK_ID}", "data": data | fields}


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Enable the entities that are disabled by default, for snapshots."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


@pytest.fixture
def no_sleep() -> Iterator[None]:
    """Skip the client's one-second pause before retrying an unopened connection."""
    with patch("custom_components.loqed_web.aioloqedweb.transport.asyncio.sleep"):
        yield
