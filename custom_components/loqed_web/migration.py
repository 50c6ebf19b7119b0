"""Version 1 → 2: one config entry per personal access token, its locks under it as subentries.

Version 1 made one entry per lock of a token, each with a copy of the token. This merges the
entries of each token into one account entry (the first of them, kept in place), each lock
becoming a subentry whose id is its old entry's id. Devices, entities (with the ids and names
the user gave them), saved states (by Lock ID) and webhooks stay, so the URLs on LOQED's portal
keep working. It runs in `async_setup`, before any entry is set up, and it is idempotent: a
restart in the middle finishes the job from what was saved.
"""

import inspect
import logging
from collections import defaultdict
from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntry, ConfigSubentry
from homeassistant.const import CONF_ACCESS_TOKEN, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.typing import UNDEFINED

from .const import (
    CONF_CLOUDHOOK_URL,
    CONF_LOCK_ID,
    CONF_OLD_LOCK_ID,
    CONF_RECONCILE_MINUTES,
    DOMAIN,
    SUBENTRY_LOCK,
)
from .runtime import account_key, account_title
from .storage import account_store

_LOGGER = logging.getLogger(__name__)

# Set on a version 1 entry merged into its account, just before it is removed.
MERGED_INTO = "merged_into"
_LOCK_FIELDS = (CONF_LOCK_ID, CONF_OLD_LOCK_ID, CONF_WEBHOOK_ID, CONF_CLOUDHOOK_URL)
# Home Assistant 2026.8 moves devices with new_config_entry_id; older releases add and remove.
_MOVES_DEVICES = "new_config_entry_id" in inspect.signature(dr.DeviceRegistry.async_update_device).parameters


async def async_merge_token_entries(hass: HomeAssistant) -> None:
    """Make one account entry of the version 1 entries of each personal access token."""
    groups: dict[str, list[ConfigEntry]] = defaultdict(list)
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.version == 1 and MERGED_INTO in entry.data:
            await hass.config_entries.async_remove(entry.entry_id)  # merged before a restart
        elif entry.version == 1 and CONF_ACCESS_TOKEN in entry.data:
            groups[entry.data[CONF_ACCESS_TOKEN]].append(entry)
    for token, entries in groups.items():
        await _async_merge(hass, token, entries)


async def _async_merge(hass: HomeAssistant, token: str, entries: list[ConfigEntry]) -> None:
    """Merge the version 1 entries of `token` into its account entry."""
    account = next(
        (
            entry
            for entry in hass.config_entries.async_entries(DOMAIN)
            if entry.version >= 2 and entry.data.get(CONF_ACCESS_TOKEN) == token
        ),
        None,
    )
    if account is None:
        # Converted in place, keeping its entry id: the one the user set up, not one the flow added.
        account = next((entry for entry in entries if entry.source == SOURCE_USER), entries[0])
    entries = sorted(entries, key=lambda entry: entry is not account)  # the account's own lock first
    for entry in entries:
        if entry.entry_id not in account.subentries:
            hass.config_entries.async_add_subentry(account, _lock_subentry(entry))
    names = [subentry.title for subentry in account.subentries.values()]
    hass.config_entries.async_update_entry(
        account,
        data={CONF_ACCESS_TOKEN: token},
        options=_merged_options([account, *entries] if account not in entries else entries),
        title=account_title(names) if account in entries else account.title,
        unique_id=None,
        version=2,
    )
    for subentry_id, subentry in account.subentries.items():  # also those of a merge cut short
        _move_registry_entries(hass, subentry_id, str(subentry.unique_id), account.entry_id)
    for entry in entries:
        if entry is not account:
            hass.config_entries.async_update_entry(entry, data={**entry.data, MERGED_INTO: account.entry_id})
            await hass.config_entries.async_remove(entry.entry_id)
    await account_store(hass).async_rename(account_key(token), account.entry_id)
    for issue in ("token_expiring", "lock_list_blocked"):  # version 1 named them by the token
        ir.async_delete_issue(hass, DOMAIN, f"{issue}_{account_key(token)}")
    _LOGGER.info("Merged %s lock(s) of one personal access token into the entry %s", len(entries), account.title)


def _lock_subentry(entry: ConfigEntry) -> ConfigSubentry:
    """Return the subentry of a version 1 entry's lock; its id is the old entry's id."""
    data = {key: entry.data[key] for key in _LOCK_FIELDS if entry.data.get(key) is not None}
    return ConfigSubentry(
        data=MappingProxyType(data),
        subentry_id=entry.entry_id,
        subentry_type=SUBENTRY_LOCK,
        title=entry.title,
        unique_id=str(entry.data[CONF_LOCK_ID]),
    )


def _merged_options(entries: list[ConfigEntry]) -> dict[str, Any]:
    """Return one account's options from its locks': the first lock's, read as often as any lock asked.

    Version 1 read the shared list at the shortest interval any lock of the token chose.
    """
    options: dict[str, Any] = {}
    for entry in entries:
        for key, value in entry.options.items():
            options.setdefault(key, value)
    intervals = [
        int(entry.options[CONF_RECONCILE_MINUTES]) for entry in entries if CONF_RECONCILE_MINUTES in entry.options
    ]
    if intervals:
        options[CONF_RECONCILE_MINUTES] = min((minutes for minutes in intervals if minutes > 0), default=0)
    return options


def _move_registry_entries(hass: HomeAssistant, old_entry_id: str, lock_id: str, account_id: str) -> None:
    """Move the device and entities of a version 1 entry's lock to its subentry of the account."""
    subentry_id = old_entry_id
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    for owner in {old_entry_id, account_id}:
        for device in dr.async_entries_for_config_entry(devices, owner):
            if (DOMAIN, lock_id) in device.identifiers and not _in(device, account_id, subentry_id):
                _move_device(devices, device.id, owner, account_id, subentry_id)
        for entity in er.async_entries_for_config_entry(entities, owner):
            if entity.unique_id.startswith(f"{lock_id}-") and entity.config_subentry_id != subentry_id:
                entities.async_update_entity(
                    entity.entity_id, config_entry_id=account_id, config_subentry_id=subentry_id
                )


def _in(device: dr.DeviceEntry, entry_id: str, subentry_id: str) -> bool:
    """Return True when the device belongs to the subentry `subentry_id` of `entry_id` alone."""
    if _MOVES_DEVICES:
        return (device.config_entry_id, device.config_subentry_id) == (entry_id, subentry_id)  # 2026.8+
    return device.config_entries_subentries == {entry_id: {subentry_id}}


def _move_device(devices: dr.DeviceRegistry, device_id: str, owner: str, entry_id: str, subentry_id: str) -> None:
    if _MOVES_DEVICES:
        devices.async_update_device(
            device_id, new_config_entry_id=entry_id, new_config_subentry_id=subentry_id
        )  # 2026.8+
        return
    # Before 2026.8 a device may belong to several entries: add the subentry, then take the old owner away.
    devices.async_update_device(device_id, add_config_entry_id=entry_id, add_config_subentry_id=subentry_id)
    devices.async_update_device(
        device_id, remove_config_entry_id=owner, remove_config_subentry_id=None if owner == entry_id else UNDEFINED
    )
