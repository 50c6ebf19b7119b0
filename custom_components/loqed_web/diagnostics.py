"""Diagnostics: the entry, each lock's data, the status budget or lock list, the last webhook calls.

Secrets (API token, personal access token, Key, API key, webhook id and URL) and personal data
(names, e-mail) are redacted.
"""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_ACCESS_TOKEN, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntry
from homeassistant.util import dt as dt_util

from .const import CONF_CLOUDHOOK_URL, DOMAIN
from .coordinator import LockCoordinator
from .runtime import LoqedConfigEntry
from .storage import async_get_status_budget
from .webhook import async_internet_reachable

TO_REDACT = {
    CONF_ACCESS_TOKEN,
    "api_token",
    "key",
    "api_key",
    CONF_WEBHOOK_ID,
    CONF_CLOUDHOOK_URL,
    "user_name",
    "admin_name",
    "account_name",
    "account_email",
}


def _time(timestamp: float | None) -> str | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, dt_util.UTC).isoformat()


async def async_get_config_entry_diagnostics(hass: HomeAssistant, entry: LoqedConfigEntry) -> dict[str, Any]:
    """Return what helps to understand a problem, without secrets or names."""
    runtime = entry.runtime_data
    diagnostics: dict[str, Any] = {"entry": async_redact_data(entry.as_dict(), TO_REDACT)}
    if (account := runtime.account) is not None:
        lock_list = account.data
        diagnostics["account"] = {
            "token_expires_at": _time(account.token.expires_at),
            "lock_list_blocked_until": _time(account.reader.blocked_until),
            "lock_list_read_at": _time(lock_list.requested_at if lock_list else None),
            "locks_in_list": len(lock_list.locks) if lock_list else None,
            "last_read_succeeded": account.last_update_success,
        }
    else:
        budget = await async_get_status_budget(hass)
        diagnostics["status_budget"] = {
            "limit": budget.limit,
            "remaining": budget.remaining,
            "spent_at": [_time(spent) for spent in budget.spent_at],
            "available_at": _time(budget.available_at),
        }
    diagnostics["locks"] = [_lock(hass, coordinator) for coordinator in runtime.locks.values()]
    return diagnostics


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: LoqedConfigEntry, device: DeviceEntry
) -> dict[str, Any]:
    """Return the entry's diagnostics with only the lock of `device`."""
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    lock_ids = {identifier for domain, identifier in device.identifiers if domain == DOMAIN}
    diagnostics["locks"] = [
        _lock(hass, coordinator)
        for coordinator in entry.runtime_data.locks.values()
        if coordinator.lock.lock_id in lock_ids
    ]
    return diagnostics


def _lock(hass: HomeAssistant, coordinator: LockCoordinator) -> dict[str, Any]:
    """Return one lock's part: its data, health facts, link and the recent webhook calls."""
    lock = coordinator.lock
    last = coordinator.activity.last_operation
    return {
        "title": lock.title,
        "lock_id": lock.lock_id,
        "numeric_lock_id": coordinator.interpreter.identity.old_lock_id,
        "data": async_redact_data(asdict(coordinator.data), TO_REDACT),
        "health": coordinator.facts.as_stored(),
        "webhook": {"internet_reachable": async_internet_reachable(hass, lock.cloudhook_url)},
        "connection": coordinator.link.describe(),
        "last_operation": None
        if last is None
        else async_redact_data({"type": last.type, "at": last.at.isoformat()} | last.attributes(), TO_REDACT),
        "recent_webhook_calls": [
            {"at": delivery.at.isoformat(), "events": list(delivery.events), "applied": delivery.applied}
            | ({"reason": delivery.reason} if delivery.reason else {})
            | ({"led_to": delivery.led_to} if delivery.applied else {})
            for delivery in coordinator.activity.deliveries
        ],
    }
