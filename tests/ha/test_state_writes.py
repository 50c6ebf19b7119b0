"""A webhook event makes only the entities whose own value changed write their state."""

from typing import Any

import pytest
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.entity_platform import async_get_platforms
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.loqed_web.const import DOMAIN
from custom_components.loqed_web.entity import LoqedEntity

from .conftest import OLD_LOCK_ID, WEBHOOK_ID
from .test_data import OTHER_VALUES

ANNA = {"key_local_id": "3", "key_name_user": "Anna"}


def loqed_entities(hass: HomeAssistant) -> list[Any]:
    """Return the entities of every LOQED platform."""
    return [entity for platform in async_get_platforms(hass, DOMAIN) for entity in platform.entities.values()]


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


async def test_no_entity_shows_a_field_it_does_not_declare(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    """An entity is not even compared after a change to other fields: none of them may show."""
    coordinator = loaded.runtime_data
    entities = loqed_entities(hass)
    filtered = [entity for entity in entities if isinstance(entity, LoqedEntity) and entity._data_fields is not None]
    assert sorted(entity.entity_id for entity in filtered) == [
        "binary_sensor.loqed_6148_bridge_online",
        "binary_sensor.loqed_6148_lock_online",
        "button.loqed_6148_read_status_now",
        "lock.loqed_6148",
        "sensor.loqed_6148_battery",
        "sensor.loqed_6148_battery_type",
        "sensor.loqed_6148_last_operated_by",
        "sensor.loqed_6148_wi_fi_signal",
    ]  # the event entity compares always: what it shows is the last operation, not a field
    loaded_data = coordinator.data
    for entity in filtered:
        shown, declared = entity._shown(), entity._data_fields or frozenset()
        for name, value in OTHER_VALUES.items():
            if name not in declared:
                coordinator.data = loaded_data.evolve({name: value})
                assert entity._shown() == shown, f"{entity.entity_id} shows {name}"
        coordinator.data = loaded_data


async def test_only_entities_showing_a_changed_field_are_asked(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any
) -> None:
    """The coordinator calls the entities whose fields changed; outside a publish, every one."""
    coordinator = loaded.runtime_data
    entities = loqed_entities(hass)
    asked: list[str] = []
    for entity in entities:
        shown = entity._shown
        entity._shown = lambda entity=entity, shown=shown: asked.append(entity.entity_id) or shown()  # type: ignore[method-assign]  # a spy

    client = await hass_client_no_auth()
    response = await client.post(f"/api/webhook/{WEBHOOK_ID}", json={"lock_id": OLD_LOCK_ID, "battery_percentage": 55})
    assert response.status == 200
    assert sorted(asked) == ["event.loqed_6148_activity", "sensor.loqed_6148_battery"]

    asked.clear()
    coordinator.async_update_listeners()  # as Home Assistant's own refresh does: what changed is not known
    assert sorted(asked) == sorted(entity.entity_id for entity in entities)
    assert len(asked) == 9
