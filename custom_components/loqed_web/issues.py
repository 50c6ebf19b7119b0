"""Repair issues: each says what the user must do, and goes away by itself once resolved."""

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN


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
def async_no_events_issue(hass: HomeAssistant, entry_id: str, title: str, silent: bool, hours: int) -> None:
    """Raise the issue while no event came for `hours`: the webhook is missing or cannot get through."""
    async_set_issue(hass, f"no_events_{entry_id}", silent, "no_events", {"title": title, "hours": str(hours)})


@callback
def async_events_missing_issue(hass: HomeAssistant, entry_id: str, title: str, missing: bool) -> None:
    """Raise the issue while commands are taken but LOQED's events saying where the lock went do not come."""
    async_set_issue(hass, f"events_missing_{entry_id}", missing, "events_missing", {"title": title})


@callback
def async_remove_entry_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Delete the issues of a removed entry."""
    for issue_id in (f"no_internet_url_{entry_id}", f"no_events_{entry_id}", f"events_missing_{entry_id}"):
        ir.async_delete_issue(hass, DOMAIN, issue_id)
