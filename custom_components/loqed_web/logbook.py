"""Logbook entries that say who did it: "Front door unlocked by Anna (key 3)"."""

from collections.abc import Callable
from typing import Any

from homeassistant.components.logbook import LOGBOOK_ENTRY_MESSAGE, LOGBOOK_ENTRY_NAME
from homeassistant.core import Event, HomeAssistant, callback

from .const import DOMAIN, EVENT_OPERATED


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe the bus event the coordinator fires for each movement."""

    @callback
    def describe(event: Event[Any]) -> dict[str, str]:
        return {LOGBOOK_ENTRY_NAME: event.data["name"], LOGBOOK_ENTRY_MESSAGE: event.data["message"]}

    async_describe_event(DOMAIN, EVENT_OPERATED, describe)
