"""The base of every LOQED Web entity: one device per lock."""

from typing import override

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN, MANUFACTURER, MODEL
from .coordinator import LoqedCoordinator


class LoqedEntity(CoordinatorEntity[LoqedCoordinator]):
    """An entity of one lock, named by its translation key."""

    _attr_has_entity_name = True
    # The LockData fields this entity shows, lock_online (availability) among them; None: any.
    # After a publish that changed none of them, the coordinator does not even call it.
    _data_fields: frozenset[str] | None = None

    def __init__(self, coordinator: LoqedCoordinator, description: EntityDescription) -> None:
        """Attach the entity to the lock's device."""
        super().__init__(coordinator)
        self.entity_description = description
        lock_id = coordinator.config_entry.unique_id
        self._attr_unique_id = f"{lock_id}-{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, str(lock_id))},
            manufacturer=MANUFACTURER,
            model=MODEL,
            name=coordinator.config_entry.title,
        )

    @property
    @override
    def available(self) -> bool:
        """Unavailable only while LOQED reports the lock offline; unknown values show as unknown.

        A lock set up without a status check is available at once, so it can be commanded
        before its first event.
        """
        return super().available and self.coordinator.data.lock_online is not False

    _written: tuple[object, ...] | None = None  # what the last state write showed

    def _shown(self) -> tuple[object, ...]:
        """Return what a state write would show that can change (state_attributes are static here)."""
        return (self.available, self.state, self.extra_state_attributes)

    @override
    async def async_added_to_hass(self) -> None:
        """Listen for changes to the fields shown; remember what the first write shows.

        The fields are the listener's context, by which the coordinator picks whom to call.
        The first write is the platform's, right after this.
        """
        self.coordinator_context = self._data_fields
        await super().async_added_to_hass()
        self._written = self._shown()

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what this entity shows changed, in the change's context.

        One webhook event changes one or two values; the other entities of the device stay
        silent instead of writing the same state again (the webhook path's main cost).
        """
        shown = self._shown()
        if shown == self._written:
            return
        self._written = shown
        if (context := self.coordinator.context) is not None:
            self.async_set_context(context)
        self.async_write_ha_state()  # all that CoordinatorEntity's own handler does
