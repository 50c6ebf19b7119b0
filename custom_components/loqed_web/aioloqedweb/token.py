"""LOQED personal access tokens: RS256 JWTs, found in whatever the user pasted.

The signature cannot be checked here (LOQED's public key is not published); only the claims
are read, to tell a token from an API key's fields and to know when it expires.
"""

import base64
import binascii
import json
import re
from dataclasses import dataclass

from .exceptions import LoqedCredentialsError
from .values import read_int, read_text

TOKEN_FIELD = "access_token"  # noqa: S105  # a field name, not a secret
# Three base64url parts; a JSON header always starts with "{", which encodes as "eyJ".
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A personal access token and what its claims say."""

    value: str
    expires_at: float | None  # unix time of the `exp` claim; None when the token has none
    subject: str | None  # the `sub` claim: the token's own id at LOQED

    def __repr__(self) -> str:
        """Name the token without its value (it is a secret)."""
        return f"AccessToken(expires_at={self.expires_at!r}, subject={self.subject!r})"

    def is_expired(self, now: float) -> bool:
        """Return True once the `exp` time has passed."""
        return self.expires_at is not None and now >= self.expires_at

    def expires_within(self, seconds: float, now: float) -> bool:
        """Return True when the token expires within `seconds` from `now` (or already has)."""
        return self.expires_at is not None and now >= self.expires_at - seconds


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (binascii.Error, ValueError, RecursionError) as err:
        raise LoqedCredentialsError("invalid_field", TOKEN_FIELD) from err
    if not isinstance(claims, dict):
        raise LoqedCredentialsError("invalid_field", TOKEN_FIELD)
    return claims


def find_access_token(text: str) -> AccessToken | None:
    """Return the token in `text` (alone, after "Bearer", or in a line), or None if there is none.

    Raises LoqedCredentialsError when something shaped like a token has unreadable claims.
    """
    match = _JWT.search(text)
    if match is None:
        return None
    value = match.group(0)
    claims = _claims(value)
    expires_at = read_int(claims.get("exp"))
    return AccessToken(value, None if expires_at is None else float(expires_at), read_text(claims.get("sub")))
