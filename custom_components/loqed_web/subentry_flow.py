"""An account's locks, one by one.

"Add lock" offers the account's locks not set up yet; a lock's reconfigure shows its webhook URL
and can make a new one.
"""

from typing import Any

from homeassistant.config_entries import ConfigEntryState, ConfigSubentryFlow, SubentryFlowResult
from homeassistant.helpers.selector import BooleanSelector, SelectOptionDict, SelectSelector, SelectSelectorConfig

from .aioloqedweb import AccountLock, LoqedError
from .compat import vol
from .const import CONF_LOCK_ID
from .errors import reaction_to
from .runtime import LoqedConfigEntry, configured_lock_ids
from .token_flow import async_lock_subentry_data
from .webhook import async_replace_webhook, async_webhook_url

CONF_NEW_WEBHOOK = "new_webhook"


class LockSubentryFlow(ConfigSubentryFlow):
    """Add one lock of the account, or change one lock's webhook."""

    _offered: dict[str, AccountLock]

    def _account(self) -> LoqedConfigEntry:
        entry: LoqedConfigEntry = self._get_entry()
        return entry

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Offer the account's locks that are not set up, by name."""
        entry = self._account()
        if entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="account_not_loaded")
        if user_input is None:
            assert entry.runtime_data.account is not None  # noqa: S101  # an account entry has one
            try:
                lock_list = await entry.runtime_data.account.async_read(fresh=False)
            except LoqedError as err:
                return self.async_abort(reason=reaction_to(err).key)
            configured = configured_lock_ids(self.hass, include_ignored=False)
            self._offered = {lock.lock_id: lock for lock in lock_list.locks.values() if lock.lock_id not in configured}
            if not self._offered:
                return self.async_abort(reason="no_new_locks")
        elif (lock := self._offered.get(user_input[CONF_LOCK_ID])) is not None:
            data = await async_lock_subentry_data(self.hass, lock.lock_id)
            return self.async_create_entry(
                title=lock.name,
                data=data,
                unique_id=lock.lock_id,
                description_placeholders={"name": lock.name, "webhook_url": async_webhook_url(self.hass, data)},
            )
        options = [SelectOptionDict(value=lock.lock_id, label=lock.name) for lock in self._offered.values()]
        schema = vol.Schema({vol.Required(CONF_LOCK_ID): SelectSelector(SelectSelectorConfig(options=options))})
        return self.async_show_form(step_id="user", data_schema=schema)

    async def async_step_reconfigure(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Show the lock's webhook URL; make a new one if asked (the old one stops at once)."""
        entry = self._account()
        subentry = self._get_reconfigure_subentry()
        if user_input is None or not user_input.get(CONF_NEW_WEBHOOK):
            if user_input is not None:
                return self.async_abort(reason="webhook_kept")
            schema = vol.Schema({vol.Optional(CONF_NEW_WEBHOOK, default=False): BooleanSelector()})
            placeholders = {"name": subentry.title, "webhook_url": async_webhook_url(self.hass, subentry.data)}
            return self.async_show_form(
                step_id="reconfigure", data_schema=schema, description_placeholders=placeholders
            )
        if entry.state is ConfigEntryState.LOADED:
            entry.runtime_data.locks[subentry.subentry_id].async_webhook_replaced()
        url = await async_replace_webhook(
            self.hass,
            subentry.data,
            subentry.title,
            lambda data: self.hass.config_entries.async_update_subentry(entry, subentry, data=data),
        )
        return self.async_abort(reason="webhook_rotated", description_placeholders={"webhook_url": url})
