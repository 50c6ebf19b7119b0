"""The config flow: paste, fill in what is missing, choose signing, check, create."""

import json
from typing import Any
from unittest.mock import patch

import pytest
from aiohttp import ConnectionTimeoutError
from homeassistant import config_entries
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.const import CONF_CLOUDHOOK_URL, CONF_SIGNING, DOMAIN
from tests.test_config_schema import assert_declared

from .conftest import (
    API_KEY,
    CREDENTIALS,
    KEY,
    LOCK_ID,
    OLD_LOCK_ID,
    STATUS,
    STATUS_URL,
    TOKEN,
    WEBHOOK_ID,
    stored_lock,
)

TOKEN_IN_URL = "tok%2Ben%2F%3D"
INTEGRATION_INFO = json.dumps(
    {"lock_id": LOCK_ID, "lock_key_local_id": 200, "lock_key_key": KEY, "bridge_ip": "192.168.1.20"}
)
STATUS_LINK = f"https://app.loqed.com/API/lock_status.php?api_token={TOKEN_IN_URL}&lock_id={LOCK_ID}"
OPEN_LINK = (
    f"https://gateway.production.loqed.com/v1/locks/{OLD_LOCK_ID}/state?lock_api_key=api%2Fkey%2B"
    f"&api_token={TOKEN_IN_URL}&lock_state=OPEN&local_key_id=200"
)
EVERYTHING = f"{INTEGRATION_INFO}\n{STATUS_LINK}\n{OPEN_LINK}\n"


@pytest.fixture(autouse=True)
def _webhook_ready(hass: HomeAssistant, external_url: None) -> None:
    """Every flow here ends with a webhook URL reachable from the internet."""


async def start(hass: HomeAssistant) -> FlowResult:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": config_entries.SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return result


async def paste(hass: HomeAssistant, result: FlowResult, text: str, **extra: Any) -> FlowResult:
    return await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": text, **extra})


def assert_created_with(result: FlowResult, signing: str) -> dict[str, Any]:
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert result["title"] == "LOQED 6148"
    assert_declared("data", result["data"])
    data = dict(result["data"])
    webhook_id = data.pop(CONF_WEBHOOK_ID)
    assert len(webhook_id) >= 32
    assert data == {**CREDENTIALS, CONF_SIGNING: signing}
    assert result["result"].unique_id == LOCK_ID
    url = result["description_placeholders"]["webhook_url"]
    assert url == f"https://home.example.com/api/webhook/{webhook_id}"
    return data


async def test_everything_pasted_then_choose_local_signing(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_storage: dict[str, Any]
) -> None:
    aioclient_mock.get(STATUS_URL, json=STATUS)
    result = await paste(hass, await start(hass), EVERYTHING)
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "signing"
    assert result["menu_options"] == ["sign_local", "sign_server"]
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"next_step_id": "sign_local"})
    assert_created_with(result, "local")
    assert aioclient_mock.call_count == 1
    assert str(aioclient_mock.mock_calls[0][1]) == f"{STATUS_URL}?api_token={TOKEN_IN_URL}&lock_id={LOCK_ID}"
    # The check's answer is kept, so that setting up right after spends no second status call.
    await hass.async_block_till_done()
    assert hass_storage[f"{DOMAIN}.{LOCK_ID}"]["data"]["bolt_state"] == "night_lock"
    assert len(hass_storage[f"{DOMAIN}.status_budget"]["data"]["spent_at"]) == 1
    assert result["result"].state is config_entries.ConfigEntryState.LOADED
    assert aioclient_mock.call_count == 1
    assert hass.states.get("lock.loqed_6148").state == "locked"  # type: ignore[union-attr]


async def test_server_signing_chosen(hass: HomeAssistant, aioclient_mock: AiohttpClientMocker) -> None:
    aioclient_mock.get(STATUS_URL, json=STATUS)
    result = await paste(hass, await start(hass), EVERYTHING)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"next_step_id": "sign_server"})
    assert_created_with(result, "server")


async def test_json_alone_asks_only_for_what_is_missing(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    aioclient_mock.get(STATUS_URL, json=STATUS)
    result = await paste(hass, await start(hass), INTEGRATION_INFO)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "details"
    assert [str(key) for key in result["data_schema"].schema] == ["api_token", "old_lock_id"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"api_token": TOKEN, "old_lock_id": "not a number"}
    )
    assert result["errors"] == {"old_lock_id": "invalid_format"}
    assert result["description_placeholders"] == {"field": "Lock ID (old)"}  # "{field}" is filled in
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"api_token": TOKEN, "old_lock_id": OLD_LOCK_ID}
    )
    # Only local signing is possible: no menu.
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_SIGNING] == "local"
    assert result["data"]["api_key"] is None


