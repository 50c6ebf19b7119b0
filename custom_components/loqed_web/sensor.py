"""Sensors: battery, signal strengths, battery type, and who last operated the lock."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aioloqedweb import BatteryType, LockData
from .entity import LoqedEntity, add_lock_entities
from .runtime import LoqedConfigEntry

# Read-only: the coordinator pushes, nothing is fetched per entity.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class LoqedSensorDescription(SensorEntityDescription):
    """A sensor and where its value comes from."""

    value_fn: Callable[[LockData], str | int | None]
    attributes_fn: Callable[[LockData], dict[str, str | None]] | None = None


SENSORS: tuple[LoqedSensorDescription, ...] = (
    LoqedSensorDescription(
        key="battery",
        device_class=SensorDeviceClass.BATTERY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data: data.battery_percentage,
    ),
    LoqedSensorDescription(
        key="battery_type",
        translation_key="battery_type",
        device_class=SensorDeviceClass.ENUM,
        options=[kind.value for kind in BatteryType],
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.battery_type.value if data.battery_type else None,
    ),
    LoqedSensorDescription(
        key="wifi_strength",
        translation_key="wifi_strength",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.wifi_strength,
    ),
    LoqedSensorDescription(
        key="ble_strength",
        translation_key="ble_strength",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,  # it fluctuates a lot
        value_fn=lambda data: data.ble_strength,
    ),
    LoqedSensorDescription(
        key="last_operated_by",
        translation_key="last_operated_by",
        value_fn=lambda data: data.operator_name,
        attributes_fn=lambda data: {"method": data.method.value if data.method else None},
    ),
)


async def async_setup_entry(
    hass: HomeAssistant, entry: LoqedConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add each lock's sensors."""
    add_lock_entities(
        entry,
        async_add_entities,
        lambda coordinator: [LoqedSensor(coordinator, description) for description in SENSORS],
    )


class LoqedSensor(LoqedEntity, SensorEntity):
    """A sensor of one lock."""

    entity_description: LoqedSensorDescription

    @override
    def _shown(self) -> tuple[object, ...]:
        """Return what a write would show, straight from the data (cheaper than the state)."""
        data = self.coordinator.data
        attributes_fn = self.entity_description.attributes_fn
        return (self.available, self.entity_description.value_fn(data), attributes_fn(data) if attributes_fn else None)

    @property
    @override
    def native_value(self) -> str | int | None:
        """Return the value from the lock's data."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, str | None] | None:
        """Return extra facts of the value, such as how the lock was last moved."""
        attributes_fn = self.entity_description.attributes_fn
        return attributes_fn(self.coordinator.data) if attributes_fn else None
