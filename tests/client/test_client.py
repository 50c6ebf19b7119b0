"""Requests go out byte-exact, errors map to typed exceptions, and nothing is resent.

A real aiohttp server on loopback stands in for LOQED.
"""

import asyncio
import base64
import hashlib
import hmac
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from urllib.parse import unquote

import pytest
from aiohttp import ClientSession, TraceConfig, web

from custom_components.loqed_web.aioloqedweb import (
    Action,
    Credentials,
    Hosts,
    LoqedAuthError,
    LoqedClockSkewError,
    LoqedConnectionError,
    LoqedCredentialsError,
    LoqedNotFoundError,
    LoqedRateLimitedError,
    LoqedRequestRejectedError,
    LoqedResponseError,
    LoqedServerError,
    LoqedStatusBudgetExhaustedError,
    LoqedTimeoutError,
    LoqedWebClient,
    SigningMode,
    StatusBudget,
)

from .test_budget import MemoryStore

KEY = base64.b64encode(bytes(range(32))).decode()
CREDENTIALS = Credentials(
    api_token="tok+en/=",
    lock_id="Yq1gK4oeE9KWe0ByxjX2",
    old_lock_id="6148",
    local_key_id=200,
    key=KEY,
    api_key="api/key+",
)
NOW = 1_767_225_600.0
STATUS_BODY = '{"bolt_state": "night_lock", "battery_percentage": 80, "lock_online": 1}'


async def never_answer(_request: web.Request) -> web.Response:
    """Hold the request past any client timeout."""
    await asyncio.sleep(30)
    raise AssertionError  # pragma: no cover


type RawHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def raw_server(handler: RawHandler) -> AsyncIterator[Hosts]:
    """Serve raw bytes on a loopback port, for answers no HTTP framework would give."""
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    try:
        yield Hosts(base, base)
    finally:
        server.close()
        await server.wait_closed()


def make_client(session: ClientSession, hosts: Hosts, **kwargs: object) -> LoqedWebClient:
    options: dict[str, object] = {"clock": time.time, "timeout": 2.0} | kwargs
    return LoqedWebClient(session, CREDENTIALS, hosts=hosts, **options)  # type: ignore[arg-type]  # test options


async def test_self_signed_command_request_is_byte_exact(loqed, session) -> None:
    fake, hosts = loqed
    fake.clock = lambda: NOW
    client = make_client(session, hosts, clock=lambda: NOW)
    await client.send_command(Action.OPEN)
    (request,) = fake.requests
    assert request.method == "GET"
    assert request.path == "/app/API/lock_command.php"
    raw_query = request.raw_path.split("?", 1)[1]
    token, lock_id, signed = raw_query.split("&")
    assert token == "api_token=tok%2Ben%2F%3D"
    assert lock_id == "lock_id=Yq1gK4oeE9KWe0ByxjX2"
    name, _, encoded = signed.partition("=")
    assert name == "command_signed_base64"
    assert not set("+/=") & set(encoded), "base64's reserved characters must be percent-encoded"
    command = base64.b64decode(unquote(encoded), validate=True)
    assert len(command) == 45
    assert command[:2] == b"\x02\x07"
    assert int.from_bytes(command[2:10], "big") == int(NOW)
    assert command[42:] == bytes([200, 1, 1])
    message = command[:10] + command[42:]
    assert command[10:42] == hmac.new(bytes(range(32)), message, hashlib.sha256).digest()


@pytest.mark.parametrize(
    ("action", "state"),
    [(Action.OPEN, "OPEN"), (Action.DAY_LOCK, "DAY_LOCK"), (Action.NIGHT_LOCK, "NIGHT_LOCK")],
)
async def test_server_signed_command_request(loqed, session, action: Action, state: str) -> None:
    fake, hosts = loqed
    await make_client(session, hosts).send_command(action, SigningMode.SERVER)
    (request,) = fake.requests
    assert request.path == "/gw/v1/locks/6148/state"
    assert request.raw_path.split("?", 1)[1] == (
        f"lock_api_key=api%2Fkey%2B&api_token=tok%2Ben%2F%3D&lock_state={state}&local_key_id=200"
    )


