"""The lock entity: lock is NIGHT_LOCK, unlock is DAY_LOCK, open is OPEN."""

from typing import Any, override

from homeassistant.components.lock import LockEntity, LockEntityDescription, LockEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .aioloqedweb import Action, BoltState
from .entity import LoqedEntity, add_lock_entities
from .runtime import LoqedConfigEntry

# One command at a time: the lock moves one way at once.
PARALLEL_UPDATES = 1

LOCK = LockEntityDescription(key="lock", translation_key="lock", name=None)


async def async_setup_entry(
    hass: HomeAssistant, entry: LoqedConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add each lock."""
    add_lock_entities(entry, async_add_entities, lambda coordinator: [LoqedLock(coordinator, LOCK)])


class LoqedLock(LoqedEntity, LockEntity):
    """A LOQED Touch Smart Lock, operated through LOQED's web API."""

    _attr_supported_features = LockEntityFeature.OPEN

    @override
    def _shown(self) -> tuple[object, ...]:
        """Return what a write shows, straight from the data (`changed_by` and `method` included)."""
        data = self.coordinator.data
        return (self.available, data.bolt_state, data.moving_to, data.jammed, data.operator_name, data.method)

    @override
    async def async_added_to_hass(self) -> None:
        """Tell the coordinator our entity and device: the logbook shows each movement on the lock."""
        await super().async_added_to_hass()
        self.coordinator.lock_entity_id = self.entity_id
        self.coordinator.device_id = self.registry_entry.device_id if self.registry_entry else None

    @property
    @override
    def extra_state_attributes(self) -> dict[str, str | None]:
        """Return how the lock was last moved (app, remote, touch_to_open, knob, …)."""
        method = self.coordinator.data.method
        return {"method": method.value if method else None}

    @property
    @override
    def is_locked(self) -> bool | None:
        state = self.coordinator.data.bolt_state
        return None if state in (None, BoltState.UNKNOWN) else state is BoltState.NIGHT_LOCK

    @property
    @override
    def is_open(self) -> bool:
        return self.coordinator.data.bolt_state is BoltState.OPEN

    @property
    @override
    def is_locking(self) -> bool:
        return self.coordinator.data.moving_to is BoltState.NIGHT_LOCK

    @property
    @override
    def is_unlocking(self) -> bool:
        return self.coordinator.data.moving_to is BoltState.DAY_LOCK

    @property
    @override
    def is_opening(self) -> bool:
        return self.coordinator.data.moving_to is BoltState.OPEN

    @property
    @override
    def is_jammed(self) -> bool:
        return self.coordinator.data.jammed

    @property
    @override
    def changed_by(self) -> str | None:
        return self.coordinator.data.operator_name

    @override
    async def async_lock(self, **kwargs: Any) -> None:
        """Night lock."""
        await self.coordinator.async_command(Action.NIGHT_LOCK)

    @override
    async def async_unlock(self, **kwargs: Any) -> None:
        """Day lock: unlocked, the latch still holds the door."""
        await self.coordinator.async_command(Action.DAY_LOCK)

    @override
    async def async_open(self, **kwargs: Any) -> None:
        """Pull the latch: the door opens."""
        await self.coordinator.async_command(Action.OPEN)
