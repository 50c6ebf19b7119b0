"""The event entity, the bus event and the logbook: who operated the lock."""

from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from homeassistant.core import Event, HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.loqed_web.const import DOMAIN, EVENT_OPERATED
from custom_components.loqed_web.logbook import async_describe_events

from .conftest import OLD_LOCK_ID, WEBHOOK_ID

EVENT_ENTITY = "event.loqed_6148_activity"
ANNA = {"key_local_id": 3, "key_name_user": "Anna", "key_name_admin": "Anna's phone", "key_account_name": "Anna dV"}
KNOB = dict.fromkeys(ANNA)


@pytest.fixture
async def client(hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any) -> TestClient:
    return await hass_client_no_auth()  # type: ignore[no-any-return]


async def post(client: TestClient, body: dict[str, Any]) -> None:
    response = await client.post(f"/api/webhook/{WEBHOOK_ID}", json={"lock_id": OLD_LOCK_ID, **body})
    assert response.status == 200


@pytest.mark.parametrize(
    ("body", "event_type", "extra"),
    [
        ({"requested_state": "OPEN", "event_type": "STATE_CHANGED_OPEN", **ANNA}, "open", {"state": "open"}),
        ({"requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH", **ANNA}, "unlock", {"state": "day_lock"}),
        (
            {"go_to_state": "NIGHT_LOCK", "event_type": "GO_TO_STATE_MANUAL_LOCK_REMOTE_NIGHT_LOCK", **ANNA},
            "going_to_lock",
            {"state": "night_lock", "remote": True},
        ),
        ({"requested_state": "UNKNOWN", "event_type": "MOTOR_STALL", **ANNA}, "motor_stall", {"state": None}),
    ],
)
async def test_the_event_entity_fires_with_who_did_it(
    hass: HomeAssistant, client: TestClient, body: dict[str, Any], event_type: str, extra: dict[str, Any]
) -> None:
    assert hass.states.get(EVENT_ENTITY).state == "unknown"  # type: ignore[union-attr]  # nothing fired yet
    await post(client, body)
    state = hass.states.get(EVENT_ENTITY)
    assert state is not None
    expected = {"key_id": 3, "user_name": "Anna", "account_name": "Anna dV", "admin_name": "Anna's phone"}
    expected |= {"remote": False} | extra
    assert {key: state.attributes[key] for key in expected} == expected
    assert state.attributes["event_type"] == event_type


async def test_the_knob_is_an_unlock_by_hand(hass: HomeAssistant, client: TestClient) -> None:
    await post(client, {"requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH", **KNOB})
    state = hass.states.get(EVENT_ENTITY)
    assert state is not None
    assert {key: state.attributes[key] for key in ("event_type", "method", "state", "user_name")} == {
        "event_type": "unlock",
        "method": "knob",
        "state": "day_lock",
        "user_name": None,
    }


async def test_reports_and_repeats_fire_nothing(hass: HomeAssistant, client: TestClient) -> None:
    fired = async_capture_events(hass, EVENT_OPERATED)
    unlock = {"requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH", **ANNA}
    await post(client, unlock)
    await post(client, unlock)
    await post(client, {"battery_percentage": 50})
    await hass.async_block_till_done()
    assert [event.data["type"] for event in fired] == ["unlock"]


async def test_the_bus_event_and_its_logbook_line(hass: HomeAssistant, client: TestClient) -> None:
    fired = async_capture_events(hass, EVENT_OPERATED)
    await post(client, {"requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH", **ANNA})
    await post(client, {"requested_state": "NIGHT_LOCK", "event_type": "STATE_CHANGED_NIGHT_LOCK", **KNOB})
    await hass.async_block_till_done()
    described: dict[str, Any] = {}
    async_describe_events(hass, lambda domain, name, describe: described.update({(domain, name): describe}))
    describe = described[(DOMAIN, EVENT_OPERATED)]
    lines = [describe(event) for event in fired]
    # The line is the lock's (the logbook shows the entity's name); its name is the cause that
    # the frontend shows on the state changes sharing its context ("via Anna").
    assert lines == [
        {"name": "Anna", "message": "Unlocked · Anna", "entity_id": "lock.loqed_6148", "icon": "mdi:lock-open-variant"},
        {"name": "By hand (knob)", "message": "Locked · By hand (knob)", "entity_id": "lock.loqed_6148",
         "icon": "mdi:lock"},
    ]  # fmt: skip
    assert all(isinstance(event, Event) and event.data["device_id"] for event in fired)