async def test_each_attempt_signs_afresh(loqed, session) -> None:
    fake, hosts = loqed
    now = [NOW]
    fake.clock = lambda: now[0]
    client = make_client(session, hosts, clock=lambda: now[0])
    await client.send_command(Action.NIGHT_LOCK)
    now[0] += 5
    await client.send_command(Action.NIGHT_LOCK)
    first, second = (base64.b64decode(unquote(r.query_string.rsplit("=", 1)[-1])) for r in fake.requests)
    assert int.from_bytes(second[2:10], "big") - int.from_bytes(first[2:10], "big") == 5


async def test_status_is_paid_from_the_budget(loqed, session) -> None:
    fake, hosts = loqed
    fake.handler = lambda request: _respond(text=STATUS_BODY, content_type="text/html")
    budget = StatusBudget(MemoryStore(), limit=1)
    client = make_client(session, hosts, budget=budget)
    status = await client.get_status()
    assert status.battery_percentage == 80
    assert fake.requests[0].raw_path == "/app/API/lock_status.php?api_token=tok%2Ben%2F%3D&lock_id=Yq1gK4oeE9KWe0ByxjX2"
    with pytest.raises(LoqedStatusBudgetExhaustedError) as raised:
        await client.get_status()
    assert raised.value.available_at == pytest.approx(time.time() + 12 * 3600, abs=5)
    assert len(fake.requests) == 1


async def test_status_without_a_budget(loqed, session) -> None:
    fake, hosts = loqed
    fake.handler = lambda request: _respond(text=STATUS_BODY)
    assert (await make_client(session, hosts).get_status()).lock_online is True


async def _respond(status: int = 200, text: str = "{}", **kwargs: object) -> web.Response:
    return web.Response(status=status, text=text, **kwargs)  # type: ignore[arg-type]  # test helper


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (302, LoqedAuthError),
        (301, LoqedAuthError),
        (401, LoqedAuthError),
        (403, LoqedAuthError),
        (404, LoqedNotFoundError),
        (429, LoqedRateLimitedError),
        (500, LoqedServerError),
        (503, LoqedServerError),
        (400, LoqedRequestRejectedError),
        (418, LoqedRequestRejectedError),
    ],
)
async def test_errors_map_to_types_and_are_not_resent(loqed, session, status: int, error: type[Exception]) -> None:
    fake, hosts = loqed
    fake.handler = lambda request: _respond(status, headers={"Location": "/login"})
    with pytest.raises(error) as raised:
        await make_client(session, hosts).send_command(Action.OPEN)
    assert len(fake.requests) == 1  # a redirect was not followed, nothing was resent
    assert "tok" not in str(raised.value)


@pytest.mark.parametrize("body", ["not json", "[1]", '{"bolt_state": "sideways"}'])
async def test_unreadable_status_answers(loqed, session, body: str) -> None:
    fake, hosts = loqed
    fake.handler = lambda request: _respond(text=body)
    with pytest.raises(LoqedResponseError):
        await make_client(session, hosts).get_status()


async def test_a_command_that_times_out_is_not_resent(loqed, session) -> None:
    fake, hosts = loqed
    fake.handler = never_answer
    with pytest.raises(LoqedTimeoutError):
        await make_client(session, hosts, timeout=0.3).send_command(Action.OPEN)
    await asyncio.sleep(0.5)
    assert len(fake.requests) == 1


async def test_a_connection_dropped_after_writing_is_not_resent(session) -> None:
    """aiohttp itself resends a GET once after such a drop; the client must stop it."""
    received: list[bytes] = []

    async def read_then_hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received.append(await reader.readuntil(b"\r\n\r\n"))
        writer.close()

    async with raw_server(read_then_hang_up) as hosts:
        with pytest.raises(LoqedTimeoutError, match="no answer"):
            await make_client(session, hosts).send_command(Action.OPEN)
        await asyncio.sleep(0.2)
        assert len(received) == 1
        assert received[0].startswith(b"GET /API/lock_command.php?")


async def test_a_connection_never_opened_is_tried_once_more_with_a_fresh_signature(
    session, monkeypatch: pytest.MonkeyPatch
) -> None:
    starts: list[str] = []

    async def on_start(_session: object, _context: object, params: object) -> None:
        starts.append(str(params.url))  # type: ignore[attr-defined]  # TraceRequestStartParams

    trace = TraceConfig()
    trace.on_request_start.append(on_start)
    now = [NOW]

    async def no_wait(seconds: float) -> None:
        now[0] += seconds

    monkeypatch.setattr("custom_components.loqed_web.aioloqedweb.transport.asyncio.sleep", no_wait)
    async with ClientSession(trace_configs=[trace]) as traced:
        closed = socket_port_closed()
        hosts = Hosts(f"http://127.0.0.1:{closed}", f"http://127.0.0.1:{closed}")
        with pytest.raises(LoqedConnectionError, match="cannot connect"):
            await make_client(traced, hosts, clock=lambda: now[0]).send_command(Action.OPEN)
    assert len(starts) == 2
    assert starts[0] != starts[1]  # signed again, one second later


