"""Commands: the exact request, the transition, and errors that put the state back."""

import base64
import hashlib
import hmac
from datetime import timedelta
from email.utils import formatdate
from typing import Any
from urllib.parse import unquote

import pytest
from aiohttp import ConnectionTimeoutError
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.const import CONF_SIGNING, DOMAIN

from .conftest import COMMAND_URL, GATEWAY_URL, KEY_BYTES, LOCK_ENTITY, LOCK_ID, WEBHOOK_ID, advance, setup_entry

NOW = "2026-11-27 08:00:00+00:00"
NOW_UNIX = 1_795_766_400


async def call(hass: HomeAssistant, service: str) -> None:
    await hass.services.async_call(LOCK_DOMAIN, service, {ATTR_ENTITY_ID: LOCK_ENTITY}, blocking=True)


def state(hass: HomeAssistant) -> str:
    return hass.states.get(LOCK_ENTITY).state  # type: ignore[union-attr]


@pytest.mark.freeze_time(NOW)
@pytest.mark.parametrize(
    ("service", "action", "shown"), [("lock", 3, "locked"), ("unlock", 2, "unlocking"), ("open", 1, "opening")]
)
async def test_self_signed_command_is_byte_exact(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    service: str,
    action: int,
    shown: str,
) -> None:
    aioclient_mock.get(COMMAND_URL, text="{}", headers={"Date": formatdate(NOW_UNIX, usegmt=True)})
    await call(hass, service)
    # Locking a locked lock shows no transition: it will not move and no "reached" event comes.
    assert state(hass) == shown
    method, url, _, _ = aioclient_mock.mock_calls[-1]
    assert method == "GET"
    assert f"{url.scheme}://{url.raw_host}{url.raw_path}" == COMMAND_URL
    token, lock_id, signed = url.raw_query_string.split("&")
    assert token == "api_token=tok%2Ben%2F%3D"
    assert lock_id == f"lock_id={LOCK_ID}"
    name, _, encoded = signed.partition("=")
    assert name == "command_signed_base64"
    command = base64.b64decode(unquote(encoded), validate=True)
    header = bytes([0x02, 0x07]) + NOW_UNIX.to_bytes(8, "big")
    trailer = bytes([200, 0x01, action])
    assert command == header + hmac.new(KEY_BYTES, header + trailer, hashlib.sha256).digest() + trailer


@pytest.mark.parametrize(("service", "lock_state"), [("lock", "NIGHT_LOCK"), ("unlock", "DAY_LOCK"), ("open", "OPEN")])
async def test_server_signed_command(
    hass: HomeAssistant,
    entry_data: dict[str, Any],
    status_mock: AiohttpClientMocker,
    external_url: None,
    service: str,
    lock_state: str,
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN, title="LOQED 6148", unique_id=LOCK_ID, data=entry_data | {CONF_SIGNING: "server"}
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    status_mock.get(GATEWAY_URL, text="{}")
    await call(hass, service)
    _, url, _, _ = status_mock.mock_calls[-1]
    assert url.raw_path == "/v1/locks/6148/state"
    assert url.raw_query_string == (
        f"lock_api_key=api%2Fkey%2B&api_token=tok%2Ben%2F%3D&lock_state={lock_state}&local_key_id=200"
    )


async def test_transition_lasts_until_the_timeout_without_a_webhook(
    hass: HomeAssistant, loaded: MockConfigEntry, aioclient_mock: AiohttpClientMocker, freezer: FrozenDateTimeFactory
) -> None:
    aioclient_mock.get(COMMAND_URL, text="{}")
    await call(hass, "unlock")
    assert state(hass) == "unlocking"
    await advance(hass, freezer, timedelta(seconds=29))
    assert state(hass) == "unlocking"
    await advance(hass, freezer, timedelta(seconds=2))
    assert state(hass) == "unknown"  # never stuck in "unlocking"; and not "locked", which may be false


@pytest.mark.parametrize(
    ("answer", "key", "calls"),
    [
        ({"status": 401}, "invalid_auth", 1),
        ({"status": 302, "headers": {"Location": "https://app.loqed.com/login"}}, "invalid_auth", 1),
        ({"status": 404}, "key_not_found", 1),
        ({"status": 429}, "rate_limited", 1),
        ({"status": 500}, "server_error", 1),
        ({"status": 400}, "unknown", 1),
        ({"exc": TimeoutError()}, "no_answer", 1),
        ({"exc": ConnectionTimeoutError()}, "cannot_connect", 2),
    ],
)
async def test_a_failed_command_raises_a_translated_error_and_puts_the_state_back(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    no_sleep: None,
    answer: dict[str, Any],
    key: str,
    calls: int,
) -> None:
    before = aioclient_mock.call_count
    aioclient_mock.get(COMMAND_URL, **answer)
    with pytest.raises(HomeAssistantError) as raised:
        await call(hass, "open")
    assert raised.value.translation_domain == DOMAIN
    assert raised.value.translation_key == key
    assert str(raised.value)  # the translated message, not the key
    assert state(hass) == "locked"
    # Sent once; only a connection that never opened is tried a second time.
    assert aioclient_mock.call_count - before == calls


@pytest.mark.parametrize("status", [403, 404])
async def test_refused_credentials_or_a_deleted_key_start_reauth(
    hass: HomeAssistant, loaded: MockConfigEntry, aioclient_mock: AiohttpClientMocker, status: int
) -> None:
    aioclient_mock.get(COMMAND_URL, status=status)
    with pytest.raises(HomeAssistantError):
        await call(hass, "lock")
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_a_wrong_host_clock_is_named(
    hass: HomeAssistant, loaded: MockConfigEntry, aioclient_mock: AiohttpClientMocker
) -> None:
    aioclient_mock.get(COMMAND_URL, text="{}", headers={"Date": "Mon, 01 Jan 2024 00:00:00 GMT"})
    with pytest.raises(HomeAssistantError) as raised:
        await call(hass, "unlock")
    assert raised.value.translation_key == "clock_skew"
    assert raised.value.translation_placeholders["skew"].startswith("+")
    assert "clock" in str(raised.value)
    assert state(hass) == "locked"


async def test_lost_confirmations_make_the_state_unknown_and_then_raise_a_repair(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    hass_client_no_auth: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """LOQED takes the commands, but its webhook calls no longer arrive."""
    aioclient_mock.get(COMMAND_URL, text="{}")
    issue_id = f"events_missing_{loaded.entry_id}"
    for attempt, service in enumerate(("unlock", "lock", "unlock"), start=1):
        await call(hass, service)
        await advance(hass, freezer, timedelta(seconds=31))
        assert state(hass) == "unknown"  # the lock may well have moved
        assert f"({attempt} in a row)" in caplog.text
        raised = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
        assert (raised is not None) is (attempt == 3), attempt
    client = await hass_client_no_auth()
    await client.post(
        f"/api/webhook/{WEBHOOK_ID}", json={"requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH"}
    )
    await hass.async_block_till_done()
    assert state(hass) == "unlocked"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
