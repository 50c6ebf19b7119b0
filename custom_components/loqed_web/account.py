"""A personal access token's account: one lock list for all its locks, read on a schedule.

Locks set up with the same token share one LoqedAccount: it reads the list once for all of
them (at start-up, every N minutes, and when a confirmation did not come), backs off for 12
hours after a 429 (kept across restarts), and warns before the token expires.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from homeassistant.config_entries import SOURCE_INTEGRATION_DISCOVERY, ConfigEntry
from homeassistant.const import CONF_ACCESS_TOKEN
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import discovery_flow
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .aioloqedweb import (
    AccessToken,
    AccountLock,
    LockListReader,
    LoqedAccountClient,
    LoqedBackingOffError,
    LoqedError,
    LoqedRateLimitedError,
)
from .const import DOMAIN, TOKEN_EXPIRY_CHECK_INTERVAL, TOKEN_EXPIRY_WARNING
from .errors import reaction_to
from .issues import async_set_issue

_LOGGER = logging.getLogger(__name__)

type LockListListener = Callable[[dict[str, AccountLock]], None]
_ACCOUNTS = f"{DOMAIN}_accounts"
_STORAGE_VERSION = 1


def _local(timestamp: float | None, pattern: str) -> str:
    """Return a unix time as local time for a message; empty for None."""
    return "" if timestamp is None else dt_util.as_local(dt_util.utc_from_timestamp(timestamp)).strftime(pattern)


def entries_of_token(hass: HomeAssistant, token: str) -> list[ConfigEntry]:
    """Return the config entries set up with the personal access token `token`."""
    return [entry for entry in hass.config_entries.async_entries(DOMAIN) if entry.data.get(CONF_ACCESS_TOKEN) == token]


def account_key(token: str) -> str:
    """Return a short name for a token's account that does not give the token away."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