async def test_ready_urls_alone_use_server_signing(hass: HomeAssistant, aioclient_mock: AiohttpClientMocker) -> None:
    aioclient_mock.get(STATUS_URL, json=STATUS)
    result = await paste(hass, await start(hass), OPEN_LINK)
    assert result["step_id"] == "details"
    assert [str(key) for key in result["data_schema"].schema] == ["lock_id"]
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"lock_id": LOCK_ID})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_SIGNING] == "server"
    assert result["data"]["key"] is None
    assert result["data"]["api_key"] == API_KEY


@pytest.mark.parametrize(
    ("text", "error", "field"),
    [
        ("hello", "nothing_found", ""),
        ("Key: c2hvcnQ=", "invalid_format", "Key"),
        (f"Lock ID: {LOCK_ID}\nLock ID: ZZZZZZZZZZZZZZZZZZZZ", "conflicting_values", "Lock ID"),
    ],
)
async def test_unusable_paste_then_a_corrected_one(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, text: str, error: str, field: str
) -> None:
    aioclient_mock.get(STATUS_URL, json=STATUS)
    result = await paste(hass, await start(hass), text)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"credentials": error}
    assert result["description_placeholders"]["field"] == field
    result = await paste(hass, result, EVERYTHING)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"next_step_id": "sign_local"})
    assert_created_with(result, "local")


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({"status": 401}, "invalid_auth"),
        ({"status": 302, "headers": {"Location": "/login"}}, "invalid_auth"),
        ({"status": 404, "json": {"message": "key deleted"}}, "key_not_found"),
        ({"status": 429}, "rate_limited"),
        ({"status": 503}, "server_error"),
        ({"exc": TimeoutError()}, "no_answer"),
        ({"exc": ConnectionTimeoutError()}, "cannot_connect"),
        ({"text": "<html>not json</html>"}, "unknown"),
    ],
)
async def test_status_check_errors_then_a_corrected_retry(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, answer: dict[str, Any], error: str
) -> None:
    aioclient_mock.get(STATUS_URL, **answer)
    with patch("custom_components.loqed_web.aioloqedweb.transport.asyncio.sleep"):
        result = await paste(hass, await start(hass), EVERYTHING)
    # At the paste, before the signing question: a user never answers it twice.
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {"base": error}
    aioclient_mock.clear_requests()
    aioclient_mock.get(STATUS_URL, json=STATUS)
    # The retry pastes only what changed.
    result = await paste(hass, result, "API token: tok+en/=")
    assert (result["type"], result["step_id"]) == (FlowResultType.MENU, "signing")
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"next_step_id": "sign_local"})
    assert_created_with(result, "local")
    assert aioclient_mock.call_count == 1  # the one check that worked; choosing spent none


async def test_a_browser_closed_mid_setup_leaves_nothing_that_blocks_the_lock(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    aioclient_mock.get(STATUS_URL, json=STATUS)
    abandoned = await paste(hass, await start(hass), EVERYTHING)
    assert (abandoned["type"], abandoned["step_id"]) == (FlowResultType.MENU, "signing")
    # The page was refreshed: a new flow for the same lock.
    result = await paste(hass, await start(hass), EVERYTHING)
    assert (result["type"], result["step_id"]) == (FlowResultType.MENU, "signing")
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["flow_id"] for flow in flows] == [result["flow_id"]]  # the stale one gave way
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"next_step_id": "sign_local"})
    assert_created_with(result, "local")


async def test_budget_spent_lets_the_user_finish_without_the_check(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_storage: dict[str, Any]
) -> None:
    now = __import__("time").time()
    hass_storage[f"{DOMAIN}.status_budget"] = {
        "version": 1,
        "key": f"{DOMAIN}.status_budget",
        "data": {"spent_at": [now - 60] * 4},
    }
    result = await paste(hass, await start(hass), EVERYTHING)
    assert result["errors"] == {"base": "budget_exhausted"}
    assert "skip_status_check" in [str(key) for key in result["data_schema"].schema]
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"skip_status_check": True})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"next_step_id": "sign_local"})
    assert_created_with(result, "local")
    assert aioclient_mock.call_count == 0


async def test_a_configured_lock_is_refused(
    hass: HomeAssistant, entry: MockConfigEntry, aioclient_mock: AiohttpClientMocker
) -> None:
    result = await paste(hass, await start(hass), EVERYTHING)
    # Refused right after the paste: not after the signing menu, and before any status call.
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert aioclient_mock.call_count == 0


