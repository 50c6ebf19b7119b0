"""The simulated LOQED cloud: web API endpoints, lock motion, webhooks, and a control endpoint."""

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import logging
import struct
import time
from collections import deque
from collections.abc import Awaitable, Callable
from email.utils import formatdate
from typing import Any
from urllib.parse import quote

from aiohttp import ClientSession, ClientTimeout, web

from .account import Account
from .faults import Faults
from .lock import ACTIONS, REACHED_EVENT, REMOTE_GOING_EVENT, SETTABLE, VirtualLock

_LOGGER = logging.getLogger("simulator")

# What POST /control takes; every key is optional.
CONTROL_HELP = """\
{"faults": {"copy_delay": 0, ...}}            fault switches (see --help)
{"lock": 0, "webhook_url": "http://..."}       where lock 0 posts its webhooks
{"lock": 0, "set": {"battery": 15}}            change the lock; battery, wifi, ble and lock_online
                                               are reported by webhook as LOQED does
{"lock": 0, "knob": "DAY_LOCK"}                turn the knob (keyless, no "going to" event)
{"lock": 0, "button": true}                    press the outside button (opens, latches by itself)
{"lock": 0, "keypad": "Cleaner"}               type the keypad code named Cleaner
{"lock": 0, "touch_to_open": true}             the owner's Touch to Open
{"lock": 0, "report": true}                    send battery, signal and online, one event each
{"lock": 0, "event": {...}}                    post any body
{"lock": 0, "set": {"token_key_deleted": true}} the token's key on lock 0 deleted in the app
{"token": {"expires_in": 600}}                 issue a new personal access token
{"token": {"revoked": true}}                   revoke it: calls go to /login
{"token": {"list_status": 429}}                answer the lock list with this status (0: normally)
{"token": {"leave_out": 0}}                    leave lock 0 out of the next lock list read (a glitch)
{"reset_counts": true}                         zero the counters
GET /portal/0                                  what the LOQED portal shows for lock 0, to paste
"""

STATUS_LIMIT = 12
STATUS_WINDOW = 12 * 3600.0
CLOCK_WINDOW = 60.0
MOVE_SECONDS = 1.0
OPEN_FALLBACK_SECONDS = 3.0