class LoqedAccount:
    """The locks of one personal access token, and the lock list they share."""

    def __init__(
        self, hass: HomeAssistant, token: AccessToken, store: Store[dict[str, Any]], blocked_until: float | None
    ) -> None:
        """Create the account; `blocked_until` continues a back-off from before a restart."""
        self.hass = hass
        self.token = token
        self.key = account_key(token.value)
        self._store = store
        client = LoqedAccountClient(async_get_clientsession(hass), token.value)
        self.reader = LockListReader(client, blocked_until=blocked_until)
        self._listeners: dict[str, tuple[int, LockListListener]] = {}  # entry id: (minutes, listener)
        self._cancel_poll: CALLBACK_TYPE | None = None
        self._cancel_expiry_check: CALLBACK_TYPE | None = None
        self._block_shown = False  # whether the back-off repair is up
        self._offered: set[str] = set()  # locks of the account offered for setup since start
        if blocked_until is not None and blocked_until > time.time():
            self._async_show_block()

    @callback
    def async_add_lock(self, entry: ConfigEntry, minutes: int, listener: LockListListener) -> CALLBACK_TYPE:
        """Share each list read with `listener`; read every `minutes` (0: never on a schedule)."""
        self._listeners[entry.entry_id] = (minutes, listener)
        self._async_reschedule()
        if self._cancel_expiry_check is None:
            self._async_check_expiry()
            self._cancel_expiry_check = async_track_time_interval(
                self.hass, self._async_check_expiry, TOKEN_EXPIRY_CHECK_INTERVAL, cancel_on_shutdown=True
            )

        @callback
        def remove() -> None:
            """Stop sharing with this lock; the last one out stops the timers."""
            self._listeners.pop(entry.entry_id, None)
            self._async_reschedule()
            if not self._listeners:
                self._async_close()

        return remove

    @callback
    def async_set_minutes(self, entry: ConfigEntry, minutes: int) -> None:
        """Read every `minutes` for this lock from now on (its options changed)."""
        if (known := self._listeners.get(entry.entry_id)) is not None and known[0] != minutes:
            self._listeners[entry.entry_id] = (minutes, known[1])
            self._async_reschedule()

    @callback
    def _async_reschedule(self) -> None:
        if self._cancel_poll is not None:
            self._cancel_poll()
            self._cancel_poll = None
        intervals = [minutes for minutes, _ in self._listeners.values() if minutes > 0]
        if intervals:
            every = timedelta(minutes=max(1, min(intervals)))  # never faster than a user chose
            self._cancel_poll = async_track_time_interval(
                self.hass, self._async_poll, every, name=f"{DOMAIN} lock list", cancel_on_shutdown=True
            )

    async def _async_poll(self, _now: object = None) -> None:
        await self.async_read_and_share()

    async def async_read_and_share(self) -> None:
        """Read the list (unless backing off) and hand it to every lock; failures are logged."""
        try:
            locks = await self.async_read(fresh=True)
        except LoqedError as err:
            if reaction_to(err).reauth:  # the token was revoked or replaced
                self._async_ask_for_new_token()
            _LOGGER.debug("The LOQED lock list could not be read (%s); trying again at the next interval", err)
            return
        for _minutes, listener in list(self._listeners.values()):
            listener(locks)

    async def async_read(self, *, fresh: bool = False) -> dict[str, AccountLock]:
        """Read the lock list; after a 429, back off for 12 hours and say so in a repair.

        Without `fresh`, a read of moments ago serves (every lock of the account at start-up).
        """
        try:
            locks = await self.reader.read(fresh=fresh)
        except LoqedBackingOffError:
            raise
        except LoqedRateLimitedError:
            _LOGGER.warning(
                "LOQED rate-limited the lock list of a personal access token; no read until %s",
                _local(self.reader.blocked_until, "%Y-%m-%d %H:%M"),
            )
            await self._async_save_block()
            raise
        if self._block_shown:
            await self._async_save_block()  # reads work again: the back-off and its repair end
        self._async_offer_new_locks(locks)
        return locks

    @callback
    def _async_offer_new_locks(self, locks: dict[str, AccountLock]) -> None:
        """Offer a lock of the account that is not set up (or ignored), once per start."""
        for lock in locks.values():
            if lock.lock_id in self._offered or self.hass.config_entries.async_entry_for_domain_unique_id(
                DOMAIN, lock.lock_id
            ):
                continue
            self._offered.add(lock.lock_id)
            discovery_flow.async_create_flow(
                self.hass,
                DOMAIN,
                {"source": SOURCE_INTEGRATION_DISCOVERY},
                {CONF_ACCESS_TOKEN: self.token.value, "lock_id": lock.lock_id, "name": lock.name},
            )

    async def _async_save_block(self) -> None:
        """Keep the back-off across restarts, and show or clear its repair."""
        stored = await self._store.async_load() or {}
        stored[self.key] = {"blocked_until": self.reader.blocked_until}
        await self._store.async_save(stored)
        self._async_show_block()

    @callback
    def _async_show_block(self) -> None:
        until = self.reader.blocked_until
        self._block_shown = until is not None
        placeholders = {"until": _local(until, "%Y-%m-%d %H:%M")}
        async_set_issue(
            self.hass, f"lock_list_blocked_{self.key}", self._block_shown, "lock_list_blocked", placeholders
        )

    @callback
    def _async_check_expiry(self, _now: object = None) -> None:
        """Warn 14 days ahead; once expired, ask for a new token on every lock of the account."""
        now = time.time()
        soon = self.token.expires_within(TOKEN_EXPIRY_WARNING.total_seconds(), now) and not self.token.is_expired(now)
        placeholders = {"date": _local(self.token.expires_at, "%Y-%m-%d")}
        async_set_issue(self.hass, f"token_expiring_{self.key}", soon, "token_expiring", placeholders)
        if self.token.is_expired(now):
            self._async_ask_for_new_token()

    @callback
    def _async_ask_for_new_token(self) -> None:
        """Start re-authentication on every lock of this token."""
        for entry in entries_of_token(self.hass, self.token.value):
            entry.async_start_reauth(self.hass)

    @callback
    def _async_close(self) -> None:
        """Stop the timers and forget the account: its last lock was unloaded."""
        for cancel in (self._cancel_poll, self._cancel_expiry_check):
            if cancel is not None:
                cancel()
        self._cancel_poll = self._cancel_expiry_check = None
        self.hass.data.get(_ACCOUNTS, {}).pop(self.key, None)


@callback
def async_remove_account_issues(hass: HomeAssistant, token: str) -> None:
    """Delete the repairs of a token's account once no lock uses the token any more."""
    if entries_of_token(hass, token):
        return
    for issue in ("token_expiring", "lock_list_blocked"):
        async_set_issue(hass, f"{issue}_{account_key(token)}", False, issue, {})


async def async_get_account(hass: HomeAssistant, token: AccessToken) -> LoqedAccount:
    """Return the account of `token`, shared by every lock set up with it."""
    accounts: dict[str, LoqedAccount] = hass.data.setdefault(_ACCOUNTS, {})
    key = account_key(token.value)
    if (account := accounts.get(key)) is None:
        store: Store[dict[str, Any]] = Store(hass, _STORAGE_VERSION, f"{DOMAIN}.accounts")
        saved = (await store.async_load() or {}).get(key, {})
        blocked_until = saved.get("blocked_until") if isinstance(saved, dict) else None
        # Another lock of the account may have created it while the file was read.
        account = accounts.setdefault(
            key, LoqedAccount(hass, token, store, blocked_until if isinstance(blocked_until, float) else None)
        )
    return account
