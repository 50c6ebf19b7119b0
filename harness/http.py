"""A small JSON-over-HTTP helper on urllib, for loopback peers only."""

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


class HttpError(Exception):
    """A non-2xx answer; keeps the status and the decoded body."""

    def __init__(self, status: int, body: Any) -> None:
        """Store what came back."""
        super().__init__(f"HTTP {status}: {body}")
        self.status = status
        self.body = body


def request(
    method: str,
    url: str,
    body: Any = None,
    *,
    token: str | None = None,
    form: dict[str, str] | None = None,
    timeout: float = 30,
) -> Any:
    """Send one request and return the decoded JSON answer (or text, or None)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if form is not None:
        data = "&".join(f"{k}={urllib.parse.quote(v, safe='')}" for k, v in form.items()).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310  # loopback only
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310  # loopback only
            return _decode(response.read())
    except urllib.error.HTTPError as err:
        raise HttpError(err.code, _decode(err.read())) from None


def _decode(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def free_port() -> int:
    """Return a loopback port that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
