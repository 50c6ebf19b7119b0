"""Setup in the UI: paste what the LOQED portal shows; the flow finds the fields and checks them."""

import logging
import time
from collections.abc import Mapping
from dataclasses import asdict, replace
from typing import Any, override

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    BooleanSelector,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .aioloqedweb import (
    Credentials,
    LoqedCredentialsError,
    LoqedError,
    LoqedWebClient,
    ReadSource,
    SigningMode,
    apply_status,
    find_access_token,
    parse_credentials,
)
from .aioloqedweb.credentials import normalize_field
from .aioloqedweb.reads import LockRead
from .compat import vol
from .const import CONF_CREDENTIALS, CONF_SIGNING, CONF_SKIP_STATUS_CHECK, DOMAIN, SUBENTRY_LOCK
from .errors import reaction_to
from .options_flow import LoqedWebOptionsFlow
from .paste import FIELD_LABELS, SECRET_FIELDS, credentials_error, missing_fields, signing_modes, updated
from .runtime import is_account
from .storage import LockStore, async_get_status_budget
from .subentry_flow import LockSubentryFlow
from .token_flow import TOKENS_URL, TokenSteps
from .webhook import async_create_webhook, async_webhook_url

_LOGGER = logging.getLogger(__name__)

PORTAL_URL = "https://app.loqed.com/API-Config/"
_PASTE_STEP = {SOURCE_REAUTH: "reauth_confirm", SOURCE_RECONFIGURE: "reconfigure"}
_PASTE = TextSelector(TextSelectorConfig(multiline=True))


