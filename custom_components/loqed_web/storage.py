"""Persistence through Home Assistant's Store: the lock's last state and the status budget."""

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.singleton import singleton
from homeassistant.helpers.storage import Store
from homeassistant.util.hass_dict import HassKey

from .aioloqedweb import DEFAULT_LIMIT, StatusBudget
from .const import CONF_STATUS_BUDGET, DOMAIN
from .data import LockData

STORAGE_VERSION = 1
# A change is on disk this soon after it came, however many follow: a crash (SIGKILL, power
# loss) loses at most the last second. Half a second leaves room for the write itself.
SAVE_DEADLINE_SECONDS = 0.5
_BUDGET_KEY: HassKey[StatusBudget] = HassKey(f"{DOMAIN}_status_budget")


class LockDataStore:
    """The last known state of one lock, kept across restarts."""

    def __init__(self, hass: HomeAssistant, lock_id: str) -> None:
        """Use the store of the lock with this Lock ID."""
        self._hass = hass
        self._store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, f"{DOMAIN}.{lock_id}")
        self._latest = LockData()
        self._deadline: float | None = None  # loop time by which the pending change is written
        # Diagnostics' recent webhook calls, kept beside the state so reloads and restarts keep them.
        self.stored_deliveries: list[Any] = []
        self.deliveries_source: Callable[[], list[Any]] = lambda: self.stored_deliveries

    async def async_load(self) -> LockData:
        """Return what was saved, or nothing known."""
        stored = await self._store.async_load()
        if not isinstance(stored, dict):
            return LockData()
        deliveries = stored.get("recent_deliveries")
        self.stored_deliveries = deliveries if isinstance(deliveries, list) else []
        return LockData.from_stored(stored)

    async def async_save(self, data: LockData) -> None:
        """Save now."""
        await self._store.async_save(self._serialise(data))

    def async_delay_save(self, data: LockData) -> None:
        """Save `data` within SAVE_DEADLINE_SECONDS; a burst of events makes one write.

        Store.async_delay_save alone would postpone the write on every call, so that a steady
        stream of events never reached the disk: the delay given here shrinks to the deadline
        of the first unsaved change instead. Pending saves are flushed at stop.
        """
        self._latest = data
        now = self._hass.loop.time()
        if self._deadline is None:
            self._deadline = now + SAVE_DEADLINE_SECONDS
        self._store.async_delay_save(self._serialise_latest, max(0.0, self._deadline - now))

    def _serialise_latest(self) -> dict[str, Any]:
        """Return the newest data; called by the Store when it writes."""
        self._deadline = None
        return self._serialise(self._latest)

    def _serialise(self, data: LockData) -> dict[str, Any]:
        return data.as_stored() | {"recent_deliveries": self.deliveries_source()}

    async def async_remove(self) -> None:
        """Delete the saved state."""
        await self._store.async_remove()


class _BudgetStore:
    """A BudgetStore for the client's StatusBudget, on Home Assistant's Store."""

    def __init__(self, hass: HomeAssistant) -> None:
        self._store: Store[dict[str, list[float]]] = Store(hass, STORAGE_VERSION, f"{DOMAIN}.status_budget")

    async def load(self) -> list[float]:
        stored = await self._store.async_load()
        spent = stored.get("spent_at") if isinstance(stored, dict) else None
        return [float(t) for t in spent if isinstance(t, int | float)] if isinstance(spent, list) else []

    async def save(self, spent_at: list[float]) -> None:
        await self._store.async_save({"spent_at": spent_at})


@singleton(_BUDGET_KEY, async_=True)
async def async_get_status_budget(hass: HomeAssistant) -> StatusBudget:
    """Return the one status budget of this Home Assistant.

    Shared by every LOQED entry: LOQED counts per account, and which account a key belongs to
    cannot be told from the key, so counting all together is the safe side.
    """
    budget = StatusBudget(_BudgetStore(hass))
    await budget.load()
    return budget


def budget_limit(options: Mapping[str, Any]) -> int:
    """Return the status calls per 12 hours that an entry's options allow."""
    return int(options.get(CONF_STATUS_BUDGET, DEFAULT_LIMIT))


async def async_apply_budget_limit(
    hass: HomeAssistant, changed: tuple[str, Mapping[str, Any]] | None = None, removed: str | None = None
) -> None:
    """Set the shared budget to the strictest limit among all LOQED Web entries.

    Every entry counts, loaded or not, so the limit does not depend on which entries happen to
    be set up already. `changed` gives the options an options flow is about to save, and
    `removed` an entry that is being removed.
    """
    changed_id, changed_options = changed or ("", {})
    limits = [
        budget_limit(changed_options if entry.entry_id == changed_id else entry.options)
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.entry_id != removed
    ]
    budget = await async_get_status_budget(hass)
    budget.limit = min(limits, default=DEFAULT_LIMIT)