async def test_cloudhook_when_cloud_is_active(hass: HomeAssistant, aioclient_mock: AiohttpClientMocker) -> None:
    aioclient_mock.get(STATUS_URL, json=STATUS)
    hass.config.components.add("cloud")
    with (
        patch("homeassistant.components.cloud.async_active_subscription", return_value=True),
        patch(
            "homeassistant.components.cloud.async_create_cloudhook",
            return_value="https://hooks.nabu.casa/abc",
        ) as create,
    ):
        result = await paste(hass, await start(hass), EVERYTHING)
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {"next_step_id": "sign_local"})
    assert result["data"][CONF_CLOUDHOOK_URL] == "https://hooks.nabu.casa/abc"
    assert_declared("data", result["data"])
    assert result["description_placeholders"]["webhook_url"] == "https://hooks.nabu.casa/abc"
    create.assert_awaited_once_with(hass, result["data"][CONF_WEBHOOK_ID])


async def test_cloud_not_connected_falls_back_to_the_own_url(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    from homeassistant.components.cloud import CloudNotConnected  # noqa: PLC0415  # heavy import, one test

    aioclient_mock.get(STATUS_URL, json=STATUS)
    hass.config.components.add("cloud")
    with (
        patch("homeassistant.components.cloud.async_active_subscription", return_value=True),
        patch("homeassistant.components.cloud.async_create_cloudhook", side_effect=CloudNotConnected),
    ):
        result = await paste(hass, await start(hass), EVERYTHING)
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {"next_step_id": "sign_local"})
    data = assert_created_with(result, "local")
    assert CONF_CLOUDHOOK_URL not in data


async def test_reauth_takes_a_new_token(
    hass: HomeAssistant, entry: MockConfigEntry, aioclient_mock: AiohttpClientMocker
) -> None:
    aioclient_mock.get(STATUS_URL, json=STATUS)
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    result = await paste(hass, result, "API token: new-token")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data["api_token"] == "new-token"
    assert entry.data[CONF_WEBHOOK_ID] == WEBHOOK_ID
    assert "api_token=new-token" in str(aioclient_mock.mock_calls[-1][1])


async def test_reauth_spends_no_call_on_the_refused_credentials_and_can_finish_without_a_check(
    hass: HomeAssistant, entry: MockConfigEntry, aioclient_mock: AiohttpClientMocker
) -> None:
    result = await entry.start_reauth_flow(hass)
    assert "skip_status_check" in [str(key) for key in result["data_schema"].schema]
    result = await paste(hass, result, "")  # the known credentials: the ones LOQED refused
    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {"base": "same_credentials"}
    result = await paste(hass, result, "API token: tok+en/=")  # the same token again
    assert result["errors"] == {"base": "same_credentials"}
    assert aioclient_mock.call_count == 0
    result = await paste(hass, result, "", skip_status_check=True)  # the user knows better
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert aioclient_mock.call_count == 0


async def test_a_refused_paste_stays_in_the_box(
    hass: HomeAssistant, entry: MockConfigEntry, aioclient_mock: AiohttpClientMocker
) -> None:
    aioclient_mock.get(STATUS_URL, status=401)
    result = await entry.start_reauth_flow(hass)
    result = await paste(hass, result, "API token: still-wrong")
    assert result["errors"] == {"base": "invalid_auth"}
    (field,) = [key for key in result["data_schema"].schema if str(key) == "credentials"]
    assert field.description == {"suggested_value": "API token: still-wrong"}


async def test_reauth_refuses_another_lock(
    hass: HomeAssistant, entry: MockConfigEntry, aioclient_mock: AiohttpClientMocker
) -> None:
    result = await entry.start_reauth_flow(hass)
    result = await paste(hass, result, "Lock ID: ZZZZZZZZZZZZZZZZZZZZ")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_lock"
    assert entry.data["lock_id"] == LOCK_ID


async def test_reconfigure_changes_the_signing_mode_and_keeps_the_webhook(
    hass: HomeAssistant, entry: MockConfigEntry, aioclient_mock: AiohttpClientMocker, hass_storage: dict[str, Any]
) -> None:
    hass_storage[f"{DOMAIN}.{LOCK_ID}"] = stored_lock()
    aioclient_mock.get(STATUS_URL, json=STATUS)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    result = await paste(hass, result, "")
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"next_step_id": "sign_server"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_SIGNING] == "server"
    assert entry.data[CONF_WEBHOOK_ID] == WEBHOOK_ID
    assert entry.unique_id == LOCK_ID


async def test_reconfigure_check_error_shows_the_reconfigure_form(
    hass: HomeAssistant, entry: MockConfigEntry, aioclient_mock: AiohttpClientMocker
) -> None:
    aioclient_mock.get(STATUS_URL, status=429)
    result = await entry.start_reconfigure_flow(hass)
    result = await paste(hass, result, "API key: other")
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {"base": "rate_limited"}
