"""Options: settings that apply at once, and webhook rotation that never loses the URL."""

from datetime import timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_WEBHOOK_ID, EVENT_STATE_CHANGED
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.const import CONF_CLOUDHOOK_URL, DOMAIN
from custom_components.loqed_web.storage import async_get_status_budget
from tests.test_config_schema import assert_declared

from .conftest import (
    COMMAND_URL,
    LOCK_ENTITY,
    OLD_LOCK_ID,
    STATUS_URL,
    WEBHOOK_ID,
    advance,
    setup_with_a_cloudhook,
)


async def open_menu(hass: HomeAssistant, entry: MockConfigEntry) -> FlowResult:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["settings", "rotate_webhook"]
    return result


async def choose(hass: HomeAssistant, result: FlowResult, step: str) -> FlowResult:
    return await hass.config_entries.options.async_configure(result["flow_id"], {"next_step_id": step})


async def test_the_menu_shows_the_webhook_url_and_the_budget(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    result = await open_menu(hass, loaded)
    assert result["description_placeholders"] == {
        "webhook_url": f"https://home.example.com/api/webhook/{WEBHOOK_ID}",
        "remaining": "3",  # setup spent one of four
        "limit": "4",
    }


async def test_settings_apply_at_once_without_setting_the_entry_up_again(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    result = await choose(hass, await open_menu(hass, loaded), "settings")
    assert result["step_id"] == "settings"
    unavailable = async_capture_events(hass, EVENT_STATE_CHANGED)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"transition_timeout": 5, "status_budget": 2, "silence_hours": 48}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert unavailable == []  # not set up again: no entity went unavailable and back
    assert loaded.state is ConfigEntryState.LOADED
    assert loaded.options == {"transition_timeout": 5, "silence_hours": 48}  # the budget is kept apart
    assert_declared("options", dict(loaded.options))
    assert (await async_get_status_budget(hass)).limit == 2
    aioclient_mock.get(COMMAND_URL, text="{}")
    await hass.services.async_call("lock", "unlock", {"entity_id": LOCK_ENTITY}, blocking=True)
    assert hass.states.get(LOCK_ENTITY).state == "unlocking"  # type: ignore[union-attr]
    await advance(hass, freezer, timedelta(seconds=6))
    assert hass.states.get(LOCK_ENTITY).state == "unknown"  # type: ignore[union-attr]  # 5 s, not 30 s


async def test_the_budget_limit_survives_a_reload_and_is_saved(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    result = await choose(hass, await open_menu(hass, loaded), "settings")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"transition_timeout": 30, "status_budget": 1, "silence_hours": 24}
    )
    await hass.config_entries.async_reload(loaded.entry_id)
    await hass.async_block_till_done()
    assert (await async_get_status_budget(hass)).limit == 1
    assert hass_storage[f"{DOMAIN}.status_budget"]["data"]["limit"] == 1  # what a restart reads


async def test_an_entry_that_is_not_running_has_nothing_to_configure(
    hass: HomeAssistant, entry: MockConfigEntry, aioclient_mock: AiohttpClientMocker, external_url: None
) -> None:
    aioclient_mock.get(STATUS_URL, status=401)  # refused at start-up: the entry waits for reauth
    assert await async_setup_component(hass, "webhook", {})
    assert not await hass.config_entries.async_setup(entry.entry_id)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_loaded"


async def test_rotation_makes_a_new_url_and_drops_the_old_one_at_once(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any
) -> None:
    result = await choose(hass, await open_menu(hass, loaded), "rotate_webhook")
    assert result["step_id"] == "rotate_webhook"
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "webhook_rotated"
    new_id = loaded.data[CONF_WEBHOOK_ID]
    assert new_id != WEBHOOK_ID
    assert result["description_placeholders"] == {"webhook_url": f"https://home.example.com/api/webhook/{new_id}"}
    assert loaded.data["api_token"]  # credentials kept
    client = await hass_client_no_auth()
    unlock = {"lock_id": OLD_LOCK_ID, "requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH"}
    await client.post(f"/api/webhook/{WEBHOOK_ID}", json=unlock)
    await hass.async_block_till_done()
    assert hass.states.get(LOCK_ENTITY).state == "locked"  # type: ignore[union-attr]  # the old URL reaches nothing
    await client.post(f"/api/webhook/{new_id}", json=unlock)
    await hass.async_block_till_done()
    assert hass.states.get(LOCK_ENTITY).state == "unlocked"  # type: ignore[union-attr]


