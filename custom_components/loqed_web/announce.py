"""The bus event of each completed movement, which the logbook tells in one line."""

from typing import TYPE_CHECKING

from homeassistant.core import Context, HomeAssistant, callback

from .aioloqedweb import Operation
from .const import EVENT_OPERATED

if TYPE_CHECKING:
    from .coordinator import LockCoordinator


@callback
def async_announce(hass: HomeAssistant, coordinator: LockCoordinator, operation: Operation, context: Context) -> None:
    """Fire the event the logbook tells as "Unlocked · Anna · Touch to Open", in the change's context."""
    announcement: dict[str, str | int | bool | None] = {
        "device_id": coordinator.device_id,
        "entity_id": coordinator.lock_entity_id,
        "name": coordinator.name,
        "type": operation.type,
        **operation.attributes(),
    }
    hass.bus.async_fire(EVENT_OPERATED, announcement, context=context)
