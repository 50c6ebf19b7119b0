"""LOQED's Integrations API: every lock of an account, with one personal access token.

Listing the locks is not the status call of the web API (12 per 12 hours); LOQED throttles it
per minute instead (unverified: see the API notes). Commands move a lock with the token's own key.
"""

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import quote

from aiohttp import ClientSession

from .clock import wall_clock
from .endpoints import ACCOUNT_LOCKS_PATH, BOLT_STATE_PATH, Hosts
from .exceptions import LoqedBackingOffError, LoqedKeyDeletedError, LoqedRateLimitedError, LoqedResponseError
from .models import Action, LockStatus
from .status import parse_status
from .transport import DEFAULT_TIMEOUT, fetch, raise_for_status, send_once
from .values import read_text

_LOGGER = logging.getLogger(__name__)

_BOLT_STATE_NAMES = {Action.OPEN: "open", Action.DAY_LOCK: "day_lock", Action.NIGHT_LOCK: "night_lock"}
# After a 429 (or a block), no read for this long: LOQED's limits here are not published.
BACK_OFF_SECONDS = 12 * 3600.0
# Every lock of the account asks for the list at start-up: one read serves them all.
SHARED_READ_SECONDS = 30.0
# What a 404 on a command says when the token's key was deleted in the LOQED app.
_DELETED_KEY_MARK = b"ApiKey"


@dataclass(frozen=True, slots=True)
class AccountLock:
    """One lock of the account, as the lock list shows it."""

    lock_id: str  # the 20-character Lock ID
    name: str
    model_name: str | None
    status: LockStatus


@dataclass(frozen=True, slots=True)
class LockList:
    """The account's locks by Lock ID, and when the read that gave them was asked for."""

    locks: dict[str, AccountLock]
    requested_at: float  # unix time: a read is as old as its request (webhooks may have come since)


def parse_account_lock(item: object) -> AccountLock | None:
    """Return one lock of the list, or None when it has no id or no bolt state."""
    if not isinstance(item, dict) or (lock_id := read_text(item.get("id"))) is None:
        return None
    fields = dict(item)
    fields.setdefault("lock_online", item.get("online"))  # the list says "online"
    try:
        status = parse_status(fields)
    except LoqedResponseError:
        return None
    return AccountLock(lock_id, read_text(item.get("name")) or lock_id, read_text(item.get("model_name")), status)


def parse_account_locks(payload: object) -> list[AccountLock]:
    """Return the locks of `{"data": [lock, ...]}`; a lock that cannot be read is left out."""
    items = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(items, list):
        raise LoqedResponseError("the lock list has no data")
    locks = [lock for item in items if (lock := parse_account_lock(item)) is not None]
    if len(locks) < len(items):
        _LOGGER.debug("Left out %s lock(s) of the list without an id or a bolt state", len(items) - len(locks))
    return locks


class LoqedAccountClient:
    """Talks to the Integrations API with one personal access token."""

    def __init__(
        self, session: ClientSession, token: str, *, hosts: Hosts | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        """Create a client for the account the token belongs to."""
        self._session = session
        self._headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self._hosts = hosts or Hosts.from_environment()
        self._timeout = timeout

    async def list_locks(self) -> list[AccountLock]:
        """Return every lock of the account, with its state."""
        status, body = await self._get(f"{self._hosts.integrations}{ACCOUNT_LOCKS_PATH}")
        raise_for_status(status)
        try:
            payload = json.loads(body)
        except ValueError, RecursionError:
            raise LoqedResponseError("the lock list is not JSON") from None
        return parse_account_locks(payload)

    def command_url(self, lock_id: str, action: Action) -> str:
        """Return the URL that moves `lock_id` with the token's own key."""
        path = BOLT_STATE_PATH.format(lock_id=quote(lock_id, safe=""), state=_BOLT_STATE_NAMES[action])
        return f"{self._hosts.integrations}{path}"

    async def send_command(self, lock_id: str, action: Action) -> None:
        """Send `action` once (204 = accepted); never again after an unclear outcome."""
        status, body = await send_once(lambda: self._get(self.command_url(lock_id, action)))
        if status == HTTPStatus.NOT_FOUND and _DELETED_KEY_MARK in body:
            raise LoqedKeyDeletedError("the token's key on this lock was deleted in the LOQED app (HTTP 404)")
        raise_for_status(status)

    async def _get(self, url: str) -> tuple[int, bytes]:
        return await fetch(self._session, url, timeout_seconds=self._timeout, headers=self._headers)


class LockListReader:
    """One read of the lock list shared by every lock of the account, and a long back-off.

    Reads that overlap, or come within SHARED_READ_SECONDS of the last one, share its answer.
    After a 429 no read goes out for BACK_OFF_SECONDS; `blocked_until` can be saved and given back.
    """

    def __init__(
        self,
        client: LoqedAccountClient,
        *,
        blocked_until: float | None = None,
        clock: Callable[[], float] = wall_clock,
    ) -> None:
        """Create a reader; `blocked_until` continues a back-off from before a restart."""
        self.client = client
        self.blocked_until = blocked_until
        self._clock = clock
        self._last: LockList | None = None
        self._pending: asyncio.Future[LockList] | None = None

    async def read(self, *, fresh: bool = False) -> LockList:
        """Return the account's locks; raise LoqedBackingOffError while backing off.

        A `fresh` read does not take the answer of a read moments ago (it still joins one under way).
        """
        now = self._clock()
        if self.blocked_until is not None and now < self.blocked_until:
            raise LoqedBackingOffError(self.blocked_until)
        if not fresh and self._last is not None and now - self._last.requested_at < SHARED_READ_SECONDS:
            return self._last
        if self._pending is None:
            self._pending = asyncio.ensure_future(self._read())
            self._pending.add_done_callback(self._forget_pending)
        return await asyncio.shield(self._pending)

    def _forget_pending(self, _done: asyncio.Future[LockList]) -> None:
        self._pending = None

    async def _read(self) -> LockList:
        requested_at = self._clock()
        try:
            locks = await self.client.list_locks()
        except LoqedRateLimitedError:
            self.blocked_until = self._clock() + BACK_OFF_SECONDS
            raise
        self.blocked_until = None
        self._last = LockList({lock.lock_id: lock for lock in locks}, requested_at)
        return self._last