async def test_status_refunds_the_budget_when_nothing_was_sent(session) -> None:
    closed = socket_port_closed()
    hosts = Hosts(f"http://127.0.0.1:{closed}", f"http://127.0.0.1:{closed}")
    budget = StatusBudget(MemoryStore(), limit=1)
    with pytest.raises(LoqedConnectionError):
        await make_client(session, hosts, budget=budget).get_status()
    assert budget.remaining == 1
    with pytest.raises(LoqedConnectionError):
        await make_client(session, hosts).get_status()


async def test_a_status_that_times_out_stays_paid(loqed, session) -> None:
    fake, hosts = loqed
    fake.handler = never_answer
    budget = StatusBudget(MemoryStore(), limit=2)
    with pytest.raises(LoqedTimeoutError):
        await make_client(session, hosts, budget=budget, timeout=0.3).get_status()
    assert budget.remaining == 1  # LOQED may have counted it


async def test_a_huge_answer_is_refused(loqed, session) -> None:
    fake, hosts = loqed
    fake.handler = lambda request: _respond(text=" " * 70_000)
    with pytest.raises(LoqedResponseError, match="too large"):
        await make_client(session, hosts).get_status()


async def test_a_broken_answer_is_a_response_error(session) -> None:
    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")
        await writer.drain()
        writer.close()

    async with raw_server(garbage) as hosts:
        with pytest.raises(LoqedResponseError, match="broken"):
            await make_client(session, hosts).get_status()


async def test_a_wrong_host_clock_is_named(loqed, session) -> None:
    fake, hosts = loqed
    client = make_client(session, hosts, clock=lambda: time.time() + 3600)
    with pytest.raises(LoqedClockSkewError, match=r"\+36\d\d s off") as raised:
        await client.send_command(Action.OPEN)
    assert raised.value.skew_seconds == pytest.approx(3600, abs=5)
    for status in (400, 401):
        fake.handler = lambda request, status=status: _respond(status)
        with pytest.raises(LoqedClockSkewError):
            await client.send_command(Action.OPEN)
    # The server signs its own URLs: the host clock does not matter there.
    fake.handler = fake.ok
    await client.send_command(Action.OPEN, SigningMode.SERVER)


async def test_a_refused_command_with_a_good_clock_is_a_plain_rejection(loqed, session) -> None:
    fake, hosts = loqed
    fake.handler = lambda request: _respond(400)
    with pytest.raises(LoqedRequestRejectedError):
        await make_client(session, hosts).send_command(Action.OPEN)


async def test_no_date_header_means_no_clock_check(session) -> None:
    async def bare(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
        await writer.drain()
        writer.close()

    async with raw_server(bare) as hosts:
        client = make_client(session, hosts, clock=lambda: NOW)  # 2026-01-01: far from now
        await client.send_command(Action.OPEN)
        assert client.last_clock_skew is None


async def test_missing_credentials_are_named_before_anything_is_sent(session) -> None:
    client = LoqedWebClient(session, Credentials(api_token="t", lock_id="Yq1gK4oeE9KWe0ByxjX2"))
    with pytest.raises(LoqedCredentialsError, match="missing: local_key_id"):
        await client.send_command(Action.OPEN)
    with pytest.raises(LoqedCredentialsError, match="missing: old_lock_id"):
        await client.send_command(Action.OPEN, SigningMode.SERVER)


def test_hosts_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOQED_WEB_BASE_URL", raising=False)
    assert Hosts.from_environment() == Hosts("https://app.loqed.com", "https://gateway.production.loqed.com")
    monkeypatch.setenv("LOQED_WEB_BASE_URL", "http://127.0.0.1:8999/")
    assert Hosts.from_environment() == Hosts(*["http://127.0.0.1:8999"] * 3)  # the Integrations API too


def socket_port_closed() -> int:
    """Return a loopback port with nothing listening."""
    import socket  # noqa: PLC0415  # only this helper needs it

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
