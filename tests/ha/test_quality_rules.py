"""Quality-scale rules checked on a running entry: what Home Assistant sees, not the source text."""

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.translation import async_get_translations
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.loqed_web.const import DOMAIN
from custom_components.loqed_web.coordinator import LockCoordinator


async def test_runtime_data_holds_the_coordinator_and_nothing_is_in_hass_data(
    hass: HomeAssistant, loaded: MockConfigEntry
) -> None:
    assert isinstance(loaded.runtime_data.locks[None], LockCoordinator)
    assert loaded.runtime_data.account is None  # an API key's lock
    assert DOMAIN not in hass.data


async def test_every_entity_is_named_by_its_device_and_a_translation(
    hass: HomeAssistant, loaded: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    words = await async_get_translations(hass, "en", "entity", [DOMAIN])
    entries = er.async_entries_for_config_entry(entity_registry, loaded.entry_id)
    assert len(entries) == 10
    for entry in entries:
        assert entry.has_entity_name, entry.entity_id
        if entry.entity_id == "lock.loqed_6148":
            assert entry.original_name is None  # the device's main feature takes the device's name
        elif entry.translation_key is None:
            assert entry.original_device_class is not None, entry.entity_id  # named by device class
        else:
            key = f"component.{DOMAIN}.entity.{entry.domain}.{entry.translation_key}.name"
            assert words[key] == entry.original_name, entry.entity_id
