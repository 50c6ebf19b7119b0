"""Every webhook event reaches the entities; anything unusable changes nothing."""

import asyncio
import logging
from datetime import timedelta
from typing import Any
from unittest.mock import patch

import pytest
from aiohttp.test_utils import TestClient
from aiohttp.web import Request
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.loqed_web import webhook as webhook_module
from custom_components.loqed_web.const import DOMAIN

from .conftest import LOCK_ENTITY, LOCK_ID, OLD_LOCK_ID, WEBHOOK_ID, advance

WEBHOOK_PATH = f"/api/webhook/{WEBHOOK_ID}"
ANNA = {
    "key_local_id": 3,
    "key_name_user": "Anna",
    "key_name_admin": "Anna's phone",
    "key_account_e-mail": "anna@example.com",
    "key_account_name": "Anna de Vries",
}
KNOB = dict.fromkeys(ANNA)


def reached(state: str, event_type: str, who: dict[str, Any] = ANNA) -> dict[str, Any]:
    return {"lock_id": OLD_LOCK_ID, "requested_state": state, "event_type": event_type, **who}


def going(state: str, event_type: str, who: dict[str, Any] = ANNA) -> dict[str, Any]:
    return {"lock_id": OLD_LOCK_ID, "go_to_state": state, "event_type": event_type, **who}


@pytest.fixture
async def client(hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any) -> TestClient:
    return await hass_client_no_auth()  # type: ignore[no-any-return]


async def post(client: TestClient, body: Any = None, *, raw: bytes | None = None, **kwargs: Any) -> int:
    if raw is not None:
        response = await client.post(WEBHOOK_PATH, data=raw, **kwargs)
    else:
        response = await client.post(WEBHOOK_PATH, json=body, **kwargs)
    return response.status


def state(hass: HomeAssistant, entity_id: str = LOCK_ENTITY) -> str:
    found = hass.states.get(entity_id)
    assert found is not None, entity_id
    return found.state


def all_states(hass: HomeAssistant) -> dict[str, tuple[str, dict[str, Any]]]:
    return {s.entity_id: (s.state, dict(s.attributes)) for s in hass.states.async_all() if "loqed" in s.entity_id}


@pytest.mark.parametrize(
    ("body", "lock_state"),
    [
        (reached("OPEN", "STATE_CHANGED_OPEN"), "open"),
        (reached("DAY_LOCK", "STATE_CHANGED_LATCH"), "unlocked"),
        (reached("NIGHT_LOCK", "STATE_CHANGED_NIGHT_LOCK"), "locked"),
        (reached("UNKNOWN", "STATE_CHANGED_UNKNOWN"), STATE_UNKNOWN),
        (reached("UNKNOWN", "MOTOR_STALL"), "jammed"),
        (going("OPEN", "GO_TO_STATE_INSTANTOPEN_OPEN"), "opening"),
        (going("DAY_LOCK", "GO_TO_STATE_INSTANTOPEN_LATCH"), "unlocking"),
        (going("OPEN", "GO_TO_STATE_MANUAL_UNLOCK_BLE_OPEN"), "opening"),
        (going("DAY_LOCK", "GO_TO_STATE_MANUAL_LOCK_BLE_LATCH"), "unlocking"),
        (going("OPEN", "GO_TO_STATE_TWIST_ASSIST_OPEN"), "opening"),
        (going("DAY_LOCK", "GO_TO_STATE_TWIST_ASSIST_LATCH"), "unlocking"),
        (going("OPEN", "GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_PIN"), "opening"),
        (going("OPEN", "GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_BUTTON"), "opening"),
        (going("OPEN", "GO_TO_STATE_MANUAL_UNLOCK_REMOTE_OPEN"), "opening"),
        (going("DAY_LOCK", "GO_TO_STATE_MANUAL_LOCK_REMOTE_LATCH"), "unlocking"),
    ],
)
async def test_events_from_locked(
    hass: HomeAssistant, client: TestClient, body: dict[str, Any], lock_state: str
) -> None:
    assert state(hass) == "locked"  # from the status call at setup
    assert await post(client, body) == 200
    assert state(hass) == lock_state
    assert hass.states.get(LOCK_ENTITY).attributes["changed_by"] == "Anna"  # type: ignore[union-attr]
    assert state(hass, "sensor.loqed_6148_last_operated_by") == "Anna"


