"""One GET to LOQED, sent at most once, with its answer capped; shared by both APIs."""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus

from aiohttp import (
    ClientConnectorError,
    ClientError,
    ClientHandlerType,
    ClientOSError,
    ClientRequest,
    ClientResponse,
    ClientSession,
    ClientTimeout,
    ConnectionTimeoutError,
    ServerDisconnectedError,
)
from yarl import URL

from .exceptions import (
    LoqedAuthError,
    LoqedConnectionError,
    LoqedNotFoundError,
    LoqedRateLimitedError,
    LoqedRequestRejectedError,
    LoqedResponseError,
    LoqedServerError,
    LoqedTimeoutError,
)

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
MAX_RESPONSE_BYTES = 64 * 1024


class _SentWithoutAnswerError(Exception):
    """The connection dropped after the request was written. Not a ClientError on purpose."""


async def _never_resend(request: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
    """Stop aiohttp from resending a GET whose connection dropped after it was written.

    aiohttp retries idempotent methods once on ClientOSError/ServerDisconnectedError; LOQED's
    commands are GETs, and a second OPEN unlatches the door again.
    """
    try:
        return await handler(request)
    except ClientConnectorError:
        raise  # never opened: nothing was sent
    except (ClientOSError, ServerDisconnectedError) as err:
        raise _SentWithoutAnswerError(type(err).__name__) from None


def raise_for_status(status: int) -> None:
    """Map an HTTP status to this package's errors; 2xx passes."""
    if 200 <= status < 300:
        return
    if 300 <= status < 400 or status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        raise LoqedAuthError(f"LOQED refused the credentials (HTTP {status})")
    if status == HTTPStatus.NOT_FOUND:
        raise LoqedNotFoundError("LOQED does not know this API key or lock (HTTP 404)")
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        raise LoqedRateLimitedError("LOQED rate-limited this account (HTTP 429)")
    if status >= 500:
        raise LoqedServerError(f"LOQED's server failed (HTTP {status})")
    raise LoqedRequestRejectedError(f"LOQED refused the request (HTTP {status})")


async def fetch(
    session: ClientSession,
    url: str,
    *,
    timeout_seconds: float,
    headers: Mapping[str, str] | None = None,
    on_response: Callable[[ClientResponse], None] | None = None,
) -> tuple[int, bytes]:
    """GET `url` once; return its status and body. `on_response` sees the answer before its body.

    A redirect is not followed: on LOQED's hosts it leads to a login page, an auth failure.
    """
    try:
        async with session.get(
            URL(url, encoded=True),
            headers=headers,
            allow_redirects=False,
            timeout=ClientTimeout(total=timeout_seconds),
            middlewares=(_never_resend,),
        ) as response:
            if on_response is not None:
                on_response(response)
            body = b""
            async for chunk in response.content.iter_any():
                body += chunk
                if len(body) > MAX_RESPONSE_BYTES:
                    raise LoqedResponseError("the answer from LOQED is too large")
            return response.status, body
    except (ClientConnectorError, ConnectionTimeoutError) as err:
        raise LoqedConnectionError(f"cannot connect to LOQED ({type(err).__name__})") from None
    except (TimeoutError, _SentWithoutAnswerError) as err:
        raise LoqedTimeoutError(f"no answer from LOQED ({type(err).__name__})") from None
    except ClientError as err:
        raise LoqedResponseError(f"the answer from LOQED was broken ({type(err).__name__})") from None


async def send_once[T](send: Callable[[], Awaitable[T]]) -> T:
    """Send a command; send it again only when the connection provably never opened.

    A command whose answer did not come (a timeout, a dropped connection) is never resent: it
    may have moved the lock, and a second OPEN unlatches the door again.
    """
    try:
        return await send()
    except LoqedConnectionError:
        _LOGGER.debug("Connection to LOQED not opened; trying once more")
        await asyncio.sleep(1)
        return await send()
