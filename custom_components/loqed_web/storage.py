"""Persistence through Home Assistant's Store: the lock's last state and the status budget."""

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.singleton import singleton
from homeassistant.helpers.storage import Store
from homeassistant.util.hass_dict import HassKey

from .aioloqedweb import StatusBudget
from .const import DOMAIN
from .data import LockData

STORAGE_VERSION = 1
SAVE_DELAY_SECONDS = 5.0
_BUDGET_KEY: HassKey[StatusBudget] = HassKey(f"{DOMAIN}_status_budget")


class LockDataStore:
    """The last known state of one lock, kept across restarts."""

    def __init__(self, hass: HomeAssistant, lock_id: str) -> None:
        """Use the store of the lock with this Lock ID."""
        self._store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, f"{DOMAIN}.{lock_id}")

    async def async_load(self) -> LockData:
        """Return what was saved, or nothing known."""
        stored = await self._store.async_load()
        return LockData.from_stored(stored) if isinstance(stored, dict) else LockData()

    async def async_save(self, data: LockData) -> None:
        """Save now."""
        await self._store.async_save(data.as_stored())

    def async_delay_save(self, data: LockData) -> None:
        """Save soon; a burst of events makes one write. Pending saves are flushed at stop."""
        self._store.async_delay_save(data.as_stored, SAVE_DELAY_SECONDS)

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
