"""The simulated Integrations API: the account's locks and moves, with a personal access token.

The token is an RS256-shaped JWT whose `exp` is checked; it has its own key on every lock
(TOKEN_KEY_ID), which LOQED's webhooks then name. An unauthenticated call goes to /login (302),
a deleted key gives LOQED's 404 "ApiKey" answer, and a per-minute throttle answers 429.
"""

import base64
import hmac
import json
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .lock import VirtualLock

if TYPE_CHECKING:
    from .cloud import Cloud

TOKEN_LIFETIME = 182 * 86400.0
THROTTLE_PER_MINUTE = 60
_TARGETS = {"open": "OPEN", "day_lock": "DAY_LOCK", "night_lock": "NIGHT_LOCK"}
_DELETED_KEY = {"message": "No query results for model [App\\Models\\ApiKey]."}
_NO_LOCK = {"message": "No query results for model [App\\Models\\Lock]."}


def make_token(subject: str, expires_at: float) -> str:
    """Return a JWT shaped like LOQED's (the signature is filler: clients cannot check it)."""

    def part(value: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    claims = {"aud": "1", "sub": subject, "iat": int(time.time()), "exp": int(expires_at)}
    return f"{part({'typ': 'JWT', 'alg': 'RS256'})}.{part(claims)}.{part('simulated-signature')}"


class Account:
    """The account that owns every virtual lock, and its one personal access token."""

    def __init__(self, cloud: Cloud) -> None:
        """Issue a token valid for LOQED's usual 182 days."""
        self.cloud = cloud
        self.revoked = False
        self.list_status = 0  # answer the lock list with this HTTP status (e.g. 429) when set
        self.left_out: set[str] = set()  # Lock IDs the next list read leaves out, as LOQED's list once did
        self._reads: deque[float] = deque()
        self.token = ""
        self.expires_at = 0.0
        self.issue(TOKEN_LIFETIME)

    def issue(self, lifetime: float) -> None:
        """Make a new token that expires `lifetime` seconds from now (the old one stops working)."""
        self.expires_at = time.time() + lifetime
        self.token = make_token("1", self.expires_at)
        self.revoked = False

    def remembered(self) -> dict[str, Any]:
        """Return what a restart keeps: the token and what was done to it."""
        return {"token": self.token, "expires_at": self.expires_at, "revoked": self.revoked,
                "list_status": self.list_status}  # fmt: skip

    def recall(self, saved: dict[str, Any]) -> None:
        """Take back the token of `remembered`; without one, keep the token issued at start."""
        if saved.get("token"):
            self.token, self.expires_at = str(saved["token"]), float(saved["expires_at"])
            self.revoked, self.list_status = bool(saved.get("revoked")), int(saved.get("list_status", 0))

    def _authorised(self, request: web.Request) -> bool:
        offered = request.headers.get("Authorization", "")
        valid = hmac.compare_digest(offered, f"Bearer {self.token}")
        return valid and not self.revoked and time.time() < self.expires_at

    def _throttled(self) -> bool:
        now = time.time()
        while self._reads and self._reads[0] <= now - 60:
            self._reads.popleft()
        self._reads.append(now)
        return len(self._reads) > THROTTLE_PER_MINUTE

    async def locks(self, request: web.Request) -> web.Response:
        """GET /api/locks/: every lock of the account."""
        self.cloud.counts["lock_list"] += 1
        if not self._authorised(request):
            return self.cloud.login_redirect()
        if self.list_status:
            return web.json_response({"message": "simulated failure"}, status=self.list_status)
        if self._throttled():
            return web.json_response({"message": "Too Many Attempts."}, status=429)
        listed = [account_view(lock) for lock in self.cloud.locks if lock.lock_id not in self.left_out]
        self.left_out.clear()  # one read only: a glitch
        return web.json_response({"data": listed})

    async def bolt_state(self, request: web.Request) -> web.StreamResponse:
        """GET /api/locks/{id}/bolt_state/{state}: move a lock with the token's own key; 204."""
        self.cloud.counts["commands"] += 1
        self.cloud.received_commands.append({"path": request.path, "query": request.query_string, "at": time.time()})
        if not self._authorised(request):
            return self.cloud.login_redirect()
        lock = next((lock for lock in self.cloud.locks if lock.lock_id == request.match_info["lock_id"]), None)
        if lock is None:
            return web.json_response(_NO_LOCK, status=404)
        if lock.token_key_deleted:
            return web.json_response(_DELETED_KEY, status=404)
        target = _TARGETS.get(request.match_info["state"])
        if target is None:
            return web.json_response({"message": "unknown state"}, status=422)
        return await self.cloud.accept(lock, target, lock.token_operator(), web.Response(status=204))


def account_view(lock: VirtualLock) -> dict[str, Any]:
    """Return one lock as the Integrations API lists it."""
    return {
        "id": lock.lock_id,
        "name": lock.name,
        "model_name": "LOQED Touch Smart Lock",
        "battery_percentage": lock.battery if lock.lock_online else -1,
        "battery_type": "nickel_metal_hydride",
        "bolt_state": lock.state.lower(),
        "online": lock.lock_online,
        "party_mode": False,
        "guest_access_mode": False,
        "twist_assist": False,
        "touch_to_connect": True,
        "lock_direction": "clockwise",
        "mortise_lock_type": "cylinder_operated_no_handle_on_the_outside",
        "supported_lock_states": ["open", "day_lock", "night_lock"],
    }