async def test_rotation_makes_the_new_cloudhook_before_deleting_the_old_one(
    hass: HomeAssistant, entry_data: dict[str, Any], status_mock: AiohttpClientMocker, external_url: None
) -> None:
    from homeassistant.components.cloud import CloudNotAvailable  # noqa: PLC0415  # heavy import, one test

    entry = await setup_with_a_cloudhook(hass, entry_data)
    calls: list[str] = []

    async def create(_hass: HomeAssistant, webhook_id: str) -> str:
        calls.append(f"create {webhook_id == entry.data[CONF_WEBHOOK_ID]}")
        return f"https://hooks/{len(calls)}"

    async def delete(_hass: HomeAssistant, webhook_id: str) -> None:
        calls.append(f"delete {webhook_id}")
        raise CloudNotAvailable  # Cloud fails: the entry must still point at the new cloudhook

    with (
        patch("homeassistant.components.cloud.async_delete_cloudhook", side_effect=delete),
        patch("homeassistant.components.cloud.async_active_subscription", return_value=True),
        patch("homeassistant.components.cloud.async_create_cloudhook", side_effect=create),
    ):
        result = await choose(hass, await open_menu(hass, entry), "rotate_webhook")
        result = await hass.config_entries.options.async_configure(result["flow_id"], {})
        await hass.async_block_till_done()
    assert calls == ["create False", f"delete {WEBHOOK_ID}"]
    assert result["description_placeholders"] == {"webhook_url": "https://hooks/1"}
    assert entry.data[CONF_CLOUDHOOK_URL] == "https://hooks/1"
    assert entry.state is ConfigEntryState.LOADED


async def test_rotation_falls_back_to_the_own_url_when_cloud_fails(
    hass: HomeAssistant, entry_data: dict[str, Any], status_mock: AiohttpClientMocker, external_url: None
) -> None:
    entry = await setup_with_a_cloudhook(hass, entry_data)
    with (
        patch("homeassistant.components.cloud.async_delete_cloudhook") as delete,
        patch("homeassistant.components.cloud.async_active_subscription", return_value=True),
        patch("homeassistant.components.cloud.async_create_cloudhook", side_effect=RuntimeError("cloud is down")),
    ):
        result = await choose(hass, await open_menu(hass, entry), "rotate_webhook")
        result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    new_id = entry.data[CONF_WEBHOOK_ID]
    assert CONF_CLOUDHOOK_URL not in entry.data
    assert result["description_placeholders"] == {"webhook_url": f"https://home.example.com/api/webhook/{new_id}"}
    delete.assert_awaited_once_with(hass, WEBHOOK_ID)  # the old cloudhook goes after the entry moved on


async def test_rotation_replaces_a_cloudhook(
    hass: HomeAssistant, entry_data: dict[str, Any], status_mock: AiohttpClientMocker, external_url: None
) -> None:
    from homeassistant.components.cloud import CloudNotAvailable  # noqa: PLC0415  # heavy import, one test

    entry = await setup_with_a_cloudhook(hass, entry_data)
    with (
        patch("homeassistant.components.cloud.async_delete_cloudhook", side_effect=[None, CloudNotAvailable]) as delete,
        patch("homeassistant.components.cloud.async_active_subscription", return_value=True),
        patch(
            "homeassistant.components.cloud.async_create_cloudhook",
            side_effect=["https://hooks/new", "https://hooks/3"],
        ),
    ):
        result = await choose(hass, await open_menu(hass, entry), "rotate_webhook")
        result = await hass.config_entries.options.async_configure(result["flow_id"], {})
        assert result["description_placeholders"] == {"webhook_url": "https://hooks/new"}
        delete.assert_awaited_once_with(hass, WEBHOOK_ID)
        await hass.async_block_till_done()  # the entry is set up again with the new webhook
        result = await choose(hass, await open_menu(hass, entry), "rotate_webhook")
        result = await hass.config_entries.options.async_configure(result["flow_id"], {})
        assert result["description_placeholders"] == {"webhook_url": "https://hooks/3"}
