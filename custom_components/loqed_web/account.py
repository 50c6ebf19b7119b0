"""A personal access token's account: one lock list for all its locks, read on the entry's interval.

It backs off for 12 hours after a 429 (kept across restarts), warns before the token expires, and
offers locks that appear in the account.
"""

import logging
import time
from datetime import timedelta
from typing import override

from homeassistant.config_entries import SOURCE_INTEGRATION_DISCOVERY
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import discovery_flow
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .aioloqedweb import (
    AccessToken,
    LockList,
    LockListReader,
    LoqedAccountClient,
    LoqedBackingOffError,
    LoqedError,
    LoqedRateLimitedError,
)
from .const import CONF_RECONCILE_MINUTES, DOMAIN, RECONCILE_MINUTES, TOKEN_EXPIRY_CHECK_INTERVAL
from .errors import reaction_to
from .health import AccountHealth
from .runtime import LoqedConfigEntry, configured_lock_ids
from .storage import account_store

_LOGGER = logging.getLogger(__name__)


class AccountCoordinator(DataUpdateCoordinator[LockList]):
    """The lock list of one account; each of its locks listens to it."""

    config_entry: LoqedConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: LoqedConfigEntry, token: AccessToken, blocked_until: float | None
    ) -> None:
        """Read every `reconcile_minutes` minutes (an option; 0: never on a schedule)."""
        minutes = int(entry.options.get(CONF_RECONCILE_MINUTES, RECONCILE_MINUTES))
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{entry.title} lock list",
            update_interval=timedelta(minutes=max(1, minutes)) if minutes > 0 else None,
        )
        self.token = token
        self.client = LoqedAccountClient(async_get_clientsession(hass), token.value)
        self.reader = LockListReader(self.client, blocked_until=blocked_until)
        self.health = AccountHealth(hass, entry.entry_id, entry.title)
        self._offered: set[str] = set()  # locks of the account offered for setup since start

    @override
    async def _async_update_data(self) -> LockList:
        """Read the list on the schedule; a refused token asks for a new one."""
        try:
            return await self._async_read(fresh=True)
        except LoqedBackingOffError as err:
            # Waits out the back-off instead of the interval.
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="lock_list_blocked",
                retry_after=max(60.0, err.blocked_until - time.time()),
            ) from err
        except LoqedError as err:
            reaction = reaction_to(err)
            if reaction.reauth:
                raise ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key=reaction.key) from err
            raise UpdateFailed(translation_domain=DOMAIN, translation_key=reaction.key) from err

    async def async_read(self, *, fresh: bool) -> LockList:
        """Read the list for a lock (a refresh, a button, a lost confirmation) and share it with all."""
        lock_list = await self._async_read(fresh=fresh)
        if lock_list is not self.data:
            self.async_set_updated_data(lock_list)
        return lock_list

    async def _async_read(self, *, fresh: bool) -> LockList:
        """Read the list (unless a read of moments ago serves); keep a back-off across restarts."""
        blocked_before = self.reader.blocked_until
        try:
            lock_list = await self.reader.read(fresh=fresh)
        except LoqedBackingOffError:
            raise
        except LoqedRateLimitedError:
            await self._async_keep_block()
            raise
        if blocked_before is not None:
            await self._async_keep_block()  # reads work again: the back-off and its repair end
        self._async_offer_new_locks(lock_list)
        return lock_list

    async def _async_keep_block(self) -> None:
        await account_store(self.hass).async_save_blocked_until(self.config_entry.entry_id, self.reader.blocked_until)
        self.health.update(self.token, self.reader.blocked_until)

    @callback
    def _async_offer_new_locks(self, lock_list: LockList) -> None:
        """Offer a lock of the account that is not set up (nor ignored), once per start."""
        configured = configured_lock_ids(self.hass)
        for lock in lock_list.locks.values():
            if lock.lock_id in self._offered or lock.lock_id in configured:
                continue
            self._offered.add(lock.lock_id)
            discovery_flow.async_create_flow(
                self.hass,
                DOMAIN,
                {"source": SOURCE_INTEGRATION_DISCOVERY},
                {"entry_id": self.config_entry.entry_id, "lock_id": lock.lock_id, "name": lock.name},
            )

    @callback
    def async_start(self) -> None:
        """Check the token's expiry now and twice a day; an expired token asks for a new one."""
        self._async_check_expiry()
        self.config_entry.async_on_unload(
            async_track_time_interval(
                self.hass, self._async_check_expiry, TOKEN_EXPIRY_CHECK_INTERVAL, cancel_on_shutdown=True
            )
        )

    @callback
    def _async_check_expiry(self, _now: object = None) -> None:
        self.health.update(self.token, self.reader.blocked_until)
        if self.token.is_expired(time.time()):
            self.config_entry.async_start_reauth(self.hass)
