"""LOQED Web: LOQED Touch smart locks over LOQED's web API, pushed by webhook."""

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .aioloqedweb import Credentials, LoqedWebClient, SigningMode
from .const import CONF_SIGNING, DOMAIN
from .coordinator import LoqedConfigEntry, LoqedCoordinator
from .issues import async_reachability_issue
from .storage import LockDataStore, async_apply_budget_limit, async_get_status_budget
from .webhook import async_delete_cloudhook, async_internet_reachable, async_register_webhook

PLATFORMS = [Platform.BINARY_SENSOR, Platform.EVENT, Platform.LOCK, Platform.SENSOR]


async def async_setup_entry(hass: HomeAssistant, entry: LoqedConfigEntry) -> bool:
    """Restore the lock's state, register the webhook, and add the entities."""
    credentials = Credentials.from_mapping(entry.data)
    client = LoqedWebClient(async_get_clientsession(hass), credentials, budget=await async_get_status_budget(hass))
    coordinator = LoqedCoordinator(
        hass, entry, client, LockDataStore(hass, str(entry.unique_id)), SigningMode(entry.data[CONF_SIGNING])
    )
    await async_apply_budget_limit(hass, changed=(entry.entry_id, entry.options))
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator

    # Registered after everything that can fail, and unregistered on unload or failed setup.
    async_register_webhook(hass, entry, coordinator)
    async_reachability_issue(hass, entry.entry_id, entry.title, async_internet_reachable(hass, entry))
    coordinator.async_watch_for_first_event()
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: LoqedConfigEntry) -> bool:
    """Unload the entities; the webhook goes with the entry's unload callbacks."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: LoqedConfigEntry) -> None:
    """Delete the cloudhook and the saved state of a removed lock."""
    await async_delete_cloudhook(hass, entry)
    await LockDataStore(hass, str(entry.unique_id)).async_remove()


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: LoqedConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Allow removing a device that is not this entry's lock (a stale one); the lock stays."""
    return (DOMAIN, entry.unique_id) not in device.identifiers
