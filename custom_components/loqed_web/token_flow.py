"""Setup with a personal access token: paste one token, tick the account's locks.

Each picked lock becomes its own entry (one device, one webhook URL), as with an API key; the
first is made by this flow, the others by a flow of their own that shows no form.
"""

import logging
import time
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, SOURCE_RECONFIGURE, ConfigEntry, ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_ACCESS_TOKEN, CONF_WEBHOOK_ID
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from .account import entries_of_token
from .aioloqedweb import AccessToken, AccountLock, LoqedAccountClient, LoqedError
from .compat import vol
from .const import CONF_CLOUDHOOK_URL, DOMAIN, SOURCE_ACCOUNT_LOCK
from .errors import reaction_to
from .webhook import async_create_webhook, async_webhook_url

_LOGGER = logging.getLogger(__name__)

CONF_LOCKS = "locks"
TOKENS_URL = "https://integrations.loqed.com/personal-access-tokens"
# What an entry keeps when its credential changes kind: the lock, its webhook, the numeric id.
_KEPT_ACROSS_CREDENTIALS = frozenset({"lock_id", "old_lock_id", CONF_WEBHOOK_ID, CONF_CLOUDHOOK_URL})


def token_entry_data(token: str, entry_data: dict[str, Any]) -> dict[str, Any]:
    """Return the data of an entry reached with `token`, keeping its lock and webhook."""
    kept = {key: value for key, value in entry_data.items() if key in _KEPT_ACROSS_CREDENTIALS and value is not None}
    return {CONF_ACCESS_TOKEN: token, **kept}


def without_token(entry_data: dict[str, Any]) -> dict[str, Any]:
    """Return an entry's data without the token: it is reached with an API key again."""
    return {key: value for key, value in entry_data.items() if key != CONF_ACCESS_TOKEN}


