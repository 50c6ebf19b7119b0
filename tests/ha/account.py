"""A personal access token's account, its locks under it: shared helpers of the account tests."""

import time
from datetime import timedelta
from http import HTTPStatus
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryDataWithId
from homeassistant.const import CONF_ACCESS_TOKEN, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.const import DOMAIN
from tests.client.test_token import jwt

from .conftest import BASE_URL, LOCK_ID

LOCKS_URL = f"{BASE_URL}/api/locks/"
BACK_ID = "BackDoor0000000000ab"
TOKEN_EXPIRES_AT = int(time.time()) + 180 * 86400
TOKEN = jwt({"sub": "7", "exp": TOKEN_EXPIRES_AT})
FRONT = {"id": LOCK_ID, "name": "Front door", "bolt_state": "night_lock", "online": True, "battery_percentage": 80,
         "party_mode": False, "guest_access_mode": True, "twist_assist": False, "touch_to_connect": True}  # fmt: skip
BACK = {"id": BACK_ID, "name": "Back door", "bolt_state": "day_lock", "online": True, "battery_percentage": 60}
FRONT_ENTITY, BACK_ENTITY = "lock.front_door", "lock.back_door"
FRONT_HOOK, BACK_HOOK = "a" * 32, "b" * 32
DELETED_KEY = {"message": "No query results for model [App\\Models\\ApiKey]."}


def locks_answer(aioclient_mock: AiohttpClientMocker, *locks: dict[str, Any], **kwargs: Any) -> None:
    """Answer the lock list with `locks` (or `kwargs`: a status, an exception), forgetting earlier calls."""
    aioclient_mock.clear_requests()
    aioclient_mock.get(LOCKS_URL, json={"data": list(locks)}, **kwargs)


def list_reads(aioclient_mock: AiohttpClientMocker) -> int:
    """Return how often the lock list was read."""
    return sum(1 for call in aioclient_mock.mock_calls if str(call[1]) == LOCKS_URL)


def lock_subentry(subentry_id: str, lock_id: str, title: str, webhook_id: str, **data: Any) -> ConfigSubentryDataWithId:
    """Return a lock subentry as the flow makes it."""
    return ConfigSubentryDataWithId(
        data={"lock_id": lock_id, CONF_WEBHOOK_ID: webhook_id, **data},
        subentry_id=subentry_id,
        subentry_type="lock",
        title=title,
        unique_id=lock_id,
    )


FRONT_SUBENTRY = lock_subentry("front", LOCK_ID, "Front door", FRONT_HOOK)
BACK_SUBENTRY = lock_subentry("back", BACK_ID, "Back door", BACK_HOOK)


def account_entry(
    hass: HomeAssistant,
    *subentries: ConfigSubentryDataWithId,
    token: str = TOKEN,
    **options: Any,
) -> MockConfigEntry:
    """Add an account entry (version 2) with these locks under it (by default both doors)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="LOQED (Front door, Back door)",
        data={CONF_ACCESS_TOKEN: token},
        options=options,
        subentries_data=subentries or (FRONT_SUBENTRY, BACK_SUBENTRY),
        version=2,
    )
    entry.add_to_hass(hass)
    return entry


async def setup_account(
    hass: HomeAssistant, *subentries: ConfigSubentryDataWithId, token: str = TOKEN, **options: Any
) -> MockConfigEntry:
    """Set up an account entry; return it, loaded or not."""
    entry = account_entry(hass, *subentries, token=token, **options)
    assert await async_setup_component(hass, "webhook", {})
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def both_doors(hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, **options: Any) -> MockConfigEntry:
    """Set up the account with both doors, LOQED's list naming both."""
    locks_answer(aioclient_mock, FRONT, BACK)
    return await setup_account(hass, **options)


async def advance(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    """Move the clock on and wait for what became due, the list reads (background tasks) too."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def state(hass: HomeAssistant, entity_id: str) -> str:
    """Return an entity's state."""
    return hass.states.get(entity_id).state  # type: ignore[union-attr]


REDIRECT_TO_LOGIN = {"status": HTTPStatus.FOUND, "headers": {"Location": "/login"}}
