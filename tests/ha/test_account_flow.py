"""A personal access token in the UI: one account entry, its locks under it; a new token later."""

import time
from datetime import timedelta
from http import HTTPStatus
from typing import Any
from unittest.mock import patch

import pytest
from aiohttp import ClientConnectorError
from homeassistant import config_entries
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_ACCESS_TOKEN, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.const import CONF_CLOUDHOOK_URL, DOMAIN
from tests.client.test_token import jwt
from tests.test_config_schema import assert_declared

from .account import (
    BACK,
    BACK_ENTITY,
    BACK_HOOK,
    BACK_ID,
    FRONT,
    FRONT_ENTITY,
    FRONT_HOOK,
    FRONT_SUBENTRY,
    LOCKS_URL,
    REDIRECT_TO_LOGIN,
    TOKEN,
    both_doors,
    list_reads,
    locks_answer,
    setup_account,
    state,
)
from .conftest import LOCK_ID

NEW_TOKEN = jwt({"sub": "8", "exp": int(time.time()) + 180 * 86400})
GARAGE = {"id": "GarageDoor0000000003", "name": "Garage", "bolt_state": "night_lock", "online": True}


@pytest.fixture(autouse=True)
def _webhook_ready(hass: HomeAssistant, external_url: None) -> None:
    """Every lock here has a webhook URL reachable from the internet."""


async def paste(hass: HomeAssistant, text: str) -> FlowResult:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": config_entries.SOURCE_USER})
    return await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": text})


def url(webhook_id: str) -> str:
    return f"https://home.example.com/api/webhook/{webhook_id}"


# --- setting up an account ------------------------------------------------------------------


async def test_one_token_makes_one_account_entry_with_the_ticked_locks_under_it(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    result = await paste(hass, f"Bearer {TOKEN}\n")
    assert (result["type"], result["step_id"]) == (FlowResultType.FORM, "pick_locks")
    [call] = aioclient_mock.mock_calls
    assert (call[0], str(call[1]), call[3]["Authorization"]) == ("GET", LOCKS_URL, f"Bearer {TOKEN}")
    picker = result["data_schema"].schema["locks"].config  # type: ignore[union-attr]
    assert picker["options"] == [{"value": LOCK_ID, "label": "Front door"}, {"value": BACK_ID, "label": "Back door"}]

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"locks": [LOCK_ID, BACK_ID]})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    [entry] = hass.config_entries.async_entries(DOMAIN)
    assert (entry.title, dict(entry.data), entry.version) == (
        "LOQED (Front door, Back door)",
        {"access_token": TOKEN},
        2,
    )
    assert "@" not in entry.title
    assert_declared("data", dict(entry.data))
    locks = {subentry.unique_id: subentry for subentry in entry.subentries.values()}
    assert set(locks) == {LOCK_ID, BACK_ID}
    assert (locks[LOCK_ID].title, locks[LOCK_ID].subentry_type) == ("Front door", "lock")
    for subentry in locks.values():
        assert_declared("data", dict(subentry.data), subentry="lock")
    assert locks[LOCK_ID].data[CONF_WEBHOOK_ID] != locks[BACK_ID].data[CONF_WEBHOOK_ID]
    assert result["description"] == "token"
    assert result["description_placeholders"]["webhook_urls"].splitlines() == [
        f"- **Front door**: {url(locks[LOCK_ID].data[CONF_WEBHOOK_ID])}",
        f"- **Back door**: {url(locks[BACK_ID].data[CONF_WEBHOOK_ID])}",
    ]
    assert entry.state is ConfigEntryState.LOADED
    assert (state(hass, FRONT_ENTITY), state(hass, BACK_ENTITY)) == ("locked", "unlocked")


async def test_a_lock_set_up_with_an_api_key_is_not_offered_and_nothing_left_aborts(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    MockConfigEntry(domain=DOMAIN, unique_id=LOCK_ID, data={}, version=2).add_to_hass(hass)  # an API key's entry
    locks_answer(aioclient_mock, FRONT, BACK)
    result = await paste(hass, TOKEN)
    picker = result["data_schema"].schema["locks"].config  # type: ignore[union-attr]
    assert picker["options"] == [{"value": BACK_ID, "label": "Back door"}]
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"locks": []})
    assert result["errors"] == {"base": "pick_one"}
    locks_answer(aioclient_mock, FRONT)
    result = await paste(hass, TOKEN)
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "all_locks_configured")


