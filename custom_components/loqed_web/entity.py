"""The base of every LOQED Web entity: one device per lock, under its subentry for a token's lock."""

import logging
from collections.abc import Callable, Iterable
from typing import override

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN, MANUFACTURER, MODEL
from .coordinator import LockCoordinator
from .runtime import LoqedConfigEntry

_LOGGER = logging.getLogger(__name__)


def add_lock_entities(
    entry: LoqedConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    entities_of: Callable[[LockCoordinator], Iterable[Entity]],
) -> None:
    """Add each lock's entities, under the lock's subentry when it has one."""
    for subentry_id, coordinator in entry.runtime_data.locks.items():
        async_add_entities(entities_of(coordinator), config_subentry_id=subentry_id)


class LoqedEntity(CoordinatorEntity[LockCoordinator]):
    """An entity of one lock, named by its translation key."""

    _attr_has_entity_name = True
    _written: tuple[object, ...] | None = None  # what the last state write showed

    def __init__(self, coordinator: LockCoordinator, description: EntityDescription) -> None:
        """Attach the entity to the lock's device."""
        super().__init__(coordinator)
        self.entity_description = description
        lock = coordinator.lock
        self._attr_unique_id = f"{lock.lock_id}-{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, lock.lock_id)}, manufacturer=MANUFACTURER, model=MODEL, name=lock.title
        )

    @property
    @override
    def available(self) -> bool:
        """Unavailable while LOQED reports the lock offline, or its account's lock list leaves it out.

        A lock whose state is not known yet is available, so it can be commanded before its first event.
        """
        data = self.coordinator.data
        return super().available and data.lock_online is not False and data.in_account is not False

    def _shown(self) -> tuple[object, ...]:
        """Return what a state write would show that can change (state_attributes are static here)."""
        return (self.available, self.state, self.extra_state_attributes)

    @override
    async def async_added_to_hass(self) -> None:
        """Remember what the first write shows (the platform's, right after this)."""
        await super().async_added_to_hass()
        self._written = self._shown()

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what this entity shows changed, in the change's context.

        One webhook event changes one or two values; the other entities of the device stay
        silent instead of writing the same state again (the webhook path's main cost).
        """
        try:
            shown = self._shown()
        except Exception:
            # As Home Assistant's own update of listeners does not: one entity never stops the others.
            _LOGGER.exception("%s: could not show the new data", self.entity_id)
            return
        if shown == self._written:
            return
        self._written = shown
        if (context := self.coordinator.context) is not None:
            self.async_set_context(context)
        self.async_write_ha_state()  # all that CoordinatorEntity's own handler does
