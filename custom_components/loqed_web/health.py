"""Repairs, derived from facts that are saved with each lock's state or account.

Each repair is raised and cleared from what is true now, never from a counter held in memory,
so a reload or a restart leaves exactly the repairs that are true; an unload, a disable and a
removal take the entry's repairs away.
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .aioloqedweb import AccessToken, LockData
from .const import (
    CONF_SILENCE_HOURS,
    DOMAIN,
    HEALTH_CHECK_INTERVAL,
    LEFT_ACCOUNT_AFTER,
    LEFT_ACCOUNT_READS,
    MISSED_CONFIRMATIONS_FOR_REPAIR,
    SILENCE_HOURS,
    TOKEN_EXPIRY_WARNING,
)
from .runtime import LockConfig

# Repairs of one lock, named `<kind>_<lock key>`; of an account, `<kind>_<entry id>`.
LOCK_REPAIRS = ("no_internet_url", "no_events", "events_missing", "lock_left_account")
ACCOUNT_REPAIRS = ("token_expiring", "lock_list_blocked")
# Repairs the user fixes in a dialog of ours (see repairs.py); the others go away by themselves.
FIXABLE = frozenset({"lock_left_account"})


@dataclass(frozen=True, slots=True)
class HealthFacts:
    """What one lock's repairs are derived from; saved with its state."""

    missed_confirmations: int = 0  # commands in a row whose "reached" event never came
    listening_since: float | None = None  # when the webhook URL was made: silence counts from it
    missing_since: float | None = None  # when the account's lock list first left the lock out
    missed_reads: int = 0  # lock list reads in a row that left it out

    def as_stored(self) -> dict[str, Any]:
        """Return a JSON-safe dict."""
        return asdict(self)

    def listed(self, listed: bool, requested_at: float) -> HealthFacts:
        """Return the facts after a read of the account's lock list that named the lock, or left it out."""
        if listed:
            return replace(self, missing_since=None, missed_reads=0)
        return replace(self, missing_since=self.missing_since or requested_at, missed_reads=self.missed_reads + 1)

    @classmethod
    def from_stored(cls, stored: object) -> HealthFacts:
        """Rebuild what `as_stored` saved; anything unreadable is left at its default."""
        if not isinstance(stored, dict):
            return cls()

        def number(name: str) -> float | None:
            value = stored.get(name)
            return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

        return cls(
            missed_confirmations=int(number("missed_confirmations") or 0),
            listening_since=number("listening_since"),
            missing_since=number("missing_since"),
            missed_reads=int(number("missed_reads") or 0),
        )


def _local(timestamp: float | None, pattern: str) -> str:
    """Return a unix time as local time for a message; empty for None."""
    return "" if timestamp is None else dt_util.as_local(dt_util.utc_from_timestamp(timestamp)).strftime(pattern)


class Repairs:
    """The repairs of one lock or account: touches the issue registry only on a change."""

    def __init__(self, hass: HomeAssistant, suffix: str, data: dict[str, str] | None = None) -> None:
        """Manage the repairs `<kind>_<suffix>`; `data` goes to a fix flow.

        Unload, disable and removal delete them with `clear_repairs`, which needs no instance.
        """
        self._hass = hass
        self._suffix = suffix
        self._data = data
        self._shown: dict[str, dict[str, str]] = {}  # kind: placeholders

    @property
    def shown(self) -> bool:
        """Return True while any of these repairs is shown."""
        return bool(self._shown)

    @callback
    def set(self, kind: str, active: bool, placeholders: dict[str, str]) -> None:
        """Show the repair `kind` while `active`, with these placeholders; delete it otherwise."""
        if (placeholders if active else None) == self._shown.get(kind):
            return
        issue_id = f"{kind}_{self._suffix}"
        if not active:
            self._shown.pop(kind, None)
            ir.async_delete_issue(self._hass, DOMAIN, issue_id)
            return
        self._shown[kind] = placeholders
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            issue_id,
            is_fixable=kind in FIXABLE,
            data=self._data if kind in FIXABLE else None,  # type: ignore[arg-type]  # str values are JSON
            severity=ir.IssueSeverity.WARNING,
            translation_key=kind,
            translation_placeholders=placeholders,
        )


@callback
def clear_repairs(hass: HomeAssistant, suffix: str, kinds: Iterable[str]) -> None:
    """Delete the repairs `<kind>_<suffix>`, shown or not."""
    for kind in kinds:
        ir.async_delete_issue(hass, DOMAIN, f"{kind}_{suffix}")


class LockHealth:
    """The repairs of one lock."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, lock: LockConfig) -> None:
        """Derive the repairs of `lock`; no event for the entry's silence hours means events do not arrive."""
        data = {"entry_id": entry.entry_id, "subentry_id": lock.subentry_id or ""}
        self._hass = hass
        self.repairs = Repairs(hass, lock.key, data)
        self._title = lock.title
        self._entry = entry  # its silence hours are read at each check: a new value applies at once
        # Silence counts from the first event, else from when the webhook was made (or the entry).
        self._set_up_at = entry.created_at.timestamp()

    @callback
    def async_start(self, entry: ConfigEntry, now_true: Callable[[], tuple[LockData, HealthFacts]]) -> None:
        """Derive the repairs now and every HEALTH_CHECK_INTERVAL, from what `now_true` returns."""

        @callback
        def check(_now: object = None) -> None:
            self.update(*now_true())

        check()
        entry.async_on_unload(
            async_track_time_interval(self._hass, check, HEALTH_CHECK_INTERVAL, cancel_on_shutdown=True)
        )

    @callback
    def set_reachable(self, reachable: bool) -> None:
        """Show the "no internet URL" repair while LOQED cannot reach the webhook."""
        self.repairs.set("no_internet_url", not reachable, {"title": self._title})

    @callback
    def update(self, data: LockData, facts: HealthFacts) -> None:
        """Derive the repairs from the lock's data and facts, now."""
        now = time.time()
        title = {"title": self._title}
        hours = int(self._entry.options.get(CONF_SILENCE_HOURS, SILENCE_HOURS))
        since = max(data.last_event_at or 0.0, facts.listening_since or self._set_up_at)
        self.repairs.set("no_events", now - since > hours * 3600, title | {"hours": str(hours)})
        self.repairs.set("events_missing", facts.missed_confirmations >= MISSED_CONFIRMATIONS_FOR_REPAIR, title)
        left = (
            facts.missing_since is not None
            and facts.missed_reads >= LEFT_ACCOUNT_READS
            and now - facts.missing_since >= LEFT_ACCOUNT_AFTER.total_seconds()
        )
        self.repairs.set("lock_left_account", left, title | {"since": _local(facts.missing_since, "%Y-%m-%d")})


class AccountHealth:
    """The repairs of a personal access token's account."""

    def __init__(self, hass: HomeAssistant, entry_id: str, title: str) -> None:
        """Derive the repairs of the account of entry `entry_id`."""
        self.repairs = Repairs(hass, entry_id)
        self._title = title

    @callback
    def update(self, token: AccessToken, blocked_until: float | None) -> None:
        """Derive the repairs from the token's expiry and the lock list's back-off, now."""
        now = time.time()
        soon = token.expires_within(TOKEN_EXPIRY_WARNING.total_seconds(), now) and not token.is_expired(now)
        self.repairs.set("token_expiring", soon, {"title": self._title, "date": _local(token.expires_at, "%Y-%m-%d")})
        blocked = blocked_until is not None and blocked_until > now
        until = {"title": self._title, "until": _local(blocked_until, "%Y-%m-%d %H:%M")}
        self.repairs.set("lock_list_blocked", blocked, until)
