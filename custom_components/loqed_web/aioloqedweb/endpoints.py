"""LOQED's hosts and paths, in one place.

`LOQED_WEB_BASE_URL`, when set, replaces all three hosts, so that tests, the simulator and the demo
can stand in for LOQED's cloud.
"""

import os
from dataclasses import dataclass
from urllib.parse import quote

BASE_URL_ENV = "LOQED_WEB_BASE_URL"
APP_URL = "https://app.loqed.com"
GATEWAY_URL = "https://gateway.production.loqed.com"
STATUS_PATH = "/API/lock_status.php"
COMMAND_PATH = "/API/lock_command.php"
GATEWAY_STATE_PATH = "/v1/locks/{old_lock_id}/state"
# The Integrations API, for personal access tokens.
INTEGRATIONS_URL = "https://integrations.production.loqed.com"
ACCOUNT_LOCKS_PATH = "/api/locks/"
BOLT_STATE_PATH = "/api/locks/{lock_id}/bolt_state/{state}"


@dataclass(frozen=True, slots=True)
class Hosts:
    """The base URLs of the web API (app, gateway) and of the Integrations API."""

    app: str = APP_URL
    gateway: str = GATEWAY_URL
    integrations: str = INTEGRATIONS_URL

    @classmethod
    def from_environment(cls) -> Hosts:
        """Return LOQED's hosts, or the override of `LOQED_WEB_BASE_URL`."""
        override = os.environ.get(BASE_URL_ENV, "").strip().rstrip("/")
        return cls(override, override, override) if override else cls()


def encode_query(params: dict[str, str]) -> str:
    """Return a query string in which every reserved character is percent-encoded.

    Base64 holds `+`, `/` and `=`; left raw, a server may read `+` as a space.
    """
    return "&".join(f"{name}={quote(value, safe='')}" for name, value in params.items())
