"""The status button: one budgeted status call on demand, with translated errors."""

from typing import Any

import pytest
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN
from homeassistant.components.button import SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.const import DOMAIN
from custom_components.loqed_web.storage import async_get_status_budget

from .conftest import LOCK_ENTITY, STATUS, STATUS_URL, WEBHOOK_ID

BUTTON = "button.loqed_6148_read_status_now"
KEY_DELETED = "No query results for model [App\\Models\\ApiKey]."  # LOQED's words for a deleted key


async def press(hass: HomeAssistant) -> None:
    await hass.services.async_call(BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: BUTTON}, blocking=True)


async def test_a_press_spends_one_status_call_and_shows_it(
    hass: HomeAssistant, loaded: MockConfigEntry, aioclient_mock: AiohttpClientMocker
) -> None:
    aioclient_mock.clear_requests()
    unlocked = STATUS | {"bolt_state": "day_lock", "bolt_state_numeric": 2, "battery_percentage": 41}
    aioclient_mock.get(STATUS_URL, json=unlocked)
    await press(hass)
    assert aioclient_mock.call_count == 1
    assert hass.states.get(LOCK_ENTITY).state == "unlocked"  # type: ignore[union-attr]
    assert hass.states.get("sensor.loqed_6148_battery").state == "41"  # type: ignore[union-attr]
    assert (await async_get_status_budget(hass)).remaining == 2  # setup spent one, the press one


@pytest.mark.parametrize(
    ("answer", "key", "reauth"),
    [
        ({"status": 401}, "invalid_auth", True),
        (
            {"status": 404, "json": {"message": "No query results for model [App\\\\Models\\\\ApiKey]."}},
            "key_not_found",
            True,
        ),
        ({"status": 429}, "rate_limited", False),
        ({"status": 500}, "server_error", False),
    ],
)
async def test_errors_are_translated_and_a_deleted_key_starts_reauth(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    answer: dict[str, Any],
    key: str,
    reauth: bool,
) -> None:
    aioclient_mock.clear_requests()
    aioclient_mock.get(STATUS_URL, **answer)
    with pytest.raises(HomeAssistantError) as raised:
        await press(hass)
    assert (raised.value.translation_domain, raised.value.translation_key) == (DOMAIN, key)
    assert str(raised.value) != key  # the translated message
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == (["reauth"] if reauth else [])


async def test_a_spent_budget_sends_nothing(
    hass: HomeAssistant, loaded: MockConfigEntry, aioclient_mock: AiohttpClientMocker
) -> None:
    budget = await async_get_status_budget(hass)
    while budget.remaining:
        await budget.try_spend()
    calls = aioclient_mock.call_count
    with pytest.raises(HomeAssistantError) as raised:
        await press(hass)
    assert raised.value.translation_key == "budget_exhausted"
    assert aioclient_mock.call_count == calls


async def test_the_button_is_available_while_the_lock_is_offline(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any
) -> None:
    client = await hass_client_no_auth()
    await client.post(f"/api/webhook/{WEBHOOK_ID}", json={"online": "0"})
    await hass.async_block_till_done()
    assert hass.states.get(LOCK_ENTITY).state == "unavailable"  # type: ignore[union-attr]
    assert hass.states.get(BUTTON).state == "unknown"  # type: ignore[union-attr]  # pressable, never pressed