class TokenSteps(ConfigFlow):
    """The steps of a personal access token; mixed into the integration's config flow."""

    _token: AccessToken | None = None
    _account_locks: tuple[AccountLock, ...] = ()
    _discovered: dict[str, Any]

    async def async_token_pasted(self, token: AccessToken) -> ConfigFlowResult | str:
        """Check the token with one read of the lock list; return the next step or an error key."""
        if token.is_expired(time.time()):
            return "token_expired"  # known from its claims: no call
        entry = self.entry_being_changed()
        if entry is not None and self.source == SOURCE_REAUTH and entry.data.get(CONF_ACCESS_TOKEN) == token.value:
            return "same_credentials"
        try:
            locks = await LoqedAccountClient(async_get_clientsession(self.hass), token.value).list_locks()
        except LoqedError as err:
            reaction = reaction_to(err)
            if reaction.key == "unknown":
                _LOGGER.warning("Unexpected answer while checking the LOQED personal access token: %s", err)
            return reaction.key
        if not locks:
            return "no_locks"
        self._token, self._account_locks = token, tuple(locks)
        if entry is not None:
            return self._async_replace_token(entry)
        return await self.async_step_pick_locks()

    def entry_being_changed(self) -> ConfigEntry | None:
        """Return the entry a reauth or reconfigure flow changes; None when setting up."""
        if self.source == SOURCE_REAUTH:
            return self._get_reauth_entry()
        if self.source == SOURCE_RECONFIGURE:
            return self._get_reconfigure_entry()
        return None

    def _async_replace_token(self, entry: ConfigEntry) -> ConfigFlowResult | str:
        """Give the entry, and every entry of the old token, the new token; all else stays."""
        assert self._token is not None  # noqa: S101  # set by the caller
        if entry.unique_id not in {lock.lock_id for lock in self._account_locks}:
            return "lock_not_in_account"
        old_token = entry.data.get(CONF_ACCESS_TOKEN)
        for other in entries_of_token(self.hass, old_token) if old_token else []:
            if other.entry_id != entry.entry_id:
                self.hass.config_entries.async_update_entry(
                    other, data={**other.data, CONF_ACCESS_TOKEN: self._token.value}
                )
                self.hass.config_entries.async_schedule_reload(other.entry_id)
        return self.async_update_reload_and_abort(entry, data=token_entry_data(self._token.value, dict(entry.data)))

    async def async_step_pick_locks(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Tick the locks to add; those set up already are not offered."""
        configured = {entry.unique_id for entry in self._async_current_entries(include_ignore=False)}
        offered = [lock for lock in self._account_locks if lock.lock_id not in configured]
        if not offered:
            return self.async_abort(reason="all_locks_configured")
        errors: dict[str, str] = {}
        if user_input is not None:
            picked = [lock for lock in offered if lock.lock_id in user_input.get(CONF_LOCKS, [])]
            if picked:
                return await self._async_create_entries(picked)
            errors["base"] = "pick_one"
        options = [SelectOptionDict(value=lock.lock_id, label=lock.name) for lock in offered]
        schema = vol.Schema(
            {
                vol.Required(CONF_LOCKS, default=[lock.lock_id for lock in offered]): SelectSelector(
                    SelectSelectorConfig(options=options, multiple=True, mode=SelectSelectorMode.LIST)
                )
            }
        )
        return self.async_show_form(step_id="pick_locks", data_schema=schema, errors=errors)

    async def _async_create_entries(self, picked: list[AccountLock]) -> ConfigFlowResult:
        assert self._token is not None  # noqa: S101  # set before this step
        urls = []
        entries = []
        for lock in picked:
            data = {CONF_ACCESS_TOKEN: self._token.value, "lock_id": lock.lock_id} | await async_create_webhook(
                self.hass
            )
            urls.append(f"- **{lock.name}**: {async_webhook_url(self.hass, data)}")
            entries.append((lock, data))
        (first, first_data), others = entries[0], entries[1:]
        for lock, data in others:
            self.hass.async_create_task(
                self.hass.config_entries.flow.async_init(
                    DOMAIN, context={"source": SOURCE_ACCOUNT_LOCK}, data={"title": lock.name, "data": data}
                ),
                eager_start=True,
            )
        # A discovery of the same lock may be waiting: this flow wins, and that one ends.
        await self.async_set_unique_id(first.lock_id, raise_on_progress=False)
        self._abort_if_unique_id_configured()
        return self.async_create_entry(
            title=first.name,
            data=first_data,
            description="token",
            description_placeholders={"webhook_urls": "\n".join(urls)},
        )

    async def async_step_integration_discovery(self, discovery_info: dict[str, Any]) -> ConfigFlowResult:
        """Offer a lock that appeared in the account of a token that is set up already."""
        await self.async_set_unique_id(discovery_info["lock_id"])
        self._abort_if_unique_id_configured()
        self._discovered = discovery_info
        self.context["title_placeholders"] = {"name": discovery_info["name"]}
        return await self.async_step_discovery_confirm()

    async def async_step_discovery_confirm(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Add the discovered lock with the account's token, after the user says so."""
        found = self._discovered
        if user_input is None:
            return self.async_show_form(step_id="discovery_confirm", description_placeholders={"name": found["name"]})
        data = {CONF_ACCESS_TOKEN: found[CONF_ACCESS_TOKEN], "lock_id": found["lock_id"]}
        data |= await async_create_webhook(self.hass)
        url = async_webhook_url(self.hass, data)
        return self.async_create_entry(
            title=found["name"],
            data=data,
            description="token",
            description_placeholders={"webhook_urls": f"- **{found['name']}**: {url}"},
        )

    async def async_step_account_lock(self, discovery: dict[str, Any]) -> ConfigFlowResult:
        """Add one more lock picked with a token, without a form (started by the flow above)."""
        await self.async_set_unique_id(discovery["data"]["lock_id"], raise_on_progress=False)
        self._abort_if_unique_id_configured()
        return self.async_create_entry(title=discovery["title"], data=discovery["data"])