@pytest.mark.parametrize(
    "event_type",
    ["GO_TO_STATE_MANUAL_LOCK_BLE_NIGHT_LOCK", "GO_TO_STATE_TWIST_ASSIST_LOCK", "GO_TO_STATE_TOUCH_TO_LOCK",
     "GO_TO_STATE_MANUAL_LOCK_REMOTE_NIGHT_LOCK"],
)  # fmt: skip
async def test_going_to_night_lock_from_unlocked(hass: HomeAssistant, client: TestClient, event_type: str) -> None:
    await post(client, reached("DAY_LOCK", "STATE_CHANGED_LATCH"))
    await post(client, going("NIGHT_LOCK", event_type))
    assert state(hass) == "locking"
    await post(client, reached("NIGHT_LOCK", "STATE_CHANGED_NIGHT_LOCK"))
    assert state(hass) == "locked"


async def test_knob_or_button_is_manual(hass: HomeAssistant, client: TestClient) -> None:
    await post(client, reached("DAY_LOCK", "STATE_CHANGED_LATCH", KNOB))
    assert hass.states.get(LOCK_ENTITY).attributes["changed_by"] == "manual"  # type: ignore[union-attr]


async def test_account_name_when_the_key_has_no_user_name(hass: HomeAssistant, client: TestClient) -> None:
    bob = {**KNOB, "key_local_id": 4, "key_account_name": "Bob"}
    await post(client, reached("DAY_LOCK", "STATE_CHANGED_LATCH", bob))
    assert state(hass, "sensor.loqed_6148_last_operated_by") == "Bob"


async def test_signal_battery_and_online(hass: HomeAssistant, client: TestClient, entity_registry: Any) -> None:
    entity_registry.async_update_entity("sensor.loqed_6148_bluetooth_signal", disabled_by=None)
    await hass.config_entries.async_reload(next(iter(hass.config_entries.async_entries(DOMAIN))).entry_id)
    await hass.async_block_till_done()
    body = {"lock_id": OLD_LOCK_ID, "wifi_strength": "64", "ble_strength": 41, "battery_percentage": 12}
    assert await post(client, body) == 200
    assert state(hass, "sensor.loqed_6148_wi_fi_signal") == "64"
    assert state(hass, "sensor.loqed_6148_bluetooth_signal") == "41"
    assert state(hass, "sensor.loqed_6148_battery") == "12"
    await post(client, {"lock_id": LOCK_ID, "online": "0"})
    assert state(hass) == STATE_UNAVAILABLE
    assert state(hass, "sensor.loqed_6148_battery") == STATE_UNAVAILABLE
    assert state(hass, "binary_sensor.loqed_6148_lock_online") == "off"
    await post(client, {"lock_id": LOCK_ID, "online": 1})
    assert state(hass) == "locked"
    assert state(hass, "binary_sensor.loqed_6148_lock_online") == "on"


