"""What a config entry runs, and what each of its locks is set up from.

An API key's entry is one lock. A personal access token's entry is an account: its locks are
config subentries, each with its own webhook, and it reads the account's lock list for all.
"""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_ACCESS_TOKEN, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant

from .const import CONF_CLOUDHOOK_URL, CONF_LOCK_ID, CONF_OLD_LOCK_ID, CONF_RECONCILE_MINUTES, DOMAIN, SUBENTRY_LOCK

if TYPE_CHECKING:
    from .account import AccountCoordinator
    from .coordinator import LockCoordinator

# Subentry data the integration writes itself while running (learnt from LOQED's webhooks):
# applied at once, so a change of it needs no reload.
LEARNT_FIELDS = frozenset({CONF_OLD_LOCK_ID})


@dataclass(frozen=True, slots=True)
class LockConfig:
    """One lock of an entry: the entry itself (an API key), or one of its subentries (a token)."""

    key: str  # the subentry id, or the entry id for an API key's lock: names its repairs
    subentry_id: str | None
    title: str
    lock_id: str
    old_lock_id: str | None
    webhook_id: str
    cloudhook_url: str | None

    @property
    def webhook_data(self) -> dict[str, str | None]:
        """Return the lock's webhook as entry data holds it."""
        return {CONF_WEBHOOK_ID: self.webhook_id, CONF_CLOUDHOOK_URL: self.cloudhook_url}

    @classmethod
    def from_data(cls, key: str, subentry_id: str | None, title: str, data: Mapping[str, Any]) -> LockConfig:
        """Read a lock from an entry's or a subentry's data."""
        return cls(
            key=key,
            subentry_id=subentry_id,
            title=title,
            lock_id=str(data[CONF_LOCK_ID]),
            old_lock_id=str(data[CONF_OLD_LOCK_ID]) if data.get(CONF_OLD_LOCK_ID) else None,
            webhook_id=str(data[CONF_WEBHOOK_ID]),
            cloudhook_url=data.get(CONF_CLOUDHOOK_URL),
        )


def account_title(lock_names: Iterable[str]) -> str:
    """Return an account entry's title: its locks' names, as the LOQED app shows them (no e-mail)."""
    return f"LOQED ({', '.join(lock_names)})"


def account_key(token: str) -> str:
    """Return the short name version 1 gave a token's account (it does not give the token away)."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def is_account(entry: ConfigEntry) -> bool:
    """Return True for the entry of a personal access token (an account with its locks)."""
    return CONF_ACCESS_TOKEN in entry.data


def lock_configs(entry: ConfigEntry) -> list[LockConfig]:
    """Return the locks of an entry."""
    if not is_account(entry):
        return [LockConfig.from_data(entry.entry_id, None, entry.title, entry.data)]
    return [
        LockConfig.from_data(subentry.subentry_id, subentry.subentry_id, subentry.title, subentry.data)
        for subentry in entry.subentries.values()
        if subentry.subentry_type == SUBENTRY_LOCK
    ]


def configured_lock_ids(hass: HomeAssistant, *, include_ignored: bool = True) -> set[str]:
    """Return the Lock IDs set up already, with an API key or under an account (and ignored ones)."""
    lock_ids: set[str] = set()
    for entry in hass.config_entries.async_entries(DOMAIN, include_ignore=include_ignored):
        if is_account(entry):
            lock_ids.update(lock.lock_id for lock in lock_configs(entry))
        elif entry.unique_id is not None:
            lock_ids.add(entry.unique_id)
    return lock_ids


def configured_from(entry: ConfigEntry) -> tuple[object, ...]:
    """Return what the entry's setup depends on; when it changes, the entry is set up again.

    Not the timeout and the silence hours: they are read where they are used, so they apply at once.
    """
    subentries = {
        subentry_id: (subentry.title, {key: value for key, value in subentry.data.items() if key not in LEARNT_FIELDS})
        for subentry_id, subentry in entry.subentries.items()
    }
    return (dict(entry.data), entry.options.get(CONF_RECONCILE_MINUTES), subentries)


@dataclass(slots=True)
class LoqedRuntime:
    """The running parts of one config entry."""

    locks: dict[str | None, LockCoordinator]  # by subentry id; None: an API key's one lock
    account: AccountCoordinator | None
    configured: tuple[object, ...]  # what setup used (see configured_from)


type LoqedConfigEntry = ConfigEntry[LoqedRuntime]