async def test_a_token_of_an_account_set_up_already_points_to_that_entry(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    entry = await setup_account(hass, FRONT_SUBENTRY)
    locks_answer(aioclient_mock, FRONT, BACK, GARAGE)
    result = await paste(hass, NEW_TOKEN)
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "account_configured")
    assert result["description_placeholders"] == {"title": entry.title}
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (REDIRECT_TO_LOGIN, "invalid_auth"),
        ({"status": HTTPStatus.UNAUTHORIZED}, "invalid_auth"),
        ({"status": HTTPStatus.TOO_MANY_REQUESTS}, "rate_limited"),
        ({"exc": ClientConnectorError(None, OSError("refused"))}, "cannot_connect"),  # type: ignore[arg-type]
        ({"json": {"data": []}}, "no_locks"),
        ({"text": "<html>maintenance</html>"}, "unknown"),  # not JSON: logged at warning
    ],
)
async def test_token_errors_then_a_corrected_retry(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, answer: dict[str, Any], error: str
) -> None:
    aioclient_mock.get(LOCKS_URL, **answer)
    with patch("custom_components.loqed_web.aioloqedweb.transport.asyncio.sleep"):
        result = await paste(hass, TOKEN)
    assert (result["step_id"], result["errors"]) == ("user", {"base": error})
    locks_answer(aioclient_mock, FRONT)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": TOKEN})
    assert result["step_id"] == "pick_locks"


async def test_an_expired_token_is_refused_without_a_call(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    result = await paste(hass, jwt({"exp": int(time.time()) - 1}))
    assert result["errors"] == {"base": "token_expired"}
    assert aioclient_mock.call_count == 0


# --- a new token: reauth and reconfigure -------------------------------------------------------


async def test_reauth_takes_a_new_token_for_the_whole_account(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """One entry changes; every lock keeps its webhook; Home Assistant 2026.12 finds nothing to refuse.

    The suite's guard fails this test if Home Assistant reports an update listener used together
    with a reloading flow result ("This will stop working in Home Assistant 2026.12.0").
    """
    locks_answer(aioclient_mock, FRONT, BACK)
    entry = await setup_account(hass, token=jwt({"exp": int(time.time()) + 86400}))
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"token_expiring_{entry.entry_id}") is not None
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_token"
    assert result["description_placeholders"]["title"] == entry.title
    locks_answer(aioclient_mock, GARAGE)  # a token of another account
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": NEW_TOKEN})
    assert result["errors"] == {"base": "lock_not_in_account"}
    locks_answer(aioclient_mock, FRONT, BACK)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": NEW_TOKEN})
    await hass.async_block_till_done()
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "reauth_successful")
    assert dict(entry.data) == {CONF_ACCESS_TOKEN: NEW_TOKEN}
    assert {subentry.data[CONF_WEBHOOK_ID] for subentry in entry.subentries.values()} == {FRONT_HOOK, BACK_HOOK}
    assert entry.state is ConfigEntryState.LOADED
    assert list_reads(aioclient_mock) == 2  # the flow's check, and the reload's one read for both locks
    # The old token's expiry repair went with it.
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"token_expiring_{entry.entry_id}") is None


async def test_reauth_takes_the_same_token_when_it_works_again(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    entry = await both_doors(hass, aioclient_mock)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": TOKEN})
    await hass.async_block_till_done()
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "reauth_successful")
    assert entry.state is ConfigEntryState.LOADED
    assert list_reads(aioclient_mock) == 3  # at setup, the flow's check, and again as it was set up again


async def test_reauth_of_an_account_that_failed_to_start_sets_it_up(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    locks_answer(aioclient_mock, **REDIRECT_TO_LOGIN)
    entry = await setup_account(hass)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    locks_answer(aioclient_mock, FRONT, BACK)
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {"credentials": NEW_TOKEN})
    await hass.async_block_till_done()
    assert result["reason"] == "reauth_successful"
    assert entry.state is ConfigEntryState.LOADED
    assert state(hass, FRONT_ENTITY) == "locked"


@pytest.mark.parametrize(("text", "error"), [("no token here", "not_a_token"), ("eyJ!.x.y", "not_a_token")])
async def test_reconfigure_wants_a_token(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, text: str, error: str
) -> None:
    entry = await both_doors(hass, aioclient_mock)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_token"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": text})
    assert result["errors"] == {"base": error}


