"""Connectivity of the lock and its bridge; for a token's lock, the settings its account's list reports."""

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

from .coordinator import LockCoordinator
from .entity import LoqedEntity, add_lock_entities
from .runtime import LoqedConfigEntry

# Read-only: the coordinator pushes, nothing is fetched per entity.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class LoqedBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor and where its value comes from."""

    data_field: str  # the LockData field it shows
    from_lock_list: bool = False  # only an account's lock list reports it (a token's locks)
    while_offline: bool = False  # available while the lock is offline (saying so is its job)


CONNECTIVITY: tuple[LoqedBinarySensorDescription, ...] = tuple(
    LoqedBinarySensorDescription(
        key=key,
        translation_key=key,
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        data_field=key,
        while_offline=True,
    )
    for key in ("lock_online", "bridge_online")
)
# Read-only settings of the lock; twist assist and touch to connect rarely matter to automations.
SETTINGS: tuple[LoqedBinarySensorDescription, ...] = tuple(
    LoqedBinarySensorDescription(
        key=key,
        translation_key=key,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=enabled,
        data_field=key,
        from_lock_list=True,
    )
    for key, enabled in (
        ("party_mode", True),
        ("guest_access", True),
        ("twist_assist", False),
        ("touch_to_connect", False),
    )
)


async def async_setup_entry(
    hass: HomeAssistant, entry: LoqedConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add each lock's binary sensors."""

    def binary_sensors(coordinator: LockCoordinator) -> list[LoqedBinarySensor]:
        listed = coordinator.lock.subentry_id is not None  # a token's lock: its account's list is read
        return [
            LoqedBinarySensor(coordinator, description)
            for description in (*CONNECTIVITY, *SETTINGS)
            if listed or not description.from_lock_list
        ]

    add_lock_entities(entry, async_add_entities, binary_sensors)


class LoqedBinarySensor(LoqedEntity, BinarySensorEntity):
    """A fact about the lock that is on or off."""

    entity_description: LoqedBinarySensorDescription

    @property
    @override
    def available(self) -> bool:
        """Connectivity stays available while offline; the others follow the lock."""
        if self.entity_description.while_offline:
            return self.coordinator.last_update_success
        return super().available

    @override
    def _shown(self) -> tuple[object, ...]:
        """Return what a write would show, straight from the data."""
        return (self.available, self.is_on)

    @property
    @override
    def is_on(self) -> bool | None:
        """Return the value; None while not known."""
        value: bool | None = getattr(self.coordinator.data, self.entity_description.data_field)
        return value
