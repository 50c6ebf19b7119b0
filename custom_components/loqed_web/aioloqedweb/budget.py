"""A budget for LOQED's rate-limited status call, counted over a rolling window.

LOQED blocks an account for 12 hours after more than 12 status calls in 12 hours. The budget
keeps the times of the calls spent and persists them through an injected store, so a restart
of the host does not reset it.
"""

from collections.abc import Callable
from typing import Protocol

from .clock import wall_clock

DEFAULT_LIMIT = 4
WINDOW_SECONDS = 12 * 3600
LOQED_LIMIT = 12


class BudgetStore(Protocol):
    """Keeps the times (unix seconds) of spent status calls."""

    async def load(self) -> list[float]:
        """Return the times saved last, or an empty list."""

    async def save(self, spent_at: list[float]) -> None:
        """Persist the times of spent calls."""


class StatusBudget:
    """At most `limit` status calls per rolling `window` seconds."""

    def __init__(
        self,
        store: BudgetStore,
        limit: int = DEFAULT_LIMIT,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = wall_clock,
    ) -> None:
        """Create a budget; call `load` before spending."""
        self._store = store
        self.limit = limit
        self._window = window
        self._clock = clock
        self._spent_at: list[float] = []

    @property
    def limit(self) -> int:
        """How many status calls the window allows."""
        return self._limit

    @limit.setter
    def limit(self, limit: int) -> None:
        if not 1 <= limit <= LOQED_LIMIT:
            raise ValueError(f"limit must be 1..{LOQED_LIMIT}, got {limit}")
        self._limit = limit

    async def load(self) -> None:
        """Read the calls spent before, for example before a restart."""
        self._spent_at = sorted(float(t) for t in await self._store.load())

    def _in_window(self) -> list[float]:
        # A clock that jumped back still counts calls "from the future" as spent.
        start = self._clock() - self._window
        return [t for t in self._spent_at if t > start]

    @property
    def remaining(self) -> int:
        """How many status calls may be made now."""
        return max(0, self.limit - len(self._in_window()))

    @property
    def spent_at(self) -> list[float]:
        """The times of the calls that still count against the window."""
        return self._in_window()

    @property
    def available_at(self) -> float:
        """When the next call is allowed: now, or when the oldest counted call expires."""
        spent = self._in_window()
        if len(spent) < self.limit:
            return self._clock()
        return spent[len(spent) - self.limit] + self._window

    async def try_spend(self) -> bool:
        """Spend one call and persist it, or return False when none is left."""
        if self.remaining == 0:
            return False
        self._spent_at = [*self._in_window(), self._clock()]
        await self._store.save(self._spent_at)
        return True

    async def refund(self) -> None:
        """Give back the last call, for a request that provably never left this host."""
        if self._spent_at:
            self._spent_at.pop()
            await self._store.save(self._spent_at)
