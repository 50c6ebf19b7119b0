"""The Integrations API: the lock list, commands byte-exact, errors typed, nothing resent."""

import asyncio

import pytest
from aiohttp import ClientSession, web

from custom_components.loqed_web.aioloqedweb import (
    BACK_OFF_SECONDS,
    Action,
    BatteryType,
    BoltState,
    Hosts,
    LockListReader,
    LoqedAccountClient,
    LoqedAuthError,
    LoqedBackingOffError,
    LoqedConnectionError,
    LoqedKeyDeletedError,
    LoqedNotFoundError,
    LoqedRateLimitedError,
    LoqedResponseError,
    LoqedServerError,
    LoqedTimeoutError,
)
from custom_components.loqed_web.aioloqedweb.integrations import (
    SHARED_READ_SECONDS,
    parse_account_lock,
    parse_account_locks,
)

from .conftest import FakeLoqed
from .test_client import socket_port_closed

TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2ln"
FRONT_DOOR = {
    "id": "Yq1gK4oeE9KWe0ByxjX2",
    "name": "Front door",
    "model_name": "LOQED Touch Smart Lock",
    "battery_percentage": 77,
    "battery_type": "lithium",
    "bolt_state": "day_lock",
    "online": True,
    "party_mode": False,
    "supported_lock_states": ["open", "day_lock", "night_lock"],
}


def answer(status: int = 200, text: str = "", content_type: str = "application/json") -> web.Response:
    return web.Response(status=status, text=text, content_type=content_type)


async def test_the_lock_list_is_read_with_the_token_and_typed(loqed: tuple[FakeLoqed, Hosts], session) -> None:
    fake, hosts = loqed
    back_door = {"id": "BackDoor0000000000ab", "bolt_state": "night_lock", "online": 0, "battery_percentage": -1}

    async def handler(_request: web.Request) -> web.Response:
        return web.json_response({"data": [FRONT_DOOR, back_door, {"name": "no id"}, {"id": "x"}]})

    fake.handler = handler
    locks = await LoqedAccountClient(session, TOKEN, hosts=hosts).list_locks()
    [request] = fake.requests
    assert (request.method, request.path_qs) == ("GET", "/int/api/locks/")
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert [(lock.lock_id, lock.name, lock.model_name) for lock in locks] == [
        ("Yq1gK4oeE9KWe0ByxjX2", "Front door", "LOQED Touch Smart Lock"),
        ("BackDoor0000000000ab", "BackDoor0000000000ab", None),  # no name: the id stands in
    ]
    front, back = (lock.status for lock in locks)
    assert (front.bolt_state, front.battery_percentage, front.battery_type, front.lock_online) == (
        BoltState.DAY_LOCK,
        77,
        BatteryType.LITHIUM,
        True,
    )
    assert (back.bolt_state, back.battery_percentage, back.lock_online) == (BoltState.NIGHT_LOCK, None, False)


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (302, LoqedAuthError),  # an unauthenticated call goes to the login page
        (401, LoqedAuthError),
        (403, LoqedAuthError),
        (404, LoqedNotFoundError),
        (429, LoqedRateLimitedError),
        (503, LoqedServerError),
    ],
)
async def test_list_errors_are_typed(loqed, session, status: int, error: type[Exception]) -> None:
    fake, hosts = loqed

    async def handler(_request: web.Request) -> web.Response:
        headers = {"Location": "https://integrations.loqed.com/login"} if status == 302 else {}
        return web.Response(status=status, text="<html>login</html>", headers=headers)

    fake.handler = handler
    with pytest.raises(error):
        await LoqedAccountClient(session, TOKEN, hosts=hosts).list_locks()
    assert len(fake.requests) == 1, "a redirect is not followed"


@pytest.mark.parametrize("body", ["<html>", '{"locks": []}', '{"data": {}}', "[]"])
async def test_a_list_that_cannot_be_read_is_a_response_error(loqed, session, body: str) -> None:
    fake, hosts = loqed

    async def handler(_request: web.Request) -> web.Response:
        return answer(text=body)

    fake.handler = handler
    with pytest.raises(LoqedResponseError):
        await LoqedAccountClient(session, TOKEN, hosts=hosts).list_locks()


@pytest.mark.parametrize(
    ("action", "state"), [(Action.OPEN, "open"), (Action.DAY_LOCK, "day_lock"), (Action.NIGHT_LOCK, "night_lock")]
)
async def test_a_command_is_one_get_with_the_token(loqed, session, action: Action, state: str) -> None:
    fake, hosts = loqed

    async def handler(_request: web.Request) -> web.Response:
        return web.Response(status=204)

    fake.handler = handler
    await LoqedAccountClient(session, TOKEN, hosts=hosts).send_command("Yq1gK4oeE9KWe0ByxjX2", action)
    [request] = fake.requests
    assert (request.method, request.path_qs) == ("GET", f"/int/api/locks/Yq1gK4oeE9KWe0ByxjX2/bolt_state/{state}")
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"


