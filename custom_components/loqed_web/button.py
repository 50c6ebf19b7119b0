"""The status button: spend one of the budgeted status calls now."""

from typing import override

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import LoqedEntity, add_lock_entities
from .runtime import LoqedConfigEntry

# One status call at a time: each is paid from a small budget.
PARALLEL_UPDATES = 1

# Enabled: it is what a user reaches for when the state looks wrong (events lost), and every
# press is paid from the status budget, so pressing it can never get the account blocked.
READ_STATUS = ButtonEntityDescription(
    key="read_status", translation_key="read_status", entity_category=EntityCategory.DIAGNOSTIC
)


async def async_setup_entry(
    hass: HomeAssistant, entry: LoqedConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add each lock's status button."""
    add_lock_entities(entry, async_add_entities, lambda coordinator: [LoqedReadStatusButton(coordinator, READ_STATUS)])


class LoqedReadStatusButton(LoqedEntity, ButtonEntity):
    """Reads the lock's status from LOQED now, if the status budget allows."""

    @override
    def _shown(self) -> tuple[object, ...]:
        """Return nothing that a webhook changes: the button writes only when pressed."""
        return ()

    @property
    @override
    def available(self) -> bool:
        """Return True: reading the status is how to learn a state that is not known yet."""
        return True

    async def async_press(self) -> None:
        """Read the lock now (an API key's lock spends a status call); a refusal is a translated error."""
        await self.coordinator.async_read_now()
