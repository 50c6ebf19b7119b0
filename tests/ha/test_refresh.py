"""Any refresh of an API key's lock applies the same guards: nothing older than the newest webhook."""

import time
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.const import DOMAIN

from .conftest import COMMAND_URL, LOCK_ENTITY, LOCK_ID, OLD_LOCK_ID, STATUS_URL, WEBHOOK_ID, setup_entry, stored_lock

UNLOCKED_BY_ANNA = {"lock_id": OLD_LOCK_ID, "requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH",
                    "key_local_id": 3, "key_name_user": "Anna"}  # fmt: skip


def status_calls(aioclient_mock: AiohttpClientMocker) -> int:
    return sum(1 for call in aioclient_mock.mock_calls if str(call[1]).startswith(STATUS_URL))


async def update_entity(hass: HomeAssistant) -> None:
    await hass.services.async_call("homeassistant", "update_entity", {"entity_id": LOCK_ENTITY}, blocking=True)
    await hass.async_block_till_done()


async def test_update_entity_5_s_after_a_webhook_keeps_what_the_webhook_said(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    status_mock: AiohttpClientMocker,
    hass_storage: dict[str, Any],
    hass_client_no_auth: Any,
    freezer: FrozenDateTimeFactory,
    external_url: None,
) -> None:
    """The status is due (over 12 h old) and says locked; the webhook of 5 s ago said unlocked."""
    hass_storage[f"{DOMAIN}.{LOCK_ID}"] = stored_lock(fetched_ago=11 * 3600, bolt_state="night_lock")
    await setup_entry(hass, entry)
    assert await async_setup_component(hass, "homeassistant", {})
    assert status_calls(status_mock) == 0
    client = await hass_client_no_auth()
    freezer.tick(timedelta(hours=2))  # now the status is due
    await client.post(f"/api/webhook/{WEBHOOK_ID}", json=UNLOCKED_BY_ANNA)
    assert hass.states.get(LOCK_ENTITY).state == "unlocked"  # type: ignore[union-attr]
    freezer.tick(timedelta(seconds=5))
    await update_entity(hass)
    assert status_calls(status_mock) == 1  # spent (it was due), but older than the event: left alone
    assert hass.states.get(LOCK_ENTITY).state == "unlocked"  # type: ignore[union-attr]
    assert hass.states.get(LOCK_ENTITY).attributes["changed_by"] == "Anna"  # type: ignore[union-attr]
    freezer.tick(timedelta(seconds=40))
    await update_entity(hass)
    assert status_calls(status_mock) == 1  # read moments ago: not due again


async def test_update_entity_during_a_command_shows_the_transition_and_counts_no_missed_confirmation(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    status_mock: AiohttpClientMocker,
    hass_storage: dict[str, Any],
    hass_client_no_auth: Any,
    freezer: FrozenDateTimeFactory,
    external_url: None,
) -> None:
    hass_storage[f"{DOMAIN}.{LOCK_ID}"] = stored_lock(fetched_ago=13 * 3600, bolt_state="night_lock")
    await setup_entry(hass, entry)  # the status was due at start-up: one call
    assert await async_setup_component(hass, "homeassistant", {})
    status_mock.get(COMMAND_URL, text="{}")
    await hass.services.async_call("lock", "unlock", {"entity_id": LOCK_ENTITY}, blocking=True)
    assert hass.states.get(LOCK_ENTITY).state == "unlocking"  # type: ignore[union-attr]
    await hass.services.async_call("button", "press", {"entity_id": "button.loqed_6148_read_status_now"}, blocking=True)
    assert status_calls(status_mock) == 2
    assert hass.states.get(LOCK_ENTITY).state == "unlocking"  # type: ignore[union-attr]  # not flipped back
    client = await hass_client_no_auth()
    await client.post(f"/api/webhook/{WEBHOOK_ID}", json=UNLOCKED_BY_ANNA)
    assert hass.states.get(LOCK_ENTITY).state == "unlocked"  # type: ignore[union-attr]
    assert entry.runtime_data.locks[None].facts.missed_confirmations == 0


async def test_a_status_read_later_than_the_events_quiet_time_corrects(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    status_mock: AiohttpClientMocker,
    hass_storage: dict[str, Any],
    hass_client_no_auth: Any,
    freezer: FrozenDateTimeFactory,
    external_url: None,
) -> None:
    hass_storage[f"{DOMAIN}.{LOCK_ID}"] = stored_lock(fetched_ago=1, last_event_at=time.time())
    await setup_entry(hass, entry)
    assert hass.states.get(LOCK_ENTITY).state == "unlocked"  # type: ignore[union-attr]  # restored
    freezer.tick(timedelta(seconds=31))
    await hass.services.async_call("button", "press", {"entity_id": "button.loqed_6148_read_status_now"}, blocking=True)
    assert hass.states.get(LOCK_ENTITY).state == "locked"  # type: ignore[union-attr]  # the status says so