class LoqedWebConfigFlow(TokenSteps, domain=DOMAIN):
    """Set up one lock from one LOQED API key, or an account's locks from a personal access token."""

    VERSION = 2

    def __init__(self) -> None:
        """Start with nothing known."""
        self._credentials = Credentials()
        self._signing: SigningMode | None = None
        self._skip_status_check = False
        self._checked = False  # whether LOQED took the credentials as they are now
        self._pasted = ""  # the last paste that met an error, shown again

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        """Timeouts, the status budget or lock list check, the silence, and webhook rotation."""
        return LoqedWebOptionsFlow()

    @classmethod
    @callback
    @override
    def async_get_supported_subentry_types(cls, config_entry: ConfigEntry) -> dict[str, type[ConfigSubentryFlow]]:
        """Return the subentries an entry has: an account's locks ("Add lock"); none for an API key."""
        return {SUBENTRY_LOCK: LockSubentryFlow} if is_account(config_entry) else {}

    @override
    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Take the pasted credentials: an API key's fields, or a personal access token."""
        return await self._async_step_paste("user", user_input)

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """Ask for new credentials, when LOQED refused them."""
        entry = self._get_reauth_entry()
        if is_account(entry):
            return await self.async_step_reauth_token()
        self._load_entry(entry)
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Take a fresh paste of the credentials for the same lock."""
        return await self._async_step_paste("reauth_confirm", user_input)

    async def async_step_reconfigure(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Change the credentials or the signing mode; entities, history and webhook stay."""
        entry = self._get_reconfigure_entry()
        if is_account(entry):
            return await self.async_step_reconfigure_token()
        if user_input is None:
            self._load_entry(entry)
            self._signing = None  # let the user choose again
        return await self._async_step_paste("reconfigure", user_input)

    def _load_entry(self, entry: ConfigEntry) -> None:
        self._credentials = Credentials.from_mapping(entry.data)
        self._signing = SigningMode(entry.data[CONF_SIGNING]) if CONF_SIGNING in entry.data else None

    async def _async_step_paste(self, step_id: str, user_input: dict[str, Any] | None) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        field_label = ""
        if user_input is not None:
            self._skip_status_check = user_input.get(CONF_SKIP_STATUS_CHECK, False)
            text = self._pasted = user_input.get(CONF_CREDENTIALS, "")
            # An empty paste keeps the known credentials (reauth, reconfigure, or skipping the check).
            if text.strip() or self._credentials == Credentials():
                try:
                    token = find_access_token(text)
                    pasted = parse_credentials(text) if token is None else Credentials()
                except LoqedCredentialsError as err:
                    errors[CONF_CREDENTIALS], field_label = credentials_error(err)
                else:
                    if token is not None and self.source != SOURCE_USER:
                        return self._show_paste_form(step_id, {"base": "token_for_api_key_lock"})
                    if token is not None:
                        next_step = await self.async_token_pasted(token)
                        if not isinstance(next_step, str):
                            return next_step
                        return self._show_paste_form(step_id, {"base": next_step})
                    # A new paste replaces what it gives and keeps the rest: fixing a token is one line.
                    self._credentials = updated(self._credentials, pasted)
                    self._checked = False
            if not errors and self.source == SOURCE_USER and self._credentials.lock_id:
                # Refuse a lock that is set up already now, not after the signing menu; a flow of
                # the same lock that a closed browser left behind gives way to this one.
                await self.async_set_unique_id(self._credentials.lock_id, raise_on_progress=False)
                self.abort_if_lock_configured(self._credentials.lock_id)
                self.abort_stale_flows()
            if not errors and self._is_refused_again():
                errors["base"] = "same_credentials"  # a check would only spend a status call
            if not errors:
                return await self._async_continue()
        return self._show_paste_form(step_id, errors, field_label)

    def _is_refused_again(self) -> bool:
        """Return True for a reauth that offers LOQED just the credentials it refused."""
        if self.source != SOURCE_REAUTH or self._skip_status_check:
            return False
        return self._credentials == Credentials.from_mapping(self._get_reauth_entry().data)

    def _show_paste_form(self, step_id: str, errors: dict[str, str], field_label: str = "") -> ConfigFlowResult:
        paste_required = self._credentials == Credentials()
        schema: dict[Any, Any] = {
            (vol.Required if paste_required else vol.Optional)(CONF_CREDENTIALS): _PASTE,
        }
        if errors.get("base") == "budget_exhausted" or self.source == SOURCE_REAUTH:
            schema[vol.Optional(CONF_SKIP_STATUS_CHECK, default=False)] = BooleanSelector()
        return self.async_show_form(
            step_id=step_id,
            # After an error the text stays in the box, so fixing it is an edit, not a new paste.
            data_schema=self.add_suggested_values_to_schema(vol.Schema(schema), {CONF_CREDENTIALS: self._pasted}),
            errors=errors,
            description_placeholders={"field": field_label, "portal_url": PORTAL_URL, "tokens_url": TOKENS_URL},
        )

    async def async_step_details(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask only for the fields the paste did not give."""
        missing = missing_fields(self._credentials)
        errors: dict[str, str] = {}
        field_label = ""
        if user_input is not None:
            values: dict[str, Any] = {}
            for name in missing:
                try:
                    values[name] = normalize_field(name, user_input.get(name))
                except LoqedCredentialsError:
                    errors[name] = "invalid_format"
                    field_label = field_label or FIELD_LABELS[name]
            if not errors:
                self._credentials = replace(self._credentials, **values)
                return await self._async_continue()
        schema = {
            vol.Required(name): TextSelector(
                TextSelectorConfig(type=TextSelectorType.PASSWORD if name in SECRET_FIELDS else TextSelectorType.TEXT)
            )
            for name in missing
        }
        return self.async_show_form(
            step_id="details",
            data_schema=vol.Schema(schema),
            errors=errors,
            description_placeholders={"field": field_label},
        )

    async def async_step_signing(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask who signs the commands, when the credentials allow both."""
        return self.async_show_menu(step_id="signing", menu_options=["sign_local", "sign_server"])

    async def async_step_sign_local(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Sign commands in Home Assistant: the Key never leaves it."""
        self._signing = SigningMode.LOCAL
        return await self._async_continue()

    async def async_step_sign_server(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Use the ready-made URLs: LOQED's server signs."""
        self._signing = SigningMode.SERVER
        return await self._async_continue()

    async def _async_continue(self) -> ConfigFlowResult:
        """Ask for what is missing, check with LOQED (before the signing question), then finish."""
        if missing_fields(self._credentials):
            return await self.async_step_details()
        await self.async_set_unique_id(self._credentials.lock_id, raise_on_progress=False)
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE):
            self._abort_if_unique_id_mismatch(reason="wrong_lock")
        else:
            self.abort_if_lock_configured(str(self._credentials.lock_id))
        if not self._checked and not self._skip_status_check:
            if error := await self._async_check_status():
                return self._show_paste_form(_PASTE_STEP.get(self.source or "", "user"), {"base": error})
            self._checked = True
        if self._signing is None:
            modes = signing_modes(self._credentials)
            if len(modes) > 1:
                return await self.async_step_signing()
            self._signing = modes[0]
        return await self._async_finish()

    async def _async_finish(self) -> ConfigFlowResult:
        data = {**asdict(self._credentials), CONF_SIGNING: self._signing}
        if (entry := self.entry_being_changed()) is not None:
            return self.async_finish_change(entry, {**entry.data, **data})
        data |= await async_create_webhook(self.hass)
        return self.async_create_entry(
            title=f"LOQED {self._credentials.old_lock_id}",
            data=data,
            description_placeholders={"webhook_url": async_webhook_url(self.hass, data)},
        )

    async def _async_check_status(self) -> str | None:
        """Spend one status call from the budget; return an error key, or None when all is well."""
        budget = await async_get_status_budget(self.hass)
        client = LoqedWebClient(async_get_clientsession(self.hass), self._credentials, budget=budget)
        try:
            status = await client.get_status()
        except LoqedError as err:
            reaction = reaction_to(err)
            if reaction.key == "unknown":
                _LOGGER.warning("Unexpected answer while checking the LOQED credentials: %s", err)
            return reaction.key
        # Keep the answer, so that setup right after this spends no second status call. A running
        # lock takes it itself: its own save (at the reload that follows) would overwrite ours.
        entry = self.hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, str(self._credentials.lock_id))
        if entry is not None and entry.state is ConfigEntryState.LOADED:
            entry.runtime_data.locks[None].async_apply_read(LockRead(ReadSource.STATUS, status, time.time()))
            return None
        lock_store = LockStore(self.hass, str(self._credentials.lock_id))
        await lock_store.async_save(apply_status(await lock_store.async_load(), status, time.time()))
        return None
