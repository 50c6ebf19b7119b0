"""Diagnostics: the entry, the lock's data, the status budget and the last 20 webhook calls.

Secrets (API token, personal access token, Key, API key, webhook id and URL) and personal data
(names, e-mail) are redacted.
"""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_ACCESS_TOKEN, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .const import CONF_CLOUDHOOK_URL
from .coordinator import LoqedConfigEntry
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
    coordinator = entry.runtime_data
    budget = await async_get_status_budget(hass)
    activity = coordinator.activity
    return {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
        "lock": async_redact_data(asdict(coordinator.data), TO_REDACT),
        "status_budget": {
            "limit": budget.limit,
            "remaining": budget.remaining,
            "spent_at": [_time(spent) for spent in budget.spent_at],
            "available_at": _time(budget.available_at),
        },
        "webhook": {"internet_reachable": async_internet_reachable(hass, entry)},
        "connection": coordinator.link.describe(),
        "last_operation": None
        if activity.last_operation is None
        else async_redact_data(
            {"type": activity.last_operation.type, "at": activity.last_operation.at.isoformat()}
            | activity.last_operation.attributes(),
            TO_REDACT,
        ),
        "recent_webhook_calls": [
            {"at": delivery.at.isoformat(), "events": list(delivery.events), "applied": delivery.applied}
            | ({"reason": delivery.reason} if delivery.reason else {})
            | ({"led_to": delivery.led_to} if delivery.applied else {})
            for delivery in activity.deliveries
        ],
    }
