"""What every step of the config flow shares: which entry it changes, and how it finishes."""

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
)
from homeassistant.data_entry_flow import AbortFlow

from .const import DOMAIN
from .runtime import configured_lock_ids


class LoqedFlowBase(ConfigFlow):
    """The base of LOQED Web's config flow."""

    def entry_being_changed(self) -> ConfigEntry | None:
        """Return the entry a reauth or reconfigure flow changes; None when setting up."""
        if self.source == SOURCE_REAUTH:
            return self._get_reauth_entry()
        if self.source == SOURCE_RECONFIGURE:
            return self._get_reconfigure_entry()
        return None

    def async_finish_change(self, entry: ConfigEntry, data: Mapping[str, Any]) -> ConfigFlowResult:
        """Save new data and set the entry up again with it.

        A running entry has an update listener, which reloads on a change (the flow must not
        reload too: Home Assistant 2026.12 refuses both). An entry that is not running (refused
        credentials at start-up) has none, so the flow reloads it.
        """
        if entry.state is not ConfigEntryState.LOADED:
            return self.async_update_reload_and_abort(entry, data=data)
        if data == entry.data:  # the same credentials work again: no change for the listener to see
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return self.async_update_and_abort(entry, data=data)

    def abort_if_lock_configured(self, lock_id: str) -> None:
        """Refuse a lock that is set up already, with an API key or under an account."""
        self._abort_if_unique_id_configured()
        if lock_id in configured_lock_ids(self.hass, include_ignored=False):
            raise AbortFlow("already_configured")

    def abort_stale_flows(self) -> None:
        """End the user flows of the same lock that a closed or refreshed browser left behind.

        Without this, "This is already being configured" would block the lock until a restart.
        """
        for flow in self.hass.config_entries.flow.async_progress_by_handler(
            DOMAIN, match_context={"source": SOURCE_USER, "unique_id": self.unique_id}
        ):
            if flow["flow_id"] != self.flow_id:
                self.hass.config_entries.flow.async_abort(flow["flow_id"])
