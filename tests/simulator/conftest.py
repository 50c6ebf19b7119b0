"""The simulator runs in-process here, on loopback."""

import asyncio
import base64
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer, make_mocked_request

from custom_components.loqed_web.aioloqedweb import Credentials, Hosts, LoqedWebClient
from simulator.cloud import Cloud, create_app
from simulator.faults import Faults
from simulator.lock import VirtualLock


@pytest.fixture(autouse=True)
def loopback_sockets(socket_enabled: None) -> None:
    """Allow sockets; pytest-socket still refuses every host but 127.0.0.1."""


def make_mocked_control(cloud: Cloud, body: dict[str, Any]) -> web.Request:
    """Return a POST /control request carrying `body`, for calling the handler directly."""
    request = make_mocked_request("POST", "/control")

    async def read_json() -> dict[str, Any]:
        return body

    request.json = read_json  # type: ignore[method-assign]  # a canned body, no transport
    return request


class Webhooks:
    """Collects what the simulator posts."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    async def receive(self, request: web.Request) -> web.Response:
        self.events.append(await request.json())
        return web.Response()

    async def wait_for(self, count: int) -> list[dict[str, Any]]:
        for _ in range(100):
            if len(self.events) >= count:
                return self.events
            await asyncio.sleep(0.05)
        raise AssertionError(f"{len(self.events)} webhooks, expected {count}")


@pytest.fixture
async def world() -> AsyncIterator[tuple[Cloud, LoqedWebClient, Webhooks]]:
    lock = VirtualLock.create(0, "test")
    cloud = Cloud([lock], Faults())
    server = TestServer(create_app(cloud), host="127.0.0.1")
    await server.start_server()
    cloud.base_url = str(server.make_url("")).rstrip("/")
    hooks = Webhooks()
    hook_app = web.Application()
    hook_app.router.add_post("/hook", hooks.receive)
    hook_server = TestServer(hook_app, host="127.0.0.1")
    await hook_server.start_server()
    lock.webhook_urls = [str(hook_server.make_url("/hook"))]
    creds = Credentials(
        api_token=lock.api_token,
        lock_id=lock.lock_id,
        old_lock_id=lock.old_lock_id,
        local_key_id=lock.local_key_id,
        key=base64.b64encode(lock.key).decode(),
        api_key=lock.api_key,
    )
    async with ClientSession() as session:
        yield cloud, LoqedWebClient(session, creds, hosts=Hosts(cloud.base_url, cloud.base_url)), hooks
    await server.close()
    await hook_server.close()
