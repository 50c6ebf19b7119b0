"""Persistence through Home Assistant's Store: each lock's state, an account's back-off, the status budget."""

import time
from collections.abc import Callable
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.singleton import singleton
from homeassistant.helpers.storage import Store
from homeassistant.util.hass_dict import HassKey

from .aioloqedweb import DEFAULT_LIMIT, LOQED_LIMIT, LockData, StatusBudget
from .const import DOMAIN, OLD_CONF_STATUS_BUDGET
from .health import HealthFacts

STORAGE_VERSION = 1
# A change is on disk this soon after it came, however many follow: a crash (SIGKILL, power
# loss) loses at most the last second. Half a second leaves room for the write itself.
SAVE_DEADLINE_SECONDS = 0.5
_BUDGET_KEY: HassKey[StatusBudget] = HassKey(f"{DOMAIN}_status_budget")
_BUDGET_STORE_KEY: HassKey[_BudgetStore] = HassKey(f"{DOMAIN}_status_budget_store")
_ACCOUNT_STORE_KEY: HassKey[AccountStore] = HassKey(f"{DOMAIN}_account_store")


class LockStore:
    """The last known state of one lock and its health facts, kept across restarts."""

    def __init__(self, hass: HomeAssistant, lock_id: str) -> None:
        """Use the store of the lock with this Lock ID."""
        self._hass = hass
        self._store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, f"{DOMAIN}.{lock_id}")
        self._latest = LockData()
        self._deadline: float | None = None  # loop time by which the pending change is written
        self.facts = HealthFacts()
        # Diagnostics' recent webhook calls, kept beside the state so reloads and restarts keep them.
        self.stored_deliveries: list[Any] = []
        self.deliveries_source: Callable[[], list[Any]] = lambda: self.stored_deliveries

    async def async_load(self) -> LockData:
        """Return what was saved, or nothing known; the health facts and deliveries come with it."""
        stored = await self._store.async_load()
        if not isinstance(stored, dict):
            self.facts = HealthFacts(listening_since=time.time())  # a new lock: silence counts from now
            return LockData()
        deliveries = stored.get("recent_deliveries")
        self.stored_deliveries = deliveries if isinstance(deliveries, list) else []
        self.facts = HealthFacts.from_stored(stored.get("health"))
        return LockData.from_stored(stored)

    async def async_save(self, data: LockData) -> None:
        """Save now."""
        self._deadline = None  # a save now replaces a pending one
        self._latest = data
        await self._store.async_save(self._serialise(data))

    def async_save_facts(self, facts: HealthFacts) -> None:
        """Keep new health facts, with the newest data."""
        self.facts = facts
        self.async_delay_save(self._latest)

    def async_delay_save(self, data: LockData) -> None:
        """Save `data` within SAVE_DEADLINE_SECONDS; a burst of events makes one write.

        Store.async_delay_save alone would postpone the write on every call, so that a steady
        stream of events never reached the disk: it is called once per unsaved change, and the
        write it schedules takes whatever is newest then. Pending saves are flushed at stop.
        """
        self._latest = data
        if self._deadline is not None:
            return  # a write is due by the deadline already, and it takes the newest data
        self._deadline = self._hass.loop.time() + SAVE_DEADLINE_SECONDS
        self._store.async_delay_save(self._serialise_latest, SAVE_DEADLINE_SECONDS)

    def _serialise_latest(self) -> dict[str, Any]:
        """Return the newest data; called by the Store when it writes."""
        self._deadline = None
        return self._serialise(self._latest)

    def _serialise(self, data: LockData) -> dict[str, Any]:
        return data.as_stored() | {"health": self.facts.as_stored(), "recent_deliveries": self.deliveries_source()}

    async def async_remove(self) -> None:
        """Delete the saved state."""
        await self._store.async_remove()


