"""The status budget counts calls over a rolling window and survives restarts."""

import pytest

from custom_components.loqed_web.aioloqedweb import StatusBudget

HOUR = 3600.0


class MemoryStore:
    """A BudgetStore that outlives the budgets using it, like Home Assistant's Store."""

    def __init__(self) -> None:
        self.saved: list[float] = []
        self.saves = 0

    async def load(self) -> list[float]:
        return list(self.saved)

    async def save(self, spent_at: list[float]) -> None:
        self.saved = list(spent_at)
        self.saves += 1


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


async def new_budget(store: MemoryStore, clock: Clock, limit: int = 4) -> StatusBudget:
    budget = StatusBudget(store, limit=limit, clock=clock)
    await budget.load()
    return budget


async def test_spends_up_to_the_limit_then_refuses() -> None:
    store, clock = MemoryStore(), Clock()
    budget = await new_budget(store, clock)
    assert budget.remaining == 4
    assert [await budget.try_spend() for _ in range(5)] == [True, True, True, True, False]
    assert budget.remaining == 0
    assert store.saves == 4


async def test_the_window_rolls() -> None:
    store, clock = MemoryStore(), Clock()
    budget = await new_budget(store, clock, limit=2)
    await budget.try_spend()
    clock.now += 5 * HOUR
    await budget.try_spend()
    assert budget.available_at == clock.now - 5 * HOUR + 12 * HOUR
    clock.now += 7 * HOUR  # the first call is now exactly 12 hours old
    assert budget.remaining == 1
    assert budget.spent_at == [clock.now - 7 * HOUR]


async def test_available_at_is_now_while_calls_remain() -> None:
    clock = Clock()
    budget = await new_budget(MemoryStore(), clock)
    assert budget.available_at == clock.now


async def test_a_restart_storm_spends_no_more_than_the_limit() -> None:
    store, clock = MemoryStore(), Clock()
    spent = 0
    for _ in range(50):  # 50 restarts in an hour, each trying one status call
        budget = await new_budget(store, clock)
        spent += await budget.try_spend()
        clock.now += 72
    assert spent == 4


async def test_refund_gives_back_the_last_call() -> None:
    store, clock = MemoryStore(), Clock()
    budget = await new_budget(store, clock, limit=1)
    await budget.try_spend()
    await budget.refund()
    assert budget.remaining == 1
    assert store.saved == []
    await budget.refund()  # nothing to give back: no error, no change
    assert budget.remaining == 1


async def test_a_clock_that_jumped_back_still_counts_the_calls() -> None:
    store, clock = MemoryStore(), Clock()
    budget = await new_budget(store, clock, limit=1)
    await budget.try_spend()
    clock.now -= 2 * HOUR
    assert budget.remaining == 0


@pytest.mark.parametrize("limit", [0, 13])
def test_limit_must_stay_under_loqeds_own(limit: int) -> None:
    with pytest.raises(ValueError, match=r"limit must be 1\.\.12"):
        StatusBudget(MemoryStore(), limit=limit)
