"""Repair issues appear when the user must act, and go away by themselves."""

import logging
import time
from datetime import timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.const import DOMAIN

from .conftest import LOCK_ID, WEBHOOK_ID, advance, setup_entry, stored_budget, stored_lock


async def test_no_event_within_24_hours_of_setup(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, loaded: MockConfigEntry, hass_client_no_auth: Any
) -> None:
    # freezer first: timers must be scheduled on the frozen clock they are later fired by
    issue_id = f"no_events_{loaded.entry_id}"
    await advance(hass, freezer, timedelta(hours=23))
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    await advance(hass, freezer, timedelta(hours=1, seconds=1))
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "no_events"
    client = await hass_client_no_auth()
    await client.post(f"/api/webhook/{WEBHOOK_ID}", json={"online": 1})
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_an_old_entry_without_events_raises_it_at_start(
    hass: HomeAssistant,
    entry_data: dict[str, Any],
    status_mock: AiohttpClientMocker,
    external_url: None,
    hass_storage: dict[str, Any],
) -> None:
    hass_storage[f"{DOMAIN}.{LOCK_ID}"] = stored_lock()  # saved by a version that kept no health facts
    entry = MockConfigEntry(domain=DOMAIN, unique_id=LOCK_ID, data=entry_data)
    entry.created_at = entry.created_at - timedelta(days=2)
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"no_events_{entry.entry_id}") is not None


async def test_a_lock_with_recent_events_raises_nothing_within_the_threshold(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    external_url: None,
) -> None:
    hass_storage[f"{DOMAIN}.{LOCK_ID}"] = stored_lock(last_event_at=time.time() - 3600)
    await setup_entry(hass, entry)
    await advance(hass, freezer, timedelta(hours=22, minutes=50))  # 23 h 50 min since the last event
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"no_events_{entry.entry_id}") is None