class AccountStore:
    """What each account keeps across restarts: until when its lock list is not read (after a 429)."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Use the one store of all accounts, keyed by config entry id."""
        self._store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, f"{DOMAIN}.accounts")

    async def async_load_blocked_until(self, entry_id: str) -> float | None:
        """Return when the account's back-off ends, if one was saved."""
        saved = (await self._store.async_load() or {}).get(entry_id)
        blocked_until = saved.get("blocked_until") if isinstance(saved, dict) else None
        return float(blocked_until) if isinstance(blocked_until, int | float) else None

    async def async_save_blocked_until(self, entry_id: str, blocked_until: float | None) -> None:
        """Keep when the account's back-off ends (None: it ended)."""
        stored = await self._store.async_load() or {}
        stored[entry_id] = {"blocked_until": blocked_until}
        await self._store.async_save(stored)

    async def async_remove(self, entry_id: str) -> None:
        """Forget a removed account."""
        stored = await self._store.async_load() or {}
        if stored.pop(entry_id, None) is not None:
            await self._store.async_save(stored)

    async def async_rename(self, old_key: str, entry_id: str) -> None:
        """Keep what was saved under `old_key` (a version 1 account) for the entry `entry_id`."""
        stored = await self._store.async_load() or {}
        if (saved := stored.pop(old_key, None)) is not None:
            stored.setdefault(entry_id, saved)
            await self._store.async_save(stored)


@singleton(_ACCOUNT_STORE_KEY)
def account_store(hass: HomeAssistant) -> AccountStore:
    """Return the one store of all accounts (one Store object, so that saves never interleave)."""
    return AccountStore(hass)


class _BudgetStore:
    """A BudgetStore for the client's StatusBudget on Home Assistant's Store, with its limit.

    The limit is one setting of the whole integration (LOQED counts per account), kept here
    so that adding or removing a lock never changes it.
    """

    def __init__(self, hass: HomeAssistant) -> None:
        self._store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, f"{DOMAIN}.status_budget")
        self.limit: int | None = None
        self._spent_at: list[float] = []

    async def load(self) -> list[float]:
        stored = await self._store.async_load()
        stored = stored if isinstance(stored, dict) else {}
        spent, limit = stored.get("spent_at"), stored.get("limit")
        self._spent_at = [float(t) for t in spent if isinstance(t, int | float)] if isinstance(spent, list) else []
        self.limit = limit if isinstance(limit, int) and 1 <= limit <= LOQED_LIMIT else None
        return self._spent_at

    async def save(self, spent_at: list[float]) -> None:
        self._spent_at = spent_at
        await self._store.async_save({"spent_at": spent_at, "limit": self.limit})

    async def async_save_limit(self, limit: int) -> None:
        """Keep a new limit, with the calls spent so far."""
        self.limit = limit
        await self.save(self._spent_at)


@singleton(_BUDGET_STORE_KEY)
def _budget_store(hass: HomeAssistant) -> _BudgetStore:
    return _BudgetStore(hass)


@singleton(_BUDGET_KEY, async_=True)
async def async_get_status_budget(hass: HomeAssistant) -> StatusBudget:
    """Return the one status budget of this Home Assistant, with its saved limit.

    Shared by every LOQED entry: LOQED counts per account, and which account a key belongs to
    cannot be told from the key, so counting all together is the safe side.
    """
    store = _budget_store(hass)
    budget = StatusBudget(store)
    await budget.load()
    if store.limit is None:
        # Saved before the limit was one setting: the strictest per-lock option it had, if any.
        limits = [int(entry.options[OLD_CONF_STATUS_BUDGET]) for entry in hass.config_entries.async_entries(DOMAIN)
                  if isinstance(entry.options.get(OLD_CONF_STATUS_BUDGET), int)]  # fmt: skip
        store.limit = min(limits, default=DEFAULT_LIMIT)
    budget.limit = store.limit
    return budget


async def async_set_budget_limit(hass: HomeAssistant, limit: int) -> None:
    """Change the status calls per 12 hours for all locks, and keep the setting."""
    budget = await async_get_status_budget(hass)
    budget.limit = limit
    await _budget_store(hass).async_save_limit(limit)
