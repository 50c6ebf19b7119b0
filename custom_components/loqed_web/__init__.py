"""LOQED Web: LOQED Touch smart locks over LOQED's web API, pushed by webhook."""

import asyncio
import logging
import time
from collections.abc import Callable

from homeassistant.const import CONF_ACCESS_TOKEN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType

from .account import AccountCoordinator
from .aioloqedweb import Credentials, LockRead, LoqedWebClient, SigningMode, find_access_token
from .const import CONF_SIGNING, DOMAIN
from .coordinator import LockCoordinator
from .health import ACCOUNT_REPAIRS, LOCK_REPAIRS, clear_repairs
from .link import ApiKeyLink, LockLink, TokenLink
from .migration import MERGED_INTO, async_merge_token_entries
from .runtime import LockConfig, LoqedConfigEntry, LoqedRuntime, configured_from, is_account, lock_configs
from .storage import LockStore, account_store, async_get_status_budget
from .webhook import async_delete_cloudhook, async_internet_reachable, async_register_webhook

_LOGGER = logging.getLogger(__name__)

PLATFORMS = [Platform.BINARY_SENSOR, Platform.BUTTON, Platform.EVENT, Platform.LOCK, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Before any entry is set up: make one account entry of each token's version 1 entries."""
    await async_merge_token_entries(hass)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: LoqedConfigEntry) -> bool:
    """Version 2 changed token entries only (async_setup merged them); an API key's stays as it is."""
    if entry.version > 2:
        return False  # a newer version's entry: Home Assistant says so
    if entry.version == 1:
        if CONF_ACCESS_TOKEN in entry.data:
            _LOGGER.error("%s: a personal access token's entry of version 1 was not merged", entry.title)
            return False
        hass.config_entries.async_update_entry(entry, version=2)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: LoqedConfigEntry) -> bool:
    """Set up the account (for a token) and each lock: restore, read when due, register webhooks."""
    _clear_entry_repairs(hass, entry)  # derived anew below, from saved facts
    account = await _async_account(hass, entry) if is_account(entry) else None
    coordinators = {
        lock.subentry_id: LockCoordinator(
            hass, entry, lock, await _async_link(hass, entry, lock, account), LockStore(hass, lock.lock_id)
        )
        for lock in lock_configs(entry)
    }
    # Together: a token's locks share one read of the lock list.
    await asyncio.gather(*(coordinator.async_config_entry_first_refresh() for coordinator in coordinators.values()))
    entry.runtime_data = LoqedRuntime(coordinators, account, configured_from(entry))
    for coordinator in coordinators.values():
        async_register_webhook(hass, entry, coordinator)
        coordinator.health.set_reachable(async_internet_reachable(hass, coordinator.lock.cloudhook_url))
        coordinator.async_start()
        if account is not None:
            entry.async_on_unload(account.async_add_listener(_list_listener(account, coordinator)))
    entry.async_on_unload(entry.add_update_listener(_async_configuration_changed))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def _async_account(hass: HomeAssistant, entry: LoqedConfigEntry) -> AccountCoordinator:
    """Return the account of a token entry, after one read of its lock list (which never blocks setup)."""
    token = find_access_token(entry.data[CONF_ACCESS_TOKEN])
    if token is None or token.is_expired(time.time()):
        raise ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key="token_expired")
    blocked_until = await account_store(hass).async_load_blocked_until(entry.entry_id)
    account = AccountCoordinator(hass, entry, token, blocked_until)
    await account.async_refresh()
    if isinstance(account.last_exception, ConfigEntryAuthFailed):
        raise account.last_exception
    account.async_start()
    return account


async def _async_link(
    hass: HomeAssistant, entry: LoqedConfigEntry, lock: LockConfig, account: AccountCoordinator | None
) -> LockLink:
    """Return how a lock is reached: through its account's token, or with its API key."""
    if account is not None:
        return TokenLink(account, lock.lock_id)
    budget = await async_get_status_budget(hass)
    client = LoqedWebClient(async_get_clientsession(hass), Credentials.from_mapping(entry.data), budget=budget)
    return ApiKeyLink(client, SigningMode(entry.data[CONF_SIGNING]))


def _list_listener(account: AccountCoordinator, coordinator: LockCoordinator) -> Callable[[], None]:
    """Hand each fresh read of the account's lock list to the lock's coordinator."""

    def listener() -> None:
        if account.data is not None:
            coordinator.async_apply_read(LockRead.from_list(account.data, coordinator.lock.lock_id))

    return listener


async def _async_configuration_changed(hass: HomeAssistant, entry: LoqedConfigEntry) -> None:
    """Set the entry up again when what it was set up from changed; forget a removed lock.

    The one place that reloads for a change made while it runs (flows change, this reloads), so
    that no flow reloads an entry with an update listener. A numeric id learnt from a webhook
    changes a subentry too, but is applied at once and needs no reload.
    """
    runtime = entry.runtime_data
    if configured_from(entry) == runtime.configured:
        return
    removed = [
        coordinator.lock
        for subentry_id, coordinator in runtime.locks.items()
        if subentry_id is not None and subentry_id not in entry.subentries
    ]
    await hass.config_entries.async_reload(entry.entry_id)
    for lock in removed:
        await _async_forget_lock(hass, lock)


async def async_unload_entry(hass: HomeAssistant, entry: LoqedConfigEntry) -> bool:
    """Unload the entities and take the entry's repairs away; webhooks go with the unload callbacks."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        _clear_entry_repairs(hass, entry)
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: LoqedConfigEntry) -> None:
    """Delete the cloudhooks, the saved states and the repairs of a removed entry's locks."""
    if MERGED_INTO in entry.data:
        return  # a version 1 entry merged into an account: its lock lives on there
    for lock in lock_configs(entry):
        await _async_forget_lock(hass, lock)
    if is_account(entry):
        clear_repairs(hass, entry.entry_id, ACCOUNT_REPAIRS)
        await account_store(hass).async_remove(entry.entry_id)


async def _async_forget_lock(hass: HomeAssistant, lock: LockConfig) -> None:
    """Delete what a removed lock left: its cloudhook, saved state and repairs."""
    await async_delete_cloudhook(hass, lock.webhook_id, lock.cloudhook_url, lock.title)
    await LockStore(hass, lock.lock_id).async_remove()
    clear_repairs(hass, lock.key, LOCK_REPAIRS)


def _clear_entry_repairs(hass: HomeAssistant, entry: LoqedConfigEntry) -> None:
    for lock in lock_configs(entry):
        clear_repairs(hass, lock.key, LOCK_REPAIRS)
    if is_account(entry):
        clear_repairs(hass, entry.entry_id, ACCOUNT_REPAIRS)
