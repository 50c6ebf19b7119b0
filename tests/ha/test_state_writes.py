"""A webhook event makes only the entities whose own value changed write their state."""

from typing import Any

import pytest
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import OLD_LOCK_ID, WEBHOOK_ID

ANNA = {"key_local_id": "3", "key_name_user": "Anna"}


@pytest.mark.parametrize(
    ("body", "written"),
    [
        ({"battery_percentage": 55}, ["sensor.loqed_6148_battery"]),
        ({"battery_percentage": 78}, []),  # the value it already shows (from the status call)
        ({"wifi_strength": 40}, ["sensor.loqed_6148_wi_fi_signal"]),
        (
            {"requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH", **ANNA},
            ["event.loqed_6148_activity", "lock.loqed_6148", "sensor.loqed_6148_last_operated_by"],
        ),
        ({"event_type": "DOORBELL"}, []),  # ignored
    ],
)
async def test_only_what_changed_is_written(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any, body: dict[str, Any], written: list[str]
) -> None:
    writes: list[str] = []

    @callback
    def ours(event_data: Any) -> bool:
        return "loqed" in event_data["entity_id"]

    @callback
    def count(event: Event[Any]) -> None:
        writes.append(event.data["entity_id"])

    hass.bus.async_listen(EVENT_STATE_CHANGED, count, event_filter=ours)
    hass.bus.async_listen(EVENT_STATE_REPORTED, count, event_filter=ours)  # the same state written again
    client = await hass_client_no_auth()
    response = await client.post(f"/api/webhook/{WEBHOOK_ID}", json={"lock_id": OLD_LOCK_ID, **body})
    assert response.status == 200
    await hass.async_block_till_done()
    assert sorted(writes) == written
