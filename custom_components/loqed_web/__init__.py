"""LOQED Web: LOQED Touch smart locks over LOQED's web API, pushed by webhook."""

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .aioloqedweb import Credentials, LoqedWebClient, SigningMode
from .const import CONF_SIGNING
from .coordinator import LoqedConfigEntry, LoqedCoordinator
from .issues import async_remove_entry_issues
from .storage import LockDataStore, async_get_status_budget
from .webhook import async_delete_cloudhook, async_internet_reachable, async_register_webhook

PLATFORMS = [Platform.BINARY_SENSOR, Platform.BUTTON, Platform.EVENT, Platform.LOCK, Platform.SENSOR]


async def async_setup_entry(hass: HomeAssistant, entry: LoqedConfigEntry) -> bool:
    """Restore the lock's state, register the webhook, and add the entities."""
    credentials = Credentials.from_mapping(entry.data)
    client = LoqedWebClient(async_get_clientsession(hass), credentials, budget=await async_get_status_budget(hass))
    coordinator = LoqedCoordinator(
        hass, entry, client, LockDataStore(hass, str(entry.unique_id)), SigningMode(entry.data[CONF_SIGNING])
    )
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator

    # Registered after everything that can fail, and unregistered on unload or failed setup.
    async_register_webhook(hass, entry, coordinator)
    coordinator.async_set_reachable(async_internet_reachable(hass, entry))
    coordinator.async_start_watches()
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: LoqedConfigEntry) -> bool:
    """Unload the entities; the webhook goes with the entry's unload callbacks."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: LoqedConfigEntry) -> None:
    """Delete the cloudhook, the saved state and the repair issues of a removed lock."""
    await async_delete_cloudhook(hass, entry.data, entry.title)
    await LockDataStore(hass, str(entry.unique_id)).async_remove()
    async_remove_entry_issues(hass, entry.entry_id)
