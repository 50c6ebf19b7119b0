"""The steps of a personal access token: paste it, tick the account's locks; replace it later.

The account is one config entry; each ticked lock is a subentry of it, with its own webhook.
"""

import logging
import time
from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult, ConfigSubentry, ConfigSubentryData
from homeassistant.const import CONF_ACCESS_TOKEN
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
)

from .aioloqedweb import (
    AccessToken,
    AccountLock,
    LoqedAccountClient,
    LoqedCredentialsError,
    LoqedError,
    find_access_token,
)
from .compat import vol
from .const import CONF_CREDENTIALS, CONF_LOCK_ID, DOMAIN, SUBENTRY_LOCK
from .errors import reaction_to
from .flow_base import LoqedFlowBase
from .runtime import account_title, configured_lock_ids, is_account, lock_configs
from .storage import account_store
from .webhook import async_create_webhook, async_webhook_url

_LOGGER = logging.getLogger(__name__)

CONF_LOCKS = "locks"
TOKENS_URL = "https://integrations.loqed.com/personal-access-tokens"
_PASTE = TextSelector(TextSelectorConfig(multiline=True))


async def async_read_account(hass: HomeAssistant, token: AccessToken) -> list[AccountLock] | str:
    """Check a token with one read of its lock list; return the locks, or an error key."""
    if token.is_expired(time.time()):
        return "token_expired"  # known from its claims: no call
    try:
        locks = await LoqedAccountClient(async_get_clientsession(hass), token.value).list_locks()
    except LoqedError as err:
        reaction = reaction_to(err)
        if reaction.key == "unknown":
            _LOGGER.warning("Unexpected answer while checking the LOQED personal access token: %s", err)
        return reaction.key
    return locks or "no_locks"


async def async_lock_subentry_data(hass: HomeAssistant, lock_id: str) -> dict[str, Any]:
    """Return the data of a new lock subentry: its Lock ID and a new webhook (or cloudhook)."""
    return {CONF_LOCK_ID: lock_id} | await async_create_webhook(hass)