async def test_minus_one_signal_means_offline_and_a_movement_means_online(
    hass: HomeAssistant, client: TestClient
) -> None:
    await post(client, {"lock_id": OLD_LOCK_ID, "wifi_strength": -1, "ble_strength": -1, "battery_percentage": -1})
    assert state(hass) == STATE_UNAVAILABLE
    assert state(hass, "binary_sensor.loqed_6148_lock_online") == "off"
    await post(client, reached("DAY_LOCK", "STATE_CHANGED_LATCH"))
    assert state(hass) == "unlocked"
    assert state(hass, "sensor.loqed_6148_battery") == STATE_UNKNOWN  # -1 is "unknown", not "-1 %"


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"raw": b"\xff\xfe garbage"}, 400),
        ({"raw": b"[1, 2, 3]"}, 400),
        ({"raw": b'{"battery_percentage": "lots"}'}, 400),
        ({"raw": b'{"event_type": "DOORBELL"}'}, 200),
        ({"body": reached("OPEN", "STATE_CHANGED_OPEN") | {"lock_id": "9999"}}, 200),
        ({"raw": b" " * (64 * 1024 + 1)}, 413),
        ({"raw": b"{" + b" " * (64 * 1024) + b"}", "headers": {"Content-Length": "70000"}}, 413),
    ],
)
async def test_unusable_bodies_change_nothing(
    hass: HomeAssistant, client: TestClient, caplog: pytest.LogCaptureFixture, kwargs: dict[str, Any], status: int
) -> None:
    before = all_states(hass)
    caplog.set_level(logging.DEBUG, logger="custom_components.loqed_web")
    assert await post(client, **kwargs) == status
    await hass.async_block_till_done()
    assert all_states(hass) == before
    ours = [r for r in caplog.records if r.name.startswith("custom_components.loqed_web")]
    assert [r.levelno for r in ours] == [logging.DEBUG]
    assert "ignored a webhook call" in ours[0].getMessage()
    assert WEBHOOK_ID not in ours[0].getMessage()  # HA core's own debug lines name it; ours never


async def test_a_chunked_body_over_the_cap_is_refused_while_reading(hass: HomeAssistant, client: TestClient) -> None:
    async def chunks():  # no Content-Length: the cap must hold while reading
        for _ in range(20):
            yield b" " * 4096

    before = all_states(hass)
    response = await client.post(WEBHOOK_PATH, data=chunks())
    assert response.status == 413
    assert all_states(hass) == before


async def test_a_chunked_body_under_the_cap_is_read_whole(hass: HomeAssistant, client: TestClient) -> None:
    body = b'{"lock_id": 6148, "battery_percentage": 42}'

    async def chunks():  # no Content-Length: read piece by piece
        yield body[:10]
        yield body[10:]

    response = await client.post(WEBHOOK_PATH, data=chunks())
    assert response.status == 200
    assert state(hass, "sensor.loqed_6148_battery") == "42"


async def test_a_declared_body_still_on_its_way_is_awaited(hass: HomeAssistant, client: TestClient) -> None:
    """Most bodies come with the headers; one whose second part is still on its way is waited for."""
    body = b'{"lock_id": 6148, "battery_percentage": 42}'
    reading = asyncio.Event()
    read = webhook_module._async_read_body

    async def read_body(request: Request) -> bytes | None:
        reading.set()
        return await read(request)

    async def parts():  # the second part only once the handler reads
        yield body[:10]
        await reading.wait()
        yield body[10:]

    with patch.object(webhook_module, "_async_read_body", read_body):
        response = await client.post(WEBHOOK_PATH, data=parts(), headers={"Content-Length": str(len(body))})
    assert response.status == 200
    assert state(hass, "sensor.loqed_6148_battery") == "42"


async def test_only_post_is_accepted(hass: HomeAssistant, client: TestClient) -> None:
    response = await client.get(WEBHOOK_PATH)
    assert response.status == 405


async def test_per_event_urls_with_the_event_in_the_query(hass: HomeAssistant, client: TestClient) -> None:
    assert await post(client, raw=b"", params={"event": "STATE_CHANGED_LATCH"}) == 200
    assert state(hass) == "unlocked"
    body = b"key_local_id=4&key_name_user=Bob"
    assert await post(client, raw=body, params={"event": "STATE_CHANGED_NIGHT_LOCK"}) == 200
    assert state(hass) == "locked"
    assert state(hass, "sensor.loqed_6148_last_operated_by") == "Bob"