async def test_a_deleted_key_is_told_apart_from_another_404(loqed, session) -> None:
    fake, hosts = loqed
    bodies = ['{"message":"No query results for model [App\\\\Models\\\\ApiKey]."}', '{"message":"Not found"}']

    async def handler(_request: web.Request) -> web.Response:
        return answer(404, bodies.pop(0))

    fake.handler = handler
    client = LoqedAccountClient(session, TOKEN, hosts=hosts)
    with pytest.raises(LoqedKeyDeletedError):
        await client.send_command("Yq1gK4oeE9KWe0ByxjX2", Action.OPEN)
    with pytest.raises(LoqedNotFoundError) as other:
        await client.send_command("Yq1gK4oeE9KWe0ByxjX2", Action.OPEN)
    assert not isinstance(other.value, LoqedKeyDeletedError)


async def test_a_command_without_an_answer_is_never_resent(loqed, session) -> None:
    fake, hosts = loqed

    async def handler(_request: web.Request) -> web.Response:
        await asyncio.sleep(30)
        raise AssertionError  # pragma: no cover

    fake.handler = handler
    with pytest.raises(LoqedTimeoutError):
        await LoqedAccountClient(session, TOKEN, hosts=hosts, timeout=0.3).send_command("L", Action.OPEN)
    await asyncio.sleep(0.5)
    assert len(fake.requests) == 1


async def test_a_command_whose_connection_never_opened_is_tried_once_more(
    session: ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("custom_components.loqed_web.aioloqedweb.transport.asyncio.sleep", no_wait)
    closed = f"http://127.0.0.1:{socket_port_closed()}"
    client = LoqedAccountClient(session, TOKEN, hosts=Hosts(closed, closed, closed))
    with pytest.raises(LoqedConnectionError):
        await client.send_command("L", Action.NIGHT_LOCK)
    assert waits == [1]  # one more try, after a second


def test_a_lock_id_is_quoted_into_the_path() -> None:
    client = LoqedAccountClient(None, TOKEN, hosts=Hosts("a", "b", "https://int"))  # type: ignore[arg-type]  # no session needed
    assert client.command_url("a/b c", Action.OPEN) == "https://int/api/locks/a%2Fb%20c/bolt_state/open"


@pytest.mark.parametrize("item", [None, [], {"id": ""}, {"id": "L", "bolt_state": "sideways"}])
def test_an_unusable_lock_is_left_out(item: object) -> None:
    assert parse_account_lock(item) is None


def test_a_list_of_good_locks_is_read_whole() -> None:
    assert [lock.lock_id for lock in parse_account_locks({"data": [FRONT_DOOR, FRONT_DOOR | {"id": "B"}]})] == [
        "Yq1gK4oeE9KWe0ByxjX2",
        "B",
    ]


class CountingClient:
    """Stands in for LoqedAccountClient: counts reads, answers or raises what it is given."""

    def __init__(self) -> None:
        self.reads = 0
        self.answers: list[object] = []
        self.gate = asyncio.Event()
        self.gate.set()

    async def list_locks(self) -> list[object]:
        self.reads += 1
        await self.gate.wait()
        answer = self.answers.pop(0) if self.answers else [parse_account_lock(FRONT_DOOR)]
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[return-value]  # test data


async def test_reads_that_overlap_or_follow_closely_share_one_call() -> None:
    now = [1000.0]
    client = CountingClient()
    reader = LockListReader(client, clock=lambda: now[0])  # type: ignore[arg-type]  # a stand-in client
    client.gate.clear()
    first, second = asyncio.ensure_future(reader.read()), asyncio.ensure_future(reader.read())
    await asyncio.sleep(0)
    client.gate.set()
    assert (await first).locks.keys() == (await second).locks.keys() == {"Yq1gK4oeE9KWe0ByxjX2"}
    now[0] += SHARED_READ_SECONDS - 1
    await reader.read()
    assert client.reads == 1
    await reader.read(fresh=True)  # after a lost confirmation: what the list says now
    assert client.reads == 2
    await reader.read()
    assert client.reads == 2
    now[0] += SHARED_READ_SECONDS
    await reader.read()
    assert client.reads == 3


async def test_a_429_backs_off_for_twelve_hours_without_a_call() -> None:
    now = [1000.0]
    client = CountingClient()
    client.answers = [LoqedRateLimitedError("429")]
    reader = LockListReader(client, clock=lambda: now[0])  # type: ignore[arg-type]  # a stand-in client
    with pytest.raises(LoqedRateLimitedError):
        await reader.read()
    assert reader.blocked_until == 1000.0 + BACK_OFF_SECONDS == 1000.0 + 12 * 3600
    now[0] += BACK_OFF_SECONDS - 1
    with pytest.raises(LoqedBackingOffError) as backing_off:
        await reader.read()
    assert backing_off.value.blocked_until == reader.blocked_until
    assert client.reads == 1
    now[0] += 1
    await reader.read()
    assert (client.reads, reader.blocked_until) == (2, None)


async def test_a_back_off_from_before_a_restart_is_kept() -> None:
    client = CountingClient()
    reader = LockListReader(client, blocked_until=2000.0, clock=lambda: 1999.0)  # type: ignore[arg-type]  # a stand-in
    with pytest.raises(LoqedBackingOffError):
        await reader.read()
    assert client.reads == 0