async def test_silence_after_the_first_day_raises_the_repair_again(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    hass_client_no_auth: Any,
    external_url: None,
) -> None:
    """Weeks after setup, LOQED stops delivering (webhook deleted on the portal)."""
    hass.config_entries.async_update_entry(entry, options={"silence_hours": 6})
    hass_storage[f"{DOMAIN}.{LOCK_ID}"] = stored_lock(last_event_at=time.time())
    await setup_entry(hass, entry)
    issue_id = f"no_events_{entry.entry_id}"
    await advance(hass, freezer, timedelta(hours=5, minutes=40))
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    await advance(hass, freezer, timedelta(minutes=36))  # past 6 h, and a 15-minute check has run
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {"title": "LOQED 6148", "hours": "6"}
    client = await hass_client_no_auth()
    await client.post(f"/api/webhook/{WEBHOOK_ID}", json={"battery_percentage": 60})
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_a_spent_budget_is_no_repair_but_a_log_line_and_diagnostics(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    hass_storage: dict[str, Any],
    external_url: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Nothing is asked of the user: states still come by webhook, calls come back by themselves."""
    hass_storage[f"{DOMAIN}.status_budget"] = stored_budget(11 * 3600, 60, 60, 60)
    caplog.set_level(logging.DEBUG, logger="custom_components.loqed_web")
    await setup_entry(hass, entry)
    assert [issue_id for (domain, issue_id) in ir.async_get(hass).issues if domain == DOMAIN] == []
    assert "status budget" in caplog.text.lower() or "no status calls" in caplog.text.lower()
    assert aioclient_mock.call_count == 0


async def test_removing_an_entry_removes_its_repairs(
    hass: HomeAssistant, entry: MockConfigEntry, status_mock: AiohttpClientMocker, hass_storage: dict[str, Any]
) -> None:
    hass_storage[f"{DOMAIN}.{LOCK_ID}"] = stored_lock()  # saved by a version that kept no health facts
    entry.created_at = entry.created_at - timedelta(days=2)  # no event since: "no events" is raised
    await setup_entry(hass, entry)  # no external URL: "no internet URL" is raised
    issues = ir.async_get(hass)
    assert {issue_id for (domain, issue_id) in issues.issues if domain == DOMAIN} == {
        f"no_events_{entry.entry_id}",
        f"no_internet_url_{entry.entry_id}",
    }
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert [issue_id for (domain, issue_id) in issues.issues if domain == DOMAIN] == []


# --- repairs are derived from saved facts: right after a reload, a restart, a disable -------------


async def lose_confirmations(hass: HomeAssistant, freezer: FrozenDateTimeFactory, times: int) -> None:
    """Send `times` commands whose "reached" event never comes."""
    for _ in range(times):
        await hass.services.async_call("lock", "unlock", {"entity_id": "lock.loqed_6148"}, blocking=True)
        await advance(hass, freezer, timedelta(seconds=31))


async def test_the_events_missing_repair_stays_true_across_a_reload_and_goes_with_the_next_event(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    loaded: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    hass_client_no_auth: Any,
) -> None:
    from .conftest import COMMAND_URL, OLD_LOCK_ID  # noqa: PLC0415

    aioclient_mock.get(COMMAND_URL, text="{}")
    issue_id = f"events_missing_{loaded.entry_id}"
    await lose_confirmations(hass, freezer, 2)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    await lose_confirmations(hass, freezer, 1)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    await hass.config_entries.async_reload(loaded.entry_id)
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None  # still true
    client = await hass_client_no_auth()
    reached = {"lock_id": OLD_LOCK_ID, "requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH"}
    await client.post(f"/api/webhook/{WEBHOOK_ID}", json=reached)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None  # events arrive again
    await hass.config_entries.async_reload(loaded.entry_id)
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_a_new_webhook_url_starts_the_count_anew(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, loaded: MockConfigEntry, aioclient_mock: AiohttpClientMocker
) -> None:
    """The repair says "make a new webhook URL"; doing so (which reloads) clears what concerned the old one."""
    from .conftest import COMMAND_URL  # noqa: PLC0415

    aioclient_mock.get(COMMAND_URL, text="{}")
    await lose_confirmations(hass, freezer, 3)
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"events_missing_{loaded.entry_id}") is not None
    result = await hass.config_entries.options.async_init(loaded.entry_id)
    result = await hass.config_entries.options.async_configure(result["flow_id"], {"next_step_id": "rotate_webhook"})
    await hass.config_entries.options.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"events_missing_{loaded.entry_id}") is None
    assert loaded.runtime_data.locks[None].facts.missed_confirmations == 0


async def test_a_disabled_entry_leaves_no_repair_and_enabling_brings_back_the_true_ones(
    hass: HomeAssistant, entry: MockConfigEntry, status_mock: AiohttpClientMocker
) -> None:
    from homeassistant.config_entries import ConfigEntryDisabler  # noqa: PLC0415

    await setup_entry(hass, entry)  # no external URL: "no internet URL" is raised
    issues = ir.async_get(hass)
    assert [issue_id for (domain, issue_id) in issues.issues if domain == DOMAIN] == [
        f"no_internet_url_{entry.entry_id}"
    ]
    await hass.config_entries.async_set_disabled_by(entry.entry_id, ConfigEntryDisabler.USER)
    await hass.async_block_till_done()
    assert [issue_id for (domain, issue_id) in issues.issues if domain == DOMAIN] == []
    await hass.config_entries.async_set_disabled_by(entry.entry_id, None)
    await hass.async_block_till_done()
    assert [issue_id for (domain, issue_id) in issues.issues if domain == DOMAIN] == [
        f"no_internet_url_{entry.entry_id}"
    ]


async def test_a_nabu_casa_remote_ui_url_reaches_the_webhook(
    hass: HomeAssistant, entry: MockConfigEntry, status_mock: AiohttpClientMocker
) -> None:
    from unittest.mock import patch  # noqa: PLC0415

    hass.config.components.add("cloud")
    with patch("homeassistant.components.cloud.async_remote_ui_url", return_value="https://abcd.ui.nabu.casa"):
        await setup_entry(hass, entry)
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"no_internet_url_{entry.entry_id}") is None
