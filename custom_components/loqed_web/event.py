"""The event entity: every movement, with who caused it, for automations."""

from typing import override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aioloqedweb import OPERATION_TYPES, Operation
from .coordinator import LockCoordinator
from .entity import LoqedEntity, add_lock_entities
from .runtime import LoqedConfigEntry

# Read-only: the coordinator pushes, nothing is fetched per entity.
PARALLEL_UPDATES = 0

ACTIVITY = EventEntityDescription(key="activity", translation_key="activity", event_types=list(OPERATION_TYPES))


async def async_setup_entry(
    hass: HomeAssistant, entry: LoqedConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add each lock's event entity."""
    add_lock_entities(entry, async_add_entities, lambda coordinator: [LoqedActivity(coordinator, ACTIVITY)])


class LoqedActivity(LoqedEntity, EventEntity):
    """Fires "unlock", "open", "going_to_lock", … with the key and names of whoever did it."""

    def __init__(self, coordinator: LockCoordinator, description: EventEntityDescription) -> None:
        """Start after the operations that happened before this entity existed."""
        super().__init__(coordinator, description)
        self._last_fired: Operation | None = coordinator.activity.last_operation

    @override
    def _shown(self) -> tuple[object, ...]:
        """Return what a write shows: the operation fired last (two can share a millisecond)."""
        return (self.available, self._last_fired)

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Fire the newest operation once."""
        operation = self.coordinator.activity.last_operation
        if operation is not None and operation is not self._last_fired:
            self._last_fired = operation
            self._trigger_event(operation.type, operation.attributes())
        super()._handle_coordinator_update()
