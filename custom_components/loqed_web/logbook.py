"""Logbook entries that tell a movement in one line: "Front door Unlocked · Anna · Touch to Open".

The words come from the Activity entity's translations, in Home Assistant's language.
"""

from collections.abc import Callable
from typing import Any

from homeassistant.components.logbook import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_ICON,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.translation import async_get_cached_translations

from .aioloqedweb import Method
from .const import DOMAIN, EVENT_OPERATED

_ATTRIBUTES = f"component.{DOMAIN}.entity.event.activity.state_attributes"
# The line's icon is the movement's, not the lock's state now (an opening is no closed padlock).
_ICONS = {
    "lock": "mdi:lock",
    "unlock": "mdi:lock-open-variant",
    "open": "mdi:door-open",
    "motor_stall": "mdi:lock-alert",
}


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe the bus event the coordinator fires for each movement."""

    @callback
    def describe(event: Event[Any]) -> dict[str, str]:
        data = event.data
        words = async_get_cached_translations(hass, hass.config.language, "entity", DOMAIN)
        what = words.get(f"{_ATTRIBUTES}.event_type.state.{data['type']}", data["type"])
        who_and_how = [
            data.get("user_name") or data.get("account_name") or data.get("admin_name"),
            None if data.get("method") == Method.UNKNOWN else words.get(f"{_ATTRIBUTES}.method.state.{data['method']}"),
        ]
        cause = " · ".join(filter(None, who_and_how))
        line = {LOGBOOK_ENTRY_NAME: data["name"], LOGBOOK_ENTRY_MESSAGE: " · ".join(filter(None, [what, cause]))}
        if icon := _ICONS.get(data["type"]):
            line[LOGBOOK_ENTRY_ICON] = icon
        if entity_id := data.get("entity_id"):
            line[LOGBOOK_ENTRY_ENTITY_ID] = entity_id
            # Shown as the line's own name is the lock's; the frontend shows this name as the cause
            # of the state changes that share the line's context: "Open · via Anna · Touch to Open".
            line[LOGBOOK_ENTRY_NAME] = cause or data["name"]
        return line

    async_describe_event(DOMAIN, EVENT_OPERATED, describe)
