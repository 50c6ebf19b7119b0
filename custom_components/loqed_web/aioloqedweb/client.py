"""An async client for LOQED's web API: the status call and the two kinds of command."""

import json
from collections.abc import Callable
from email.utils import parsedate_to_datetime

from aiohttp import ClientResponse, ClientSession

from .budget import StatusBudget
from .clock import wall_clock
from .credentials import Capability, Credentials
from .endpoints import COMMAND_PATH, GATEWAY_STATE_PATH, STATUS_PATH, Hosts, encode_query
from .exceptions import (
    LoqedAuthError,
    LoqedClockSkewError,
    LoqedConnectionError,
    LoqedCredentialsError,
    LoqedRequestRejectedError,
    LoqedResponseError,
    LoqedStatusBudgetExhaustedError,
)
from .models import Action, LockStatus, SigningMode
from .signing import CommandLayout, encode_command, sign_command
from .status import parse_status
from .transport import DEFAULT_TIMEOUT, fetch, raise_for_status, send_once

# The lock refuses commands signed more than about a minute away from its own clock.
CLOCK_WINDOW_SECONDS = 60.0
_SERVER_STATE_NAMES = {Action.OPEN: "OPEN", Action.DAY_LOCK: "DAY_LOCK", Action.NIGHT_LOCK: "NIGHT_LOCK"}


class LoqedWebClient:
    """Talks to LOQED's web API for one lock, with the credentials of one API key."""

    def __init__(
        self,
        session: ClientSession,
        credentials: Credentials,
        *,
        budget: StatusBudget | None = None,
        hosts: Hosts | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], float] = wall_clock,
        layout: CommandLayout = CommandLayout.WEB_API,
    ) -> None:
        """Create a client; `budget`, when given, pays for every status call."""
        self._session = session
        self.credentials = credentials
        self._budget = budget
        self._hosts = hosts or Hosts.from_environment()
        self._timeout = timeout
        self._clock = clock
        self._layout = layout
        self.last_clock_skew: float | None = None

    def _require(self, capability: Capability) -> None:
        if missing := self.credentials.missing_for(capability):
            raise LoqedCredentialsError("missing", missing[0])

    def status_url(self) -> str:
        """Return the URL of the status call."""
        self._require(Capability.READ_STATUS)
        query = encode_query({"api_token": self.credentials.api_token or "", "lock_id": self.credentials.lock_id or ""})
        return f"{self._hosts.app}{STATUS_PATH}?{query}"

    def command_url(self, action: Action, mode: SigningMode) -> str:
        """Return the URL for `action`; a locally signed one carries a fresh signature."""
        creds = self.credentials
        if mode is SigningMode.LOCAL:
            self._require(Capability.LOCAL_SIGNING)
            signed = sign_command(creds.key_bytes, creds.local_key_id or 0, action, int(self._clock()), self._layout)
            query = encode_query(
                {
                    "api_token": creds.api_token or "",
                    "lock_id": creds.lock_id or "",
                    "command_signed_base64": encode_command(signed),
                }
            )
            return f"{self._hosts.app}{COMMAND_PATH}?{query}"
        self._require(Capability.SERVER_SIGNING)
        query = encode_query(
            {
                "lock_api_key": creds.api_key or "",
                "api_token": creds.api_token or "",
                "lock_state": _SERVER_STATE_NAMES[action],
                "local_key_id": str(creds.local_key_id),
            }
        )
        path = GATEWAY_STATE_PATH.format(old_lock_id=creds.old_lock_id)
        return f"{self._hosts.gateway}{path}?{query}"

    async def get_status(self) -> LockStatus:
        """Spend one call of the budget and return the lock's status."""
        url = self.status_url()
        if self._budget is not None and not await self._budget.try_spend():
            raise LoqedStatusBudgetExhaustedError(self._budget.available_at)
        try:
            body = await self._get(url)
        except LoqedConnectionError:
            if self._budget is not None:
                await self._budget.refund()  # nothing reached LOQED, so nothing was counted
            raise
        try:
            payload = json.loads(body)
        except ValueError, RecursionError:
            raise LoqedResponseError("the status answer is not JSON") from None
        return parse_status(payload)

    async def send_command(self, action: Action, mode: SigningMode = SigningMode.LOCAL) -> None:
        """Send `action` once; retry only when the connection provably never opened.

        A success means LOQED took the command; the webhook that follows proves the lock moved.
        """
        try:
            await send_once(lambda: self._get(self.command_url(action, mode)))  # a fresh signature each time
        except LoqedRequestRejectedError, LoqedAuthError:
            self._check_clock(mode)  # a wrong clock explains a refused signature best
            raise
        self._check_clock(mode)

    def _check_clock(self, mode: SigningMode) -> None:
        """Raise when this host's clock is too far off for the lock to accept its signature."""
        skew = self.last_clock_skew
        if mode is SigningMode.LOCAL and skew is not None and abs(skew) > CLOCK_WINDOW_SECONDS:
            raise LoqedClockSkewError(skew)

    def _read_clock_skew(self, response: ClientResponse) -> float | None:
        """Return how far this host's clock is ahead of LOQED's, from the Date header."""
        try:
            server_time = parsedate_to_datetime(response.headers["Date"]).timestamp()
        except KeyError, TypeError, ValueError, IndexError:
            return None
        return self._clock() - server_time

    async def _get(self, url: str) -> bytes:
        """GET `url` once and return the body; raise on any failure."""

        def check(response: ClientResponse) -> None:
            self.last_clock_skew = self._read_clock_skew(response)
            raise_for_status(response.status)

        _status, body = await fetch(self._session, url, timeout_seconds=self._timeout, on_response=check)
        return body
