"""Connectivity of the lock and of its bridge."""

from dataclasses import dataclass
from typing import override

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import LoqedConfigEntry, LoqedCoordinator
from .entity import LoqedEntity

# Read-only: the coordinator pushes, nothing is fetched per entity.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class LoqedBinarySensorDescription(BinarySensorEntityDescription):
    """A connectivity sensor and where its value comes from."""

    data_field: str  # the LockData field it shows


BINARY_SENSORS: tuple[LoqedBinarySensorDescription, ...] = (
    LoqedBinarySensorDescription(
        key="lock_online",
        translation_key="lock_online",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        data_field="lock_online",
    ),
    LoqedBinarySensorDescription(
        key="bridge_online",
        translation_key="bridge_online",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        data_field="bridge_online",
    ),
)


async def async_setup_entry(
    hass: HomeAssistant, entry: LoqedConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add the connectivity sensors."""
    async_add_entities(LoqedBinarySensor(entry.runtime_data, description) for description in BINARY_SENSORS)


class LoqedBinarySensor(LoqedEntity, BinarySensorEntity):
    """Whether the lock or the bridge is connected."""

    entity_description: LoqedBinarySensorDescription

    def __init__(self, coordinator: LoqedCoordinator, description: LoqedBinarySensorDescription) -> None:
        """Attach the sensor to the lock's device; it shows one field (its availability is its own)."""
        super().__init__(coordinator, description)
        self._data_fields = frozenset({description.data_field})

    @property
    @override
    def available(self) -> bool:
        """Stay available while offline (saying "offline" is this sensor's job); unknown until told."""
        return self.coordinator.last_update_success

    @override
    def _shown(self) -> tuple[object, ...]:
        """Return what a write would show, straight from the data."""
        return (self.available, self.is_on)

    @property
    def is_on(self) -> bool | None:
        """Return whether it is connected."""
        value: bool | None = getattr(self.coordinator.data, self.entity_description.data_field)
        return value