async def test_copies_are_dropped_even_with_other_events_in_between(
    hass: HomeAssistant, client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.loqed_web")
    unlock = reached("DAY_LOCK", "STATE_CHANGED_LATCH")
    lock = reached("NIGHT_LOCK", "STATE_CHANGED_NIGHT_LOCK")
    for body in (unlock, unlock, lock, unlock):
        await post(client, body)
    assert caplog.text.count("ignored a copy of an earlier delivery") == 2
    assert state(hass) == "locked"  # the late copy of "unlocked" moved nothing


async def test_a_late_going_to_after_its_reached_does_not_leave_a_transition(
    hass: HomeAssistant, client: TestClient
) -> None:
    await post(client, reached("DAY_LOCK", "STATE_CHANGED_LATCH"))
    await post(client, going("DAY_LOCK", "GO_TO_STATE_MANUAL_LOCK_REMOTE_LATCH"))
    assert state(hass) == "unlocked"


async def test_a_transition_without_its_reached_event_times_out(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory
) -> None:
    await post(client, going("DAY_LOCK", "GO_TO_STATE_MANUAL_LOCK_REMOTE_LATCH"))
    assert state(hass) == "unlocking"
    await advance(hass, freezer, timedelta(seconds=29))
    assert state(hass) == "unlocking"
    await advance(hass, freezer, timedelta(seconds=2))
    assert state(hass) == STATE_UNKNOWN  # it may have moved: Home Assistant no longer knows


async def test_open_falls_back_to_unlocked(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory
) -> None:
    await post(client, reached("OPEN", "STATE_CHANGED_OPEN"))
    assert state(hass) == "open"
    await advance(hass, freezer, timedelta(seconds=11))
    assert state(hass) == "unlocked"


async def test_a_motor_stall_clears_with_the_next_reached_state(hass: HomeAssistant, client: TestClient) -> None:
    await post(client, reached("UNKNOWN", "MOTOR_STALL", KNOB))
    assert state(hass) == "jammed"
    await post(client, reached("NIGHT_LOCK", "STATE_CHANGED_NIGHT_LOCK"))
    assert state(hass) == "locked"


async def test_an_event_proves_the_url_reachable_and_clears_the_repair(
    hass: HomeAssistant, entry: MockConfigEntry, status_mock: Any, hass_client_no_auth: Any
) -> None:
    from .conftest import setup_entry  # noqa: PLC0415  # this test sets up without an external URL

    await setup_entry(hass, entry)
    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, f"no_internet_url_{entry.entry_id}") is not None
    client = await hass_client_no_auth()
    await post(client, {"online": 1})
    assert issues.async_get_issue(DOMAIN, f"no_internet_url_{entry.entry_id}") is None


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT"])
async def test_other_methods_get_405_and_the_webhook_id_is_not_logged(
    hass: HomeAssistant, client: TestClient, caplog: pytest.LogCaptureFixture, method: str
) -> None:
    caplog.set_level(logging.DEBUG)
    response = await client.request(method, WEBHOOK_PATH)
    assert response.status == 405
    assert response.headers["Allow"] == "POST"
    # Home Assistant's own debug lines name every webhook call; nothing above debug may, nor ours.
    leaking = [r for r in caplog.records if WEBHOOK_ID in r.getMessage() and r.levelno > logging.DEBUG]
    assert [r for r in leaking if r.name != "aiohttp.access"] == []
    assert not any(WEBHOOK_ID in r.getMessage() for r in caplog.records if r.name.startswith("custom_components"))
    assert state(hass) == "locked"


@pytest.mark.parametrize("lock_id", [1180591620717411303424, -6148, 6148.0, 6148.5, "garbage", "6148x", True, [6148]])
async def test_a_lock_id_that_is_not_ours_or_cannot_be_read_changes_nothing(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any, lock_id: object
) -> None:
    """A body that names a lock must name ours: an unreadable id is someone else's, never "no id"."""
    client = await hass_client_no_auth()
    body = {"lock_id": lock_id, "requested_state": "OPEN", "event_type": "STATE_CHANGED_OPEN", "key_local_id": 3}
    response = await client.post(f"/api/webhook/{WEBHOOK_ID}", json=body)
    assert response.status == 200  # harmless to the sender
    assert hass.states.get(LOCK_ENTITY).state == "locked"  # type: ignore[union-attr]
