"""The repair the user fixes in a dialog: remove a lock that left its account."""

from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import RepairsFlow
from homeassistant.core import HomeAssistant

from .compat import vol

if TYPE_CHECKING:
    from homeassistant.components.repairs import RepairsFlowResult  # 2026.4+; only a name here


class RemoveLockFlow(RepairsFlow):
    """Remove a lock that LOQED's lock list has left out for a day: its device, entities, webhook."""

    def __init__(self, entry_id: str, subentry_id: str) -> None:
        """Remove the subentry `subentry_id` of entry `entry_id` when the user confirms."""
        self._entry_id = entry_id
        self._subentry_id = subentry_id

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Ask before removing."""
        return await self.async_step_confirm()

    async def async_step_confirm(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Remove the lock; the entry's update listener forgets what it left."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None or self._subentry_id not in entry.subentries:
            return self.async_abort(reason="lock_gone")
        if user_input is not None:
            self.hass.config_entries.async_remove_subentry(entry, self._subentry_id)
            return self.async_create_entry(data={})
        title = entry.subentries[self._subentry_id].title
        return self.async_show_form(
            step_id="confirm", data_schema=vol.Schema({}), description_placeholders={"title": title}
        )


async def async_create_fix_flow(hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None) -> RepairsFlow:
    """Return the flow that fixes `issue_id` (only "lock left the account" is fixable)."""
    data = data or {}
    return RemoveLockFlow(str(data.get("entry_id", "")), str(data.get("subentry_id", "")))
