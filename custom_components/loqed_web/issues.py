"""Repair issues: each says what the user must do, and goes away by itself once resolved."""

from datetime import datetime

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .const import DOMAIN

BUDGET_ISSUE = "status_budget_spent"


@callback
def async_set_issue(
    hass: HomeAssistant, issue_id: str, active: bool, translation_key: str, placeholders: dict[str, str]
) -> None:
    """Create the issue while `active`, delete it otherwise."""
    if not active:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=translation_key,
        translation_placeholders=placeholders,
    )


@callback
def async_reachability_issue(hass: HomeAssistant, entry_id: str, title: str, reachable: bool) -> None:
    """Raise the issue while no URL is reachable from the internet: LOQED cannot deliver events."""
    async_set_issue(hass, f"no_internet_url_{entry_id}", not reachable, "no_internet_url", {"title": title})


@callback
def async_no_events_issue(hass: HomeAssistant, entry_id: str, title: str, silent: bool) -> None:
    """Raise the issue while no event came since setup: the webhook is probably not on the portal."""
    async_set_issue(hass, f"no_events_{entry_id}", silent, "no_events", {"title": title})


@callback
def async_budget_issue(hass: HomeAssistant, available_at: float | None) -> None:
    """Raise the issue while the status budget (shared by all locks) is spent; None clears it."""
    when = "" if available_at is None else dt_util.as_local(datetime.fromtimestamp(available_at, dt_util.UTC))
    placeholders = {"available_at": f"{when:%Y-%m-%d %H:%M}" if when else ""}
    async_set_issue(hass, BUDGET_ISSUE, available_at is not None, BUDGET_ISSUE, placeholders)
