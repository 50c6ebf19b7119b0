"""How one lock is reached: an API key of the web API, or an account's personal access token.

The coordinator talks to a LockLink and does not care which one it has.
"""

import time
from abc import ABC, abstractmethod
from typing import Any, override

from .account import LoqedAccount
from .aioloqedweb import Action, LockStatus, LoqedNotFoundError, LoqedWebClient, SigningMode
from .const import STATUS_MAX_AGE_SECONDS
from .data import LockData, apply_status, merge_list_status


class LockLink(ABC):
    """Reads a lock's status and sends its commands."""

    reconciles = False  # True when a cheap read of the state can correct missed webhooks
    key_id: int | None = None  # the key our commands use, when known: its confirmations name it

    @property
    @abstractmethod
    def lock_ids(self) -> frozenset[str]:
        """Return the ids a webhook may name this lock by; empty accepts any (the URL is per lock)."""

    @abstractmethod
    def status_is_due(self, fetched_at: float | None) -> bool:
        """Return True when start-up should read the status (given when it was last read)."""

    @abstractmethod
    async def async_read_status(self, *, fresh: bool = False) -> LockStatus:
        """Read the lock's status from LOQED; `fresh`: not an answer shared from moments ago."""

    @abstractmethod
    async def async_send(self, action: Action) -> None:
        """Send a command once."""

    @abstractmethod
    def apply(self, data: LockData, status: LockStatus) -> LockData:
        """Return `data` with a status read just now."""

    def learns(self, lock_id: str | None) -> bool:
        """Return True when a webhook's `lock_id` taught the link an id it did not know."""
        return False

    @abstractmethod
    def describe(self) -> dict[str, Any]:
        """Return what diagnostics show of the link (no secrets)."""


class ApiKeyLink(LockLink):
    """One API key of the web API: a rate-limited status call, commands signed here or by LOQED."""

    def __init__(self, client: LoqedWebClient, signing: SigningMode) -> None:
        """Wrap a client and the chosen signing."""
        self.client = client
        self.signing = signing
        creds = client.credentials
        self._lock_ids = frozenset(filter(None, (creds.lock_id, creds.old_lock_id)))
        self.key_id = creds.local_key_id

    @property
    @override
    def lock_ids(self) -> frozenset[str]:
        return self._lock_ids

    @override
    def status_is_due(self, fetched_at: float | None) -> bool:
        # The status call is limited to about 12 per 12 hours per account: spent only when old.
        return fetched_at is None or time.time() - fetched_at >= STATUS_MAX_AGE_SECONDS

    @override
    async def async_read_status(self, *, fresh: bool = False) -> LockStatus:
        return await self.client.get_status()  # every status call is a new one

    @override
    async def async_send(self, action: Action) -> None:
        await self.client.send_command(action, self.signing)

    @override
    def apply(self, data: LockData, status: LockStatus) -> LockData:
        return apply_status(data, status, time.time())

    @override
    def describe(self) -> dict[str, Any]:
        return {"credential": "api_key", "signing": self.signing.value}


class TokenLink(LockLink):
    """One lock of an account, reached with the account's personal access token."""

    reconciles = True

    def __init__(self, account: LoqedAccount, lock_id: str, old_lock_id: str | None) -> None:
        """Reach `lock_id` through `account`; `old_lock_id` once a webhook has named it."""
        self.account = account
        self.lock_id = lock_id
        self.old_lock_id = old_lock_id
        # The lock list does not give the numeric id LOQED's webhooks use: until one names
        # it, any id is taken (the URL is this lock's own), then only these two.
        self._lock_ids = frozenset((lock_id, old_lock_id)) if old_lock_id else frozenset()

    @property
    @override
    def lock_ids(self) -> frozenset[str]:
        return self._lock_ids

    @override
    def learns(self, lock_id: str | None) -> bool:
        """Return True when a webhook's `lock_id` is the numeric id not known yet (now learnt)."""
        if self.old_lock_id or not lock_id or not lock_id.isdigit():
            return False
        self.old_lock_id = lock_id
        self._lock_ids = frozenset((self.lock_id, lock_id))
        return True

    @override
    def status_is_due(self, fetched_at: float | None) -> bool:
        return True  # the lock list is cheap, and one read serves every lock of the account

    @override
    def apply(self, data: LockData, status: LockStatus) -> LockData:
        return merge_list_status(data, status, time.time())

    @override
    async def async_read_status(self, *, fresh: bool = False) -> LockStatus:
        locks = await self.account.async_read(fresh=fresh)
        if (lock := locks.get(self.lock_id)) is None:
            raise LoqedNotFoundError("the lock is no longer in the token's account")
        return lock.status

    @override
    async def async_send(self, action: Action) -> None:
        await self.account.reader.client.send_command(self.lock_id, action)

    @override
    def describe(self) -> dict[str, Any]:
        expires_at = self.account.token.expires_at
        return {
            "credential": "personal_access_token",
            "token_expires_at": None if expires_at is None else time.strftime("%Y-%m-%d", time.gmtime(expires_at)),
            "numeric_lock_id": self.old_lock_id,
            "lock_list_blocked_until": self.account.reader.blocked_until,
        }
