"""What the logbook shows for a movement: one line that tells who and how, with the movement's icon.

Read through Home Assistant's own logbook (recorder and websocket API), as the device page does.
"""

from datetime import timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import async_wait_recording_done

from .conftest import LOCK_ENTITY, WEBHOOK_ID, advance
from .test_real_traffic import ANNA, LATCHED_BY_ITSELF, OPENED, TOUCH_TO_OPEN, event

ACTIVITY = "event.loqed_6148_activity"


@pytest.fixture
def recorder_db_url() -> str:
    return "sqlite://"


async def rows(hass: HomeAssistant, hass_ws_client: Any, start: str, **query: Any) -> list[tuple[str, str, str]]:
    """Return the logbook's rows since `start`: (entity, what it says, what caused it)."""
    await async_wait_recording_done(hass)
    ws = await hass_ws_client()
    await ws.send_json({"id": 1, "type": "logbook/get_events", "start_time": start, **query})
    answer = await ws.receive_json()
    assert answer["success"], answer
    return [
        (
            row.get("entity_id", ""),
            row.get("message") or (row["attributes"]["event_type"] if "attributes" in row else row["state"]),
            row.get("context_name", "") if row.get("context_domain") else row.get("context_entity_id", ""),
        )
        for row in answer["result"]
    ]


@pytest.fixture
async def setup(recorder_mock: Any, hass: HomeAssistant, loaded: MockConfigEntry) -> str:
    """Return when the movement starts, with the logbook recording."""
    assert await async_setup_component(hass, "logbook", {})
    await async_wait_recording_done(hass)
    return dt_util.utcnow().isoformat()


async def test_touch_to_open_with_copies_and_the_latch_is_one_line_with_who_and_how(
    hass: HomeAssistant,
    setup: str,
    loaded: MockConfigEntry,
    hass_client_no_auth: Any,
    hass_ws_client: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    client = await hass_client_no_auth()
    for after, body in ((0, TOUCH_TO_OPEN), (0.5, OPENED), (3, LATCHED_BY_ITSELF), (1, TOUCH_TO_OPEN), (0.5, OPENED)):
        await advance(hass, freezer, timedelta(seconds=after))
        assert (await client.post(f"/api/webhook/{WEBHOOK_ID}", data=body)).status == 200
    await advance(hass, freezer, timedelta(seconds=1))  # the logbook reads up to now, not including it
    line, cause = "Opened · Anna · Touch to Open", "Anna · Touch to Open"
    # The lock's own page: its states, and the one line that tells the movement. The frontend shows
    # a row's cause by its name: "Open · via Anna · Touch to Open".
    assert await rows(hass, hass_ws_client, setup, entity_ids=[LOCK_ENTITY]) == [
        (LOCK_ENTITY, "opening", ""),  # on its own: no "by state change: Activity"
        (LOCK_ENTITY, line, ""),
        (LOCK_ENTITY, "open", cause),
        (LOCK_ENTITY, "unlocked", cause),  # the latch: no line of its own, and no new operator
    ]
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), loaded.entry_id)
    device_rows = await rows(
        hass,
        hass_ws_client,
        setup,
        device_ids=[device.id],
        entity_ids=[
            entity.entity_id for entity in er.async_entries_for_config_entry(er.async_get(hass), loaded.entry_id)
        ],
    )
    # Activity's rows (which event each was: the event type, shown by releases after 2026.3).
    assert [(row[0], row[2]) for row in device_rows if row[0] == ACTIVITY] == [
        (ACTIVITY, ""),  # going to open
        (ACTIVITY, cause),  # open
        (ACTIVITY, cause),  # the latch
    ]
    assert [row for row in device_rows if row[0] == "sensor.loqed_6148_last_operated_by"] == [
        ("sensor.loqed_6148_last_operated_by", "Anna", ""),  # once: the latch does not change it
    ]


async def test_the_line_has_the_icon_of_the_movement(
    hass: HomeAssistant, setup: str, hass_client_no_auth: Any, hass_ws_client: Any, freezer: FrozenDateTimeFactory
) -> None:
    client = await hass_client_no_auth()
    for state, event_type in (("OPEN", "STATE_CHANGED_OPEN"), ("NIGHT_LOCK", "STATE_CHANGED_NIGHT_LOCK"),
                              ("DAY_LOCK", "STATE_CHANGED_LATCH")):  # fmt: skip
        await advance(hass, freezer, timedelta(seconds=20))
        await client.post(f"/api/webhook/{WEBHOOK_ID}", data=event(event_type, ANNA, requested_state=state))
    await advance(hass, freezer, timedelta(seconds=1))  # the logbook reads up to now, not including it
    await async_wait_recording_done(hass)
    ws = await hass_ws_client()
    await ws.send_json({"id": 1, "type": "logbook/get_events", "start_time": setup, "entity_ids": [LOCK_ENTITY]})
    icons = [row["icon"] for row in (await ws.receive_json())["result"] if row.get("domain") == "loqed_web"]
    assert icons == ["mdi:door-open", "mdi:lock", "mdi:lock-open-variant"]