async def test_reconfigure_takes_a_new_token_and_ends_a_back_off(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_storage: dict[str, Any]
) -> None:
    locks_answer(aioclient_mock, status=HTTPStatus.TOO_MANY_REQUESTS)
    entry = await setup_account(hass)
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"lock_list_blocked_{entry.entry_id}") is not None
    result = await entry.start_reconfigure_flow(hass)
    locks_answer(aioclient_mock, FRONT, BACK)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": NEW_TOKEN})
    await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"
    assert dict(entry.data) == {CONF_ACCESS_TOKEN: NEW_TOKEN}
    # The flow read the list with the new token: the back-off and its repair are over.
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"lock_list_blocked_{entry.entry_id}") is None
    assert hass_storage[f"{DOMAIN}.accounts"]["data"][entry.entry_id] == {"blocked_until": None}
    assert state(hass, FRONT_ENTITY) == "locked"


async def test_an_api_key_lock_takes_no_token_in_its_reauth(
    hass: HomeAssistant, entry: MockConfigEntry, aioclient_mock: AiohttpClientMocker
) -> None:
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"credentials": TOKEN})
    assert result["errors"] == {"base": "token_for_api_key_lock"}
    assert aioclient_mock.call_count == 0


# --- one lock at a time: add, reconfigure, remove ----------------------------------------------


async def test_add_lock_offers_the_accounts_locks_not_set_up_and_sets_one_up(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_client_no_auth: Any
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK, GARAGE)
    entry = await setup_account(hass, FRONT_SUBENTRY)
    result = await hass.config_entries.subentries.async_init((entry.entry_id, "lock"), context={"source": "user"})
    assert result["step_id"] == "user"
    options = result["data_schema"].schema["lock_id"].config["options"]  # type: ignore[union-attr]
    assert options == [{"value": BACK_ID, "label": "Back door"}, {"value": GARAGE["id"], "label": "Garage"}]
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], {"lock_id": BACK_ID})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    [back] = [subentry for subentry in entry.subentries.values() if subentry.unique_id == BACK_ID]
    assert_declared("data", dict(back.data), subentry="lock")
    assert result["description_placeholders"] == {"name": "Back door", "webhook_url": url(back.data[CONF_WEBHOOK_ID])}
    assert entry.state is ConfigEntryState.LOADED
    assert state(hass, BACK_ENTITY) == "unlocked"  # set up at once
    client = await hass_client_no_auth()
    body = {"lock_id": 6001, "requested_state": "NIGHT_LOCK", "event_type": "STATE_CHANGED_NIGHT_LOCK"}
    assert (await client.post(f"/api/webhook/{back.data[CONF_WEBHOOK_ID]}", json=body)).status == HTTPStatus.OK
    assert state(hass, BACK_ENTITY) == "locked"


async def test_add_lock_with_every_lock_set_up_says_so(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    entry = await both_doors(hass, aioclient_mock)
    result = await hass.config_entries.subentries.async_init((entry.entry_id, "lock"), context={"source": "user"})
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "no_new_locks")


async def test_an_api_key_entry_has_no_add_lock(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    from homeassistant.data_entry_flow import UnknownHandler  # noqa: PLC0415

    with pytest.raises(UnknownHandler):
        await hass.config_entries.subentries.async_init((loaded.entry_id, "lock"), context={"source": "user"})


async def test_a_locks_reconfigure_shows_its_url_and_makes_a_new_one(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_client_no_auth: Any
) -> None:
    entry = await both_doors(hass, aioclient_mock)
    result = await entry.start_subentry_reconfigure_flow(hass, "front")
    assert result["description_placeholders"] == {"name": "Front door", "webhook_url": url(FRONT_HOOK)}
    kept = await hass.config_entries.subentries.async_configure(result["flow_id"], {"new_webhook": False})
    assert (kept["type"], kept["reason"]) == (FlowResultType.ABORT, "webhook_kept")
    result = await entry.start_subentry_reconfigure_flow(hass, "front")
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], {"new_webhook": True})
    await hass.async_block_till_done()
    new_id = entry.subentries["front"].data[CONF_WEBHOOK_ID]
    assert new_id != FRONT_HOOK
    assert (result["reason"], result["description_placeholders"]) == ("webhook_rotated", {"webhook_url": url(new_id)})
    assert entry.subentries["back"].data[CONF_WEBHOOK_ID] == BACK_HOOK
    client = await hass_client_no_auth()
    unlock = {"lock_id": 6000, "requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH"}
    await client.post(f"/api/webhook/{FRONT_HOOK}", json=unlock)
    assert state(hass, FRONT_ENTITY) == "locked"  # the old URL reaches nothing
    await client.post(f"/api/webhook/{new_id}", json=unlock)
    assert state(hass, FRONT_ENTITY) == "unlocked"


