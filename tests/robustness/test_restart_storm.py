"""Fifty restarts in a row spend no more status calls than the budget allows."""

from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from tests.ha.conftest import STATUS, STATUS_URL, setup_entry

RESTARTS = 50


@pytest.mark.parametrize(("answer", "expected"), [({"status": 503}, 4), ({"json": STATUS}, 1)])
async def test_a_restart_storm(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    external_url: None,
    hass_storage: dict[str, Any],
    figures: dict[str, Any],
    answer: dict[str, Any],
    expected: int,
) -> None:
    """LOQED failing every time (each start would try again), or answering once."""
    aioclient_mock.get(STATUS_URL, **answer)
    await setup_entry(hass, entry)
    for _ in range(RESTARTS - 1):
        assert await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
    assert aioclient_mock.call_count == expected
    budget = hass_storage["loqed_web.status_budget"]["data"]["spent_at"]
    assert len(budget) == expected  # persisted: a real restart reads the same count back
    label = "failing" if "status" in answer else "answering"
    figures[f"status calls in {RESTARTS} restarts, LOQED {label}"] = f"{expected} (budget 4, LOQED's limit 12)"