class Cloud:
    """The state of the simulated cloud, shared by its endpoints."""

    def __init__(self, locks: list[VirtualLock], faults: Faults, base_url: str = "") -> None:
        """Serve `locks` with `faults` switched on."""
        self.locks = locks
        self.faults = faults
        self.base_url = base_url
        self.status_calls: deque[float] = deque()  # one account for all locks
        self.blocked_until = 0.0
        self.counts = {"status": 0, "status_refused": 0, "commands": 0, "commands_accepted": 0, "webhooks": 0,
                       "lock_list": 0}  # fmt: skip
        self.received_commands: list[dict[str, Any]] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._session: ClientSession | None = None
        self._fallbacks: dict[int, asyncio.TimerHandle] = {}
        self.account = Account(self)
        # Called after anything that a restart keeps may have changed (see `remembered`).
        self.on_change: Callable[[], None] = lambda: None
        self._other_locks: dict[str, Any] = {}  # remembered locks that this run does not serve

    def now(self) -> float:
        """Return the cloud's clock (skewed by the clock_skew fault)."""
        return time.time() + self.faults.clock_skew

    # --- helpers -----------------------------------------------------------------------------
    def _json(self, data: object, status: int = 200) -> web.Response:
        return web.json_response(data, status=status, headers={"Date": formatdate(self.now(), usegmt=True)})

    def login_redirect(self) -> web.Response:
        """Answer as LOQED does to an unauthenticated call: a redirect to its login page."""
        return web.Response(status=302, headers={"Location": "/login", "Date": formatdate(self.now(), usegmt=True)})

    def _lock_by_token(self, token: str) -> VirtualLock | None:
        return next((lock for lock in self.locks if hmac.compare_digest(lock.api_token, token)), None)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- web API -----------------------------------------------------------------------------
    async def status(self, request: web.Request) -> web.Response:
        """GET /API/lock_status.php: counted per account; over 12 in 12 hours blocks it."""
        self.counts["status"] += 1
        now = time.time()
        while self.status_calls and self.status_calls[0] <= now - STATUS_WINDOW:
            self.status_calls.popleft()
        self.status_calls.append(now)
        if now < self.blocked_until or len(self.status_calls) > STATUS_LIMIT:
            self.blocked_until = max(self.blocked_until, now + STATUS_WINDOW)
            self.counts["status_refused"] += 1
            return web.Response(status=429)
        lock = self._lock_by_token(request.query.get("api_token", ""))
        if lock is None or lock.token_revoked:
            return self.login_redirect()
        if request.query.get("lock_id") != lock.lock_id:
            return self._json({"message": "lock not found"}, 404)
        return self._json(lock.status())

    async def command(self, request: web.Request) -> web.StreamResponse:
        """GET /API/lock_command.php: a command signed by the client with the lock's Key."""
        self.counts["commands"] += 1
        lock = self._lock_by_token(request.query.get("api_token", ""))
        self.received_commands.append({"path": request.path, "query": request.query_string, "at": time.time()})
        if lock is None or lock.token_revoked:
            return self.login_redirect()
        if request.query.get("lock_id") != lock.lock_id:
            return self._json({"message": "lock not found"}, 404)
        action, problem = self._verify(lock, request.query.get("command_signed_base64", ""))
        if problem:
            _LOGGER.info("refused a command: %s", problem)
            return self._json({"message": problem}, 400)
        return await self.accept(lock, ACTIONS[action])

    async def gateway(self, request: web.Request) -> web.StreamResponse:
        """GET /v1/locks/{old}/state: a command the server signs, from the portal's ready URLs."""
        self.counts["commands"] += 1
        self.received_commands.append({"path": request.path, "query": request.query_string, "at": time.time()})
        lock = self._lock_by_token(request.query.get("api_token", ""))
        if lock is None or lock.token_revoked:
            return self.login_redirect()
        if (
            request.match_info["old_lock_id"] != lock.old_lock_id
            or request.query.get("lock_api_key") != lock.api_key
            or request.query.get("local_key_id") != str(lock.local_key_id)
        ):
            return self._json({"message": "API key not found"}, 404)
        target = request.query.get("lock_state", "")
        if target not in REACHED_EVENT:
            return self._json({"message": "unknown lock_state"}, 400)
        return await self.accept(lock, target)

    def _verify(self, lock: VirtualLock, encoded: str) -> tuple[int, str]:  # noqa: PLR0911  # one return per check
        """Check a signed command as the lock would; return (action, problem or "")."""
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error, ValueError:
            return 0, "not base64"
        if len(raw) == 53 and raw[:8] == bytes(8):
            raw = raw[8:]  # the bridge layout: an 8-byte message id of zeros in front
        if len(raw) != 45:
            return 0, f"length {len(raw)}"
        protocol, command_type, timestamp = struct.unpack(">BBQ", raw[:10])
        digest, (key_id, device_id, action) = raw[10:42], raw[42:45]
        if (protocol, command_type, device_id) != (2, 7, 1) or action not in ACTIONS:
            return 0, "malformed"
        if key_id != lock.local_key_id:
            return 0, "wrong key id"
        expected = hmac.new(lock.key, raw[:10] + raw[42:45], hashlib.sha256).digest()
        if not hmac.compare_digest(digest, expected):
            return 0, "bad signature"
        if abs(timestamp - self.now()) > CLOCK_WINDOW:
            return 0, f"stale timestamp ({timestamp - self.now():+.0f} s)"
        return action, ""

    async def accept(
        self,
        lock: VirtualLock,
        target: str,
        operator: dict[str, object] | None = None,
        answer: web.Response | None = None,
    ) -> web.StreamResponse:
        """Take a command (unless a fault says otherwise) and move the lock as `operator`."""
        if self.faults.command_timeout:
            await asyncio.sleep(30)
            return self._json({}, 504)
        if self.faults.command_status:
            return self._json({"message": "simulated failure"}, self.faults.command_status)
        self.counts["commands_accepted"] += 1
        self._spawn(self._move(lock, target, REMOTE_GOING_EVENT[target], operator or lock.operator()))
        return answer or self._json({})

    # --- lock motion and webhooks ------------------------------------------------------------
    async def _move(self, lock: VirtualLock, target: str, going_type: str, operator: dict[str, object]) -> None:
        """Post "going to", then "reached" a second later; OPEN falls back to DAY_LOCK."""
        if not (lock.lock_online and lock.bridge_online):
            return
        going = {"go_to_state": target, "event_type": going_type, **operator}
        if target == lock.state:
            await self.post(lock, going)  # nothing moves: no "reached" event follows
            return
        if self.faults.reorder_webhooks:
            await asyncio.sleep(MOVE_SECONDS)
            await self._arrive(lock, target, operator)
            await self.post(lock, going)
            return
        await self.post(lock, going)
        await asyncio.sleep(MOVE_SECONDS)
        await self._arrive(lock, target, operator)

    async def _arrive(self, lock: VirtualLock, target: str, operator: dict[str, object]) -> None:
        if lock.flat_battery:
            return
        if lock.motor_stall:
            self._set_state(lock, "UNKNOWN")
            await self.post(lock, {"requested_state": "UNKNOWN", "event_type": "MOTOR_STALL", **operator})
            return
        self._set_state(lock, target)
        await self.post(lock, {"requested_state": target, "event_type": REACHED_EVENT[target], **operator})
        if target == "OPEN":
            await asyncio.sleep(OPEN_FALLBACK_SECONDS)
            if lock.state == "OPEN":
                # The latch falls back by itself: a keyless event, with the owner's names filled in.
                await self._turn_knob(lock, "DAY_LOCK")

    async def _turn_knob(self, lock: VirtualLock, target: str) -> None:
        """Move without a key and without a "going to" event: the knob, or the latch after OPEN."""
        self._set_state(lock, target)
        await self.post(lock, {"requested_state": target, "event_type": REACHED_EVENT[target], **lock.keyless()})

    def _set_state(self, lock: VirtualLock, state: str) -> None:
        lock.state = state
        self.on_change()  # a move ends after its request has been answered

    async def _report(self, lock: VirtualLock, changed: set[str]) -> None:
        """Post battery, signal and online as the separate events real LOQED sends."""
        if "battery" in changed:
            await self.post(lock, {"battery_percentage": lock.battery if lock.lock_online else -1})
        if changed & {"wifi", "ble"}:
            await self.post(lock, {"wifi_strength": lock.wifi, "ble_strength": lock.ble})
        if "lock_online" in changed:
            await self.post(lock, {"online": "1" if lock.lock_online else "0"})

    async def post(self, lock: VirtualLock, event: dict[str, Any]) -> None:
        """POST one event to the lock's webhook URLs, and its copy later, with the faults applied."""
        body = {"lock_id": int(lock.old_lock_id), **event}
        if "event_type" in event:  # IFTTT-style extras, as real LOQED adds them
            body |= {"value1": event["event_type"], "value2": event.get("key_name_user", ""),
                     "value3": event.get("key_account_email", "")}  # fmt: skip
        if self.faults.drop_webhooks or not lock.webhook_urls:
            return
        if self.faults.webhook_delay:
            await asyncio.sleep(self.faults.webhook_delay)
        await self._deliver(lock, body)
        if self.faults.copy_delay > 0:
            self._spawn(self._deliver_copy(lock, body, self.faults.copy_delay))

    async def _deliver_copy(self, lock: VirtualLock, body: dict[str, Any], delay: float) -> None:
        await asyncio.sleep(delay)
        await self._deliver(lock, body)

    async def _deliver(self, lock: VirtualLock, body: dict[str, Any]) -> None:
        if self._session is None:
            self._session = ClientSession(timeout=ClientTimeout(total=10))
        for url in lock.webhook_urls:
            try:
                async with self._session.post(url, json=body) as response:
                    self.counts["webhooks"] += 1
                    _LOGGER.info("webhook %s -> %s", body.get("event_type") or list(body)[1:], response.status)
            except Exception as err:  # a simulator keeps going whatever the peer does
                _LOGGER.warning("webhook not delivered: %s", type(err).__name__)

    # --- control endpoint ----------------------------------------------------------------------
    async def control_get(self, request: web.Request) -> web.Response:
        """GET /control: counts, faults and locks, for tests and the curious."""
        return web.json_response(
            {
                "counts": self.counts,
                "received_commands": self.received_commands,
                "faults": vars(self.faults),
                "locks": [self.describe(lock) for lock in self.locks],
                "personal_access_token": self.account.token,
            }
        )

    async def control_post(self, request: web.Request) -> web.Response:
        """POST /control: see CONTROL_HELP."""
        body = await request.json()
        try:
            self.faults.update(body.get("faults", {}))
        except (KeyError, ValueError) as err:
            return web.json_response({"error": f"unknown or bad fault {err}"}, status=400)
        if problem := self._set_token(body.get("token", {})):
            return web.json_response({"error": problem}, status=400)
        lock = self.locks[int(body.get("lock", 0))]
        if url := body.get("webhook_url"):
            lock.webhook_urls = [url]
        settings = body.get("set", {})
        for name, value in settings.items():
            if name not in SETTABLE:
                return web.json_response({"error": f"cannot set {name}"}, status=400)
            setattr(lock, name, value)
        if problem := self._operate(lock, body):
            return web.json_response({"error": problem}, status=400)
        if reported := set(settings) & {"battery", "wifi", "ble", "lock_online"}:
            self._spawn(self._report(lock, reported))  # the lock tells LOQED, LOQED tells us
        if body.get("report"):
            self._spawn(self._report(lock, {"battery", "wifi", "lock_online"}))
        if event := body.get("event"):
            self._spawn(self.post(lock, event))
        if body.get("reset_counts"):
            self.counts = dict.fromkeys(self.counts, 0)
            self.received_commands.clear()
        return web.json_response({"ok": True})

    def _set_token(self, settings: dict[str, Any]) -> str:
        """Change the personal access token; return a problem, or "" when fine."""
        if unknown := set(settings) - {"expires_in", "revoked", "list_status", "leave_out"}:
            return f"token: unknown {', '.join(sorted(unknown))}"
        if "expires_in" in settings:
            self.account.issue(float(settings["expires_in"]))
        if "revoked" in settings:
            self.account.revoked = bool(settings["revoked"])
        if "list_status" in settings:
            self.account.list_status = int(settings["list_status"])
        if "leave_out" in settings:
            self.account.left_out.add(self.locks[int(settings["leave_out"])].lock_id)
        return ""

    def _operate(self, lock: VirtualLock, body: dict[str, Any]) -> str:
        """Move the lock as a person at the door would; return a problem, or "" when fine."""
        if target := body.get("knob"):
            if target not in ("DAY_LOCK", "NIGHT_LOCK"):
                return "knob: DAY_LOCK or NIGHT_LOCK"
            self._spawn(self._turn_knob(lock, target))
        if body.get("button"):
            going = "GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_BUTTON"
            self._spawn(self._move(lock, "OPEN", going, lock.keyless()))
        if name := body.get("keypad"):
            self._spawn(self._move(lock, "OPEN", "GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_PIN", lock.pin(name)))
        if body.get("touch_to_open"):
            self._spawn(self._move(lock, "OPEN", "GO_TO_STATE_INSTANTOPEN_OPEN", lock.owner()))
        return ""

    def describe(self, lock: VirtualLock) -> dict[str, Any]:
        """Return what the portal shows for the lock's API key, pointing at this simulator."""
        token = quote(lock.api_token, safe="")
        gateway = f"{self.base_url}/v1/locks/{lock.old_lock_id}/state?lock_api_key={lock.api_key}&api_token={token}"
        information = lock.integration_information()
        urls = {
            "open": f"{gateway}&lock_state=OPEN&local_key_id={lock.local_key_id}",
            "latch": f"{gateway}&lock_state=DAY_LOCK&local_key_id={lock.local_key_id}",
            "night_lock": f"{gateway}&lock_state=NIGHT_LOCK&local_key_id={lock.local_key_id}",
            "status": f"{self.base_url}/API/lock_status.php?api_token={token}&lock_id={lock.lock_id}",
        }
        return {
            "index": lock.index,
            "name": lock.name,
            "state": lock.state,
            "lock_online": lock.lock_online,
            "webhook_urls": lock.webhook_urls,
            "credentials": {
                "Lock ID": lock.lock_id,
                "Lock ID (old)": lock.old_lock_id,
                "API token": lock.api_token,
                "API key": lock.api_key,
                "Local key ID": lock.local_key_id,
                "Key": base64.b64encode(lock.key).decode(),
            },
            "integration_information": information,
            "urls": urls,
            # What a user copies from the portal into Home Assistant's paste box.
            "portal_text": json.dumps(information, indent=2) + "".join(f"\n{url}" for url in urls.values()) + "\n",
        }

    async def portal(self, request: web.Request) -> web.Response:
        """GET /portal/{index}: the portal's text for one lock, ready to paste into Home Assistant."""
        index = int(request.match_info["index"])
        if not 0 <= index < len(self.locks):
            return web.json_response({"error": f"no lock {index}"}, status=404)
        return web.Response(text=self.describe(self.locks[index])["portal_text"])

    def remembered(self) -> dict[str, Any]:
        """Return what a restart keeps, JSON-safe: each lock's state, the status budget, the counters, the token.

        Locks are keyed by their Lock ID, which follows from the seed: a run with fewer locks
        keeps the others' for a later run. Faults are not kept: they are chosen at each start.
        """
        return {
            "locks": self._other_locks | {lock.lock_id: lock.remembered() for lock in self.locks},
            "status_calls": list(self.status_calls),
            "blocked_until": self.blocked_until,
            "counts": dict(self.counts),
            "account": self.account.remembered(),
        }

    def recall(self, saved: dict[str, Any]) -> None:
        """Take back what `remembered` returned before a restart."""
        locks = dict(saved.get("locks", {}))
        for lock in self.locks:
            lock.recall(locks.pop(lock.lock_id, {}))
        self._other_locks = locks
        self.status_calls = deque(saved.get("status_calls", []))
        self.blocked_until = float(saved.get("blocked_until", 0.0))
        self.counts |= {name: int(value) for name, value in saved.get("counts", {}).items() if name in self.counts}
        self.account.recall(saved.get("account", {}))

    async def close(self) -> None:
        """Stop pending motions and close the webhook session."""
        for task in list(self._tasks):
            task.cancel()
        if self._session is not None:
            await self._session.close()


async def _login_page(_request: web.Request) -> web.Response:
    return web.Response(text="<html>LOQED login</html>", content_type="text/html")


def create_app(cloud: Cloud) -> web.Application:
    """Return the aiohttp application serving `cloud`."""

    @web.middleware
    async def remember_changes(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        try:
            return await handler(request)
        finally:
            cloud.on_change()  # a status call, a command, a control request: each may change what is kept

    app = web.Application(middlewares=[remember_changes])
    app.router.add_get("/API/lock_status.php", cloud.status)
    app.router.add_get("/API/lock_command.php", cloud.command)
    app.router.add_get("/v1/locks/{old_lock_id}/state", cloud.gateway)
    app.router.add_get("/api/locks/", cloud.account.locks)
    app.router.add_get("/api/locks/{lock_id}/bolt_state/{state}", cloud.account.bolt_state)
    app.router.add_get("/login", _login_page)
    app.router.add_get("/control", cloud.control_get)
    app.router.add_post("/control", cloud.control_post)
    app.router.add_get("/portal/{index}", cloud.portal)

    async def on_cleanup(_app: web.Application) -> None:
        await cloud.close()

    app.on_cleanup.append(on_cleanup)
    return app