async def test_a_new_cloudhook_is_made_before_the_old_one_is_deleted(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    locks_answer(aioclient_mock, FRONT)
    front = FRONT_SUBENTRY | {"data": {**FRONT_SUBENTRY["data"], CONF_CLOUDHOOK_URL: "https://hooks/old"}}
    entry = await setup_account(hass, front)  # type: ignore[arg-type]
    hass.config.components.add("cloud")
    calls: list[str] = []

    async def create(_hass: HomeAssistant, webhook_id: str) -> str:
        calls.append("create")
        return "https://hooks/new"

    async def delete(_hass: HomeAssistant, webhook_id: str) -> None:
        calls.append(f"delete {webhook_id}")

    with (
        patch("homeassistant.components.cloud.async_delete_cloudhook", side_effect=delete),
        patch("homeassistant.components.cloud.async_active_subscription", return_value=True),
        patch("homeassistant.components.cloud.async_create_cloudhook", side_effect=create),
    ):
        result = await entry.start_subentry_reconfigure_flow(hass, "front")
        result = await hass.config_entries.subentries.async_configure(result["flow_id"], {"new_webhook": True})
        await hass.async_block_till_done()
    assert calls == ["create", f"delete {FRONT_HOOK}"]
    assert entry.subentries["front"].data[CONF_CLOUDHOOK_URL] == "https://hooks/new"
    assert result["description_placeholders"] == {"webhook_url": "https://hooks/new"}


async def test_removing_a_lock_removes_what_it_left_and_nothing_of_the_others(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, hass_storage: dict[str, Any]
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    hass.config.external_url = None  # each lock raises the "no internet URL" repair
    entry = await setup_account(hass)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=1))  # the states are saved
    await hass.async_block_till_done()
    assert f"{DOMAIN}.{BACK_ID}" in hass_storage
    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, "no_internet_url_back") is not None
    assert hass.config_entries.async_remove_subentry(entry, "back")
    await hass.async_block_till_done()
    assert set(entry.subentries) == {"front"}
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(BACK_ENTITY) is None
    assert [e.entity_id for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
            if e.entity_id.startswith(("lock.", "sensor.back"))] == [FRONT_ENTITY]  # fmt: skip
    assert [d.name for d in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)] == ["Front door"]
    assert f"{DOMAIN}.{BACK_ID}" not in hass_storage
    assert issues.async_get_issue(DOMAIN, "no_internet_url_back") is None
    assert issues.async_get_issue(DOMAIN, "no_internet_url_front") is not None
    assert state(hass, FRONT_ENTITY) == "locked"


# --- a lock new in the account ---------------------------------------------------------------


async def test_a_lock_new_in_the_account_is_offered_once_and_added_to_it(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    locks_answer(aioclient_mock, FRONT, BACK)
    entry = await setup_account(hass, FRONT_SUBENTRY)
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert (flow["context"]["source"], flow["context"]["unique_id"]) == ("integration_discovery", BACK_ID)
    assert flow["context"]["title_placeholders"] == {"name": "Back door"}
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {})
    await hass.async_block_till_done()
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "lock_added")
    [back] = [subentry for subentry in entry.subentries.values() if subentry.unique_id == BACK_ID]
    assert result["description_placeholders"] == {"name": "Back door", "webhook_url": url(back.data[CONF_WEBHOOK_ID])}
    assert entry.state is ConfigEntryState.LOADED
    assert state(hass, BACK_ENTITY) == "unlocked"
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []  # offered no second time


async def test_an_ignored_lock_is_not_offered_again(hass: HomeAssistant, aioclient_mock: AiohttpClientMocker) -> None:
    MockConfigEntry(domain=DOMAIN, unique_id=BACK_ID, source=config_entries.SOURCE_IGNORE, data={}).add_to_hass(hass)
    locks_answer(aioclient_mock, FRONT, BACK)
    await setup_account(hass, FRONT_SUBENTRY)
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []


# --- settings -----------------------------------------------------------------------------


async def test_the_accounts_settings_list_each_lock_url_and_set_the_list_check(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    entry = await both_doors(hass, aioclient_mock)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["step_id"] == "settings"
    assert list(result["data_schema"].schema) == ["transition_timeout", "reconcile_minutes", "silence_hours"]  # type: ignore[union-attr]
    assert result["description_placeholders"] == {
        "webhook_urls": f"- **Front door**: {url(FRONT_HOOK)}\n- **Back door**: {url(BACK_HOOK)}"
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"transition_timeout": 30, "reconcile_minutes": 0, "silence_hours": 24}
    )
    await hass.async_block_till_done()
    assert entry.options == {"transition_timeout": 30, "reconcile_minutes": 0, "silence_hours": 24}
    assert_declared("options", dict(entry.options))
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.account is not None
    assert entry.runtime_data.account.update_interval is None  # 0: off
