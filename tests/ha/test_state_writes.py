"""A webhook event makes only the entities whose own value changed write their state."""

import itertools
from typing import Any

import pytest
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.entity_platform import async_get_platforms
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.loqed_web.const import DOMAIN
from custom_components.loqed_web.coordinator import MAX_REMEMBERED_CHANGES
from custom_components.loqed_web.entity import LoqedEntity

from .conftest import OLD_LOCK_ID, WEBHOOK_ID
from .test_data import OTHER_VALUES

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
    asked = asked_entities(entities)

    client = await hass_client_no_auth()
    response = await client.post(f"/api/webhook/{WEBHOOK_ID}", json={"lock_id": OLD_LOCK_ID, "battery_percentage": 55})
    assert response.status == 200
    assert sorted(asked) == ["event.loqed_6148_activity", "sensor.loqed_6148_battery"]

    asked.clear()
    coordinator.async_update_listeners()  # as Home Assistant's own refresh does: what changed is not known
    assert sorted(asked) == sorted(entity.entity_id for entity in entities)
    assert len(asked) == 9


async def test_a_listener_added_or_removed_later_is_asked_accordingly(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    """Who a change concerns is remembered, and worked out anew when someone starts or stops listening."""
    coordinator = loaded.runtime_data
    asked: list[int] = []
    coordinator._async_publish(coordinator.data.evolve({"battery_percentage": 50}))  # remembered now

    stop = coordinator.async_add_listener(lambda: asked.append(1), frozenset({"battery_percentage"}))
    coordinator._async_publish(coordinator.data.evolve({"battery_percentage": 51}))
    coordinator._async_publish(coordinator.data.evolve({"wifi_strength": 12}))
    assert asked == [1]

    stop()
    coordinator._async_publish(coordinator.data.evolve({"battery_percentage": 52}))
    assert asked == [1]
    assert hass.states.get("sensor.loqed_6148_battery").state == "52"


async def test_a_failing_entity_keeps_no_other_from_its_update(
    hass: HomeAssistant, loaded: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    """As with Home Assistant's own coordinator: the failure is logged, the others still write."""
    coordinator = loaded.runtime_data
    first, *others = [update_callback.__self__ for update_callback, _ in coordinator._listeners.values()]
    asked = asked_entities(others)

    def fail() -> tuple[object, ...]:
        raise RuntimeError("broken entity")

    first._shown = fail  # type: ignore[method-assign]  # a broken entity
    coordinator.async_update_listeners()

    assert sorted(asked) == sorted(entity.entity_id for entity in others)
    assert len(asked) == 8
    assert caplog.messages.count("LOQED 6148: an entity failed to show the new data") == 1
    assert "RuntimeError: broken entity" in caplog.text


async def test_the_remembered_combinations_of_changes_stay_few(hass: HomeAssistant, loaded: MockConfigEntry) -> None:
    """Whom each combination of changed fields concerns is remembered, up to a bound."""
    coordinator = loaded.runtime_data
    loaded_data = coordinator.data
    sizes = set()
    for pair in itertools.combinations(sorted(OTHER_VALUES), 2):  # 91 combinations, and back
        coordinator._async_publish(loaded_data.evolve({name: OTHER_VALUES[name] for name in pair}))
        coordinator._async_publish(loaded_data)
        sizes.add(len(coordinator._listeners_by_change))
    assert max(sizes) == MAX_REMEMBERED_CHANGES

    coordinator._async_publish(loaded_data.evolve({"battery_percentage": 12}))
    assert hass.states.get("sensor.loqed_6148_battery").state == "12"
