"""LOQED Web: LOQED Touch smart locks over LOQED's web API, pushed by webhook."""

import time

from homeassistant.const import CONF_ACCESS_TOKEN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .account import async_get_account, async_remove_account_issues
from .aioloqedweb import AccountLock, Credentials, LoqedWebClient, SigningMode, find_access_token
from .const import CONF_RECONCILE_MINUTES, CONF_SIGNING, DOMAIN, RECONCILE_MINUTES
from .coordinator import LoqedConfigEntry, LoqedCoordinator
from .issues import async_remove_entry_issues
from .link import ApiKeyLink, LockLink, TokenLink
from .storage import LockDataStore, async_get_status_budget
from .webhook import async_delete_cloudhook, async_internet_reachable, async_register_webhook

PLATFORMS = [Platform.BINARY_SENSOR, Platform.BUTTON, Platform.EVENT, Platform.LOCK, Platform.SENSOR]


async def async_setup_entry(hass: HomeAssistant, entry: LoqedConfigEntry) -> bool:
    """Restore the lock's state, register the webhook, and add the entities."""
    link = await _async_link(hass, entry)
    coordinator = LoqedCoordinator(hass, entry, link, LockDataStore(hass, str(entry.unique_id)))
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator

    # Registered after everything that can fail, and unregistered on unload or failed setup.
    async_register_webhook(hass, entry, coordinator)
    if isinstance(link, TokenLink):

        def reconcile(locks: dict[str, AccountLock]) -> None:
            if (lock := locks.get(link.lock_id)) is not None:
                coordinator.async_reconcile(lock.status)

        account = link.account

        async def options_changed(_hass: HomeAssistant, changed: LoqedConfigEntry) -> None:
            # A new interval applies at once; the account's timer serves all its locks.
            account.async_set_minutes(changed, _reconcile_minutes(changed))

        entry.async_on_unload(account.async_add_lock(entry, _reconcile_minutes(entry), reconcile))
        entry.async_on_unload(entry.add_update_listener(options_changed))
    coordinator.async_set_reachable(async_internet_reachable(hass, entry))
    coordinator.async_start_watches()
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


def _reconcile_minutes(entry: LoqedConfigEntry) -> int:
    """Return how often a token lock's list is read, in minutes (0: not on a schedule)."""
    return int(entry.options.get(CONF_RECONCILE_MINUTES, RECONCILE_MINUTES))


async def _async_link(hass: HomeAssistant, entry: LoqedConfigEntry) -> LockLink:
    """Return how this entry reaches its lock: an API key, or the account's personal access token."""
    if CONF_ACCESS_TOKEN not in entry.data:
        client = LoqedWebClient(
            async_get_clientsession(hass),
            Credentials.from_mapping(entry.data),
            budget=await async_get_status_budget(hass),
        )
        return ApiKeyLink(client, SigningMode(entry.data[CONF_SIGNING]))
    token = find_access_token(entry.data[CONF_ACCESS_TOKEN])
    if token is None or token.is_expired(time.time()):
        raise ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key="token_expired")
    return TokenLink(await async_get_account(hass, token), str(entry.unique_id), entry.data.get("old_lock_id"))


async def async_unload_entry(hass: HomeAssistant, entry: LoqedConfigEntry) -> bool:
    """Unload the entities; the webhook goes with the entry's unload callbacks."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: LoqedConfigEntry) -> None:
    """Delete the cloudhook, the saved state and the repair issues of a removed lock."""
    await async_delete_cloudhook(hass, entry.data, entry.title)
    await LockDataStore(hass, str(entry.unique_id)).async_remove()
    async_remove_entry_issues(hass, entry.entry_id)
    if CONF_ACCESS_TOKEN in entry.data:
        async_remove_account_issues(hass, entry.data[CONF_ACCESS_TOKEN])
