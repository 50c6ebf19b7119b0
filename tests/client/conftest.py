"""The client tests talk to real servers on loopback; HA's test plugin blocks sockets otherwise."""

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from email.utils import formatdate

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer

from custom_components.loqed_web.aioloqedweb import Hosts


@pytest.fixture(autouse=True)
def loopback_sockets(socket_enabled: None) -> None:
    """Allow sockets; pytest-socket still refuses every host but 127.0.0.1."""


type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class FakeLoqed:
    """Records every request and answers with `handler`."""

    def __init__(self) -> None:
        self.requests: list[web.Request] = []
        self.handler: Handler = self.ok
        self.clock: Callable[[], float] = time.time

    async def ok(self, request: web.Request) -> web.StreamResponse:
        return web.Response(text="{}", headers={"Date": formatdate(self.clock(), usegmt=True)})

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request)
        return await self.handler(request)


@pytest.fixture
async def loqed() -> AsyncIterator[tuple[FakeLoqed, Hosts]]:
    fake = FakeLoqed()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", fake.dispatch)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    base = str(server.make_url("")).rstrip("/")
    yield fake, Hosts(app=base + "/app", gateway=base + "/gw", integrations=base + "/int")
    await server.close()


@pytest.fixture
async def session() -> AsyncIterator[ClientSession]:
    async with ClientSession() as client_session:
        yield client_session
