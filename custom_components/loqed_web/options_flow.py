"""Options: the timeout, the status budget or lock list check, the silence before a repair, a new URL.

A change sets the entry up again (its update listener reloads it).
"""

from typing import Any

from homeassistant.config_entries import ConfigEntryState, ConfigFlowResult, OptionsFlow
from homeassistant.helpers.selector import NumberSelector, NumberSelectorConfig, NumberSelectorMode

from .compat import vol
from .const import (
    CONF_RECONCILE_MINUTES,
    CONF_SILENCE_HOURS,
    CONF_STATUS_BUDGET,
    CONF_TRANSITION_TIMEOUT,
    RECONCILE_MINUTES,
    SILENCE_HOURS,
    TRANSITION_TIMEOUT_SECONDS,
)
from .runtime import LoqedConfigEntry, is_account, lock_configs
from .storage import async_get_status_budget, async_set_budget_limit
from .webhook import async_replace_webhook, async_webhook_url


def _number(low: int, high: int, unit: str) -> NumberSelector:
    return NumberSelector(
        NumberSelectorConfig(min=low, max=high, step=1, mode=NumberSelectorMode.BOX, unit_of_measurement=unit)
    )


class LoqedWebOptionsFlow(OptionsFlow):
    """An API key's lock: a menu of settings and a new webhook URL. An account: its settings."""

    config_entry: LoqedConfigEntry

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show the webhook URL(s) and what is left of the status budget, then the choices."""
        if self.config_entry.state is not ConfigEntryState.LOADED:
            # Nothing to configure on an entry that is not running (e.g. refused credentials).
            return self.async_abort(reason="not_loaded")
        if is_account(self.config_entry):
            return await self.async_step_settings()
        budget = await async_get_status_budget(self.hass)
        return self.async_show_menu(
            step_id="init",
            menu_options=["settings", "rotate_webhook"],
            description_placeholders={
                "webhook_url": async_webhook_url(self.hass, self.config_entry.data),
                "remaining": str(budget.remaining),
                "limit": str(budget.limit),
            },
        )

    async def async_step_settings(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Change the timeout, the status budget or lock list check, and the silence.

        An API key's lock spends status calls from the budget; an account reads its lock list
        instead, every so many minutes, for all its locks.
        """
        account = is_account(self.config_entry)
        if user_input is not None:
            options = {
                CONF_TRANSITION_TIMEOUT: int(user_input[CONF_TRANSITION_TIMEOUT]),
                CONF_SILENCE_HOURS: int(user_input[CONF_SILENCE_HOURS]),
            }
            if account:
                options[CONF_RECONCILE_MINUTES] = int(user_input[CONF_RECONCILE_MINUTES])
            else:
                # The budget is one setting for all locks, kept with the budget, not in this entry.
                await async_set_budget_limit(self.hass, int(user_input[CONF_STATUS_BUDGET]))
            return self.async_create_entry(data=options)
        saved = self.config_entry.options
        fields: dict[Any, Any] = {vol.Required(CONF_TRANSITION_TIMEOUT): _number(5, 300, "s")}
        current = {
            CONF_TRANSITION_TIMEOUT: saved.get(CONF_TRANSITION_TIMEOUT, TRANSITION_TIMEOUT_SECONDS),
            CONF_SILENCE_HOURS: saved.get(CONF_SILENCE_HOURS, SILENCE_HOURS),
        }
        if account:
            fields[vol.Required(CONF_RECONCILE_MINUTES)] = _number(0, 1440, "min")
            current[CONF_RECONCILE_MINUTES] = saved.get(CONF_RECONCILE_MINUTES, RECONCILE_MINUTES)
        else:
            fields[vol.Required(CONF_STATUS_BUDGET)] = _number(1, 10, "/ 12 h")
            current[CONF_STATUS_BUDGET] = (await async_get_status_budget(self.hass)).limit
        fields[vol.Required(CONF_SILENCE_HOURS)] = _number(1, 168, "h")
        urls = "\n".join(
            f"- **{lock.title}**: {async_webhook_url(self.hass, lock.webhook_data)}"
            for lock in lock_configs(self.config_entry)
        )
        return self.async_show_form(
            step_id="settings",
            data_schema=self.add_suggested_values_to_schema(vol.Schema(fields), current),
            description_placeholders={"webhook_urls": urls},
        )

    async def async_step_rotate_webhook(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Make a new webhook URL; the old one stops working at once."""
        if user_input is not None:
            entry = self.config_entry
            entry.runtime_data.locks[None].async_webhook_replaced()
            url = await async_replace_webhook(
                self.hass,
                entry.data,
                entry.title,
                lambda data: self.hass.config_entries.async_update_entry(entry, data=data),
            )
            return self.async_abort(reason="webhook_rotated", description_placeholders={"webhook_url": url})
        return self.async_show_form(step_id="rotate_webhook", data_schema=vol.Schema({}))