class TokenSteps(LoqedFlowBase):
    """The steps of a personal access token; mixed into the integration's config flow."""

    _token: AccessToken | None = None
    _account_locks: tuple[AccountLock, ...] = ()
    _discovered: dict[str, Any]

    async def async_token_pasted(self, token: AccessToken) -> ConfigFlowResult | str:
        """Set up the account of a new token; return the next step or an error key."""
        locks = await async_read_account(self.hass, token)
        if isinstance(locks, str):
            return locks
        lock_ids = {lock.lock_id for lock in locks}
        for entry in self.hass.config_entries.async_entries(DOMAIN):
            if is_account(entry) and lock_ids & {lock.lock_id for lock in lock_configs(entry)}:
                return self.async_abort(reason="account_configured", description_placeholders={"title": entry.title})
        self._token, self._account_locks = token, tuple(locks)
        return await self.async_step_pick_locks()

    async def async_step_pick_locks(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Tick the locks to add; those set up already are not offered."""
        configured = configured_lock_ids(self.hass, include_ignored=False)
        offered = [lock for lock in self._account_locks if lock.lock_id not in configured]
        if not offered:
            return self.async_abort(reason="all_locks_configured")
        errors: dict[str, str] = {}
        if user_input is not None:
            picked = [lock for lock in offered if lock.lock_id in user_input.get(CONF_LOCKS, [])]
            if picked:
                return await self._async_create_account(picked)
            errors["base"] = "pick_one"
        options = [SelectOptionDict(value=lock.lock_id, label=lock.name) for lock in offered]
        selector = SelectSelector(SelectSelectorConfig(options=options, multiple=True, mode=SelectSelectorMode.LIST))
        schema = vol.Schema({vol.Required(CONF_LOCKS, default=[lock.lock_id for lock in offered]): selector})
        return self.async_show_form(step_id="pick_locks", data_schema=schema, errors=errors)

    async def _async_create_account(self, picked: list[AccountLock]) -> ConfigFlowResult:
        """Create the account's entry with the picked locks under it, and show their webhook URLs."""
        assert self._token is not None  # noqa: S101  # set before this step
        subentries: list[ConfigSubentryData] = []
        urls = []
        for lock in picked:
            data = await async_lock_subentry_data(self.hass, lock.lock_id)
            subentries.append(
                ConfigSubentryData(data=data, subentry_type=SUBENTRY_LOCK, title=lock.name, unique_id=lock.lock_id)
            )
            urls.append(f"- **{lock.name}**: {async_webhook_url(self.hass, data)}")
        return self.async_create_entry(
            title=account_title(lock.name for lock in picked),
            data={CONF_ACCESS_TOKEN: self._token.value},
            subentries=subentries,
            description="token",
            description_placeholders={"webhook_urls": "\n".join(urls)},
        )

    async def async_step_reauth_token(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Take a new personal access token for the account (LOQED refused the old one)."""
        return await self._async_step_new_token("reauth_token", user_input)

    async def async_step_reconfigure_token(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Take a new personal access token for the account; its locks, devices and webhooks stay."""
        return await self._async_step_new_token("reconfigure_token", user_input)

    async def _async_step_new_token(self, step_id: str, user_input: dict[str, Any] | None) -> ConfigFlowResult:
        entry = self.entry_being_changed()
        assert entry is not None  # noqa: S101  # reauth and reconfigure always change an entry
        errors: dict[str, str] = {}
        if user_input is not None:
            error = await self._async_check_new_token(entry, user_input.get(CONF_CREDENTIALS, ""))
            if error is None:
                assert self._token is not None  # noqa: S101  # set by the check
                # The read just worked: a back-off from the old token is over.
                await account_store(self.hass).async_save_blocked_until(entry.entry_id, None)
                return self.async_finish_change(entry, {**entry.data, CONF_ACCESS_TOKEN: self._token.value})
            errors["base"] = error
        schema = vol.Schema({vol.Required(CONF_CREDENTIALS): _PASTE})
        return self.async_show_form(
            step_id=step_id,
            data_schema=schema,
            errors=errors,
            description_placeholders={"title": entry.title, "tokens_url": TOKENS_URL},
        )

    async def _async_check_new_token(self, entry: ConfigEntry, text: str) -> str | None:
        """Return an error key, or None when `text` holds a working token of this account."""
        try:
            token = find_access_token(text)
        except LoqedCredentialsError:
            return "invalid_token"
        if token is None:
            return "not_a_token"
        locks = await async_read_account(self.hass, token)
        if isinstance(locks, str):
            return locks
        ours = {lock.lock_id for lock in lock_configs(entry)}
        if ours and not ours & {lock.lock_id for lock in locks}:
            return "lock_not_in_account"
        self._token = token
        return None

    async def async_step_integration_discovery(self, discovery_info: dict[str, Any]) -> ConfigFlowResult:
        """Offer a lock that appeared in the account of a token that is set up already."""
        await self.async_set_unique_id(discovery_info[CONF_LOCK_ID])
        self._abort_if_unique_id_configured()
        if discovery_info[CONF_LOCK_ID] in configured_lock_ids(self.hass):
            return self.async_abort(reason="already_configured")
        self._discovered = discovery_info
        self.context["title_placeholders"] = {"name": discovery_info["name"]}
        return await self.async_step_discovery_confirm()

    async def async_step_discovery_confirm(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Add the discovered lock to its account, after the user says so."""
        found = self._discovered
        if user_input is None:
            return self.async_show_form(step_id="discovery_confirm", description_placeholders={"name": found["name"]})
        entry = self.hass.config_entries.async_get_entry(found["entry_id"])
        if entry is None:
            return self.async_abort(reason="account_removed")
        data = await async_lock_subentry_data(self.hass, found[CONF_LOCK_ID])
        # The entry's update listener sets the new lock up.
        subentry = ConfigSubentry(
            data=MappingProxyType(data), subentry_type=SUBENTRY_LOCK, title=found["name"], unique_id=data[CONF_LOCK_ID]
        )
        self.hass.config_entries.async_add_subentry(entry, subentry)
        placeholders = {"name": found["name"], "webhook_url": async_webhook_url(self.hass, data)}
        return self.async_abort(reason="lock_added", description_placeholders=placeholders)
