"""How one lock is reached: an API key of the web API, or its account's personal access token.

The coordinator reads and commands through a LockLink and does not care which one it has.
"""

import time
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, override

from .aioloqedweb import Action, LockRead, LoqedWebClient, ReadSource, SigningMode
from .const import STATUS_MAX_AGE_SECONDS

if TYPE_CHECKING:
    from .account import AccountCoordinator


class LockLink(ABC):
    """Reads a lock's state from LOQED and sends its commands."""

    key_id: int | None = None  # the key our commands use, when known: its confirmations name it
    reads_cheaply = False  # True when a read costs no budget: it follows a missing confirmation

    @abstractmethod
    async def async_read(self, status_fetched_at: float | None, *, fresh: bool = False) -> LockRead | None:
        """Read the lock when it is due (or `fresh`: now); None when no read was due."""

    @abstractmethod
    async def async_send(self, action: Action) -> None:
        """Send a command once."""

    @abstractmethod
    def describe(self) -> dict[str, Any]:
        """Return what diagnostics show of the link (no secrets)."""


class ApiKeyLink(LockLink):
    """One API key of the web API: a rate-limited status call, commands signed here or by LOQED."""

    def __init__(self, client: LoqedWebClient, signing: SigningMode) -> None:
        """Wrap a client and the chosen signing."""
        self.client = client
        self.signing = signing
        self.key_id = client.credentials.local_key_id

    @override
    async def async_read(self, status_fetched_at: float | None, *, fresh: bool = False) -> LockRead | None:
        # The status call is limited to about 12 per 12 hours per account: spent only when old.
        now = time.time()
        if not fresh and status_fetched_at is not None and now - status_fetched_at < STATUS_MAX_AGE_SECONDS:
            return None
        return LockRead(ReadSource.STATUS, await self.client.get_status(), now)

    @override
    async def async_send(self, action: Action) -> None:
        await self.client.send_command(action, self.signing)

    @override
    def describe(self) -> dict[str, Any]:
        return {"credential": "api_key", "signing": self.signing.value}


class TokenLink(LockLink):
    """One lock of an account, reached with the account's personal access token."""

    reads_cheaply = True

    def __init__(self, account: AccountCoordinator, lock_id: str) -> None:
        """Reach `lock_id` through `account`."""
        self.account = account
        self.lock_id = lock_id

    @override
    async def async_read(self, status_fetched_at: float | None, *, fresh: bool = False) -> LockRead:
        # One read serves every lock of the account; a read of moments ago serves a refresh.
        return LockRead.from_list(await self.account.async_read(fresh=fresh), self.lock_id)

    @override
    async def async_send(self, action: Action) -> None:
        await self.account.client.send_command(self.lock_id, action)

    @override
    def describe(self) -> dict[str, Any]:
        return {"credential": "personal_access_token"}
