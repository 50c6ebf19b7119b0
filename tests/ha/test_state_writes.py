"""A webhook event makes only the entities whose own value changed write their state."""

from typing import Any

import pytest
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.entity_platform import async_get_platforms
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.loqed_web.const import DOMAIN

from .conftest import OLD_LOCK_ID, WEBHOOK_ID

ANNA = {"key_local_id": "3", "key_name_user": "Anna"}


def loqed_entities(hass: HomeAssistant) -> list[Any]:
    """Return the entities of every LOQED platform."""
    return [entity for platform in async_get_platforms(hass, DOMAIN) for entity in platform.entities.values()]


def asked_entities(entities: list[Any]) -> list[str]:
    """Return a list that gets the id of each of `entities` the coordinator asks what it shows."""
    asked: list[str] = []
    for entity in entities:
        shown = entity._shown
        entity._shown = lambda entity=entity, shown=shown: asked.append(entity.entity_id) or shown()
    return asked


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


async def test_every_entity_is_asked_and_a_failing_one_keeps_no_other_from_its_update(
    hass: HomeAssistant, loaded: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    """Home Assistant's coordinator calls each entity; an entity that fails is logged, the others write."""
    coordinator = loaded.runtime_data.locks[None]
    entities = loqed_entities(hass)
    [first] = [entity for entity in entities if entity.entity_id == "lock.loqed_6148"]  # the broken one
    others = [entity for entity in entities if entity is not first]
    asked = asked_entities(others)

    def fail() -> tuple[object, ...]:
        raise RuntimeError("broken entity")

    first._shown = fail  # a broken entity
    coordinator.async_set_updated_data(coordinator.data.evolve({"battery_percentage": 12}))

    assert sorted(asked) == sorted(entity.entity_id for entity in others)
    assert len(asked) == 8  # the nine others that are enabled (Bluetooth signal is not)
    assert caplog.messages.count(f"{first.entity_id}: could not show the new data") == 1
    assert "RuntimeError: broken entity" in caplog.text
    assert hass.states.get("sensor.loqed_6148_battery").state == "12"
