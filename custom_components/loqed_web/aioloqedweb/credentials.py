"""Find LOQED credentials in whatever the user pasted from the LOQED web portal.

Accepted, alone or pasted together: the "Integration information" JSON, the ready-made URLs
(status, open, latch, night lock, or a self-signed command URL), and `label: value` lines
copied from the key's page (a label alone on a line, with its value on the next, works too).
"""

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any
from urllib.parse import unquote, urlsplit

from .exceptions import LoqedCredentialsError
from .signing import KEY_LENGTH
from .values import read_int, read_text, squash

FIELD_NAMES = ("api_token", "lock_id", "old_lock_id", "local_key_id", "key", "api_key")

# Squashed labels and JSON/query names, mapped to our field names. Lock ID (old) is checked
# before Lock ID because the squashed "lockidold" must not read as the new id.
_ALIASES: dict[str, str] = {
    "apitoken": "api_token",
    "token": "api_token",
    "lockidold": "old_lock_id",
    "oldlockid": "old_lock_id",
    "lockidnumeric": "old_lock_id",
    "lockid": "lock_id",
    "localkeyid": "local_key_id",
    "lockkeylocalid": "local_key_id",
    "keylocalid": "local_key_id",
    "key": "key",
    "lockkeykey": "key",
    "apikey": "api_key",
    "lockapikey": "api_key",
}
_URL = re.compile(r"https?://[^\s\"'<>]+")
_LABEL_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9 _()\-]*?)\s*[:=\t]\s*(\S.*?)\s*$")
_LOCK_ID = re.compile(r"[A-Za-z0-9]{8,64}")
_GATEWAY_PATH = re.compile(r"/v1/locks/([^/]+)/state/?$")


class Capability(StrEnum):
    """What a set of credentials lets the client do."""

    READ_STATUS = "read_status"
    LOCAL_SIGNING = "local_signing"
    SERVER_SIGNING = "server_signing"


REQUIRED_FIELDS: dict[Capability, tuple[str, ...]] = {
    Capability.READ_STATUS: ("api_token", "lock_id"),
    Capability.LOCAL_SIGNING: ("api_token", "lock_id", "local_key_id", "key"),
    Capability.SERVER_SIGNING: ("api_token", "old_lock_id", "local_key_id", "api_key"),
}


class Problem(StrEnum):
    """Why pasted credentials were refused."""

    NOTHING_FOUND = "nothing_found"
    INVALID_FIELD = "invalid_field"
    CONFLICT = "conflict"


@dataclass(frozen=True, slots=True)
class Credentials:
    """What the portal shows for one API key; None where it was not given."""

    api_token: str | None = None
    lock_id: str | None = None
    old_lock_id: str | None = None
    local_key_id: int | None = None
    key: str | None = None
    api_key: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Credentials:
        """Return the credentials stored in `data` (as saved by `asdict`); other keys are ignored."""
        return cls(**{name: data.get(name) for name in FIELD_NAMES})

    @property
    def key_bytes(self) -> bytes:
        """Return the decoded signing Key; raises ValueError when there is none."""
        if self.key is None:
            raise ValueError("no Key")
        return base64.b64decode(self.key)

    @property
    def capabilities(self) -> frozenset[Capability]:
        """Return what these credentials allow."""
        return frozenset(cap for cap in Capability if not self.missing_for(cap))

    def missing_for(self, capability: Capability) -> tuple[str, ...]:
        """Return the fields still needed for `capability`."""
        return tuple(name for name in REQUIRED_FIELDS[capability] if getattr(self, name) is None)

    def merged(self, other: Credentials) -> Credentials:
        """Return these credentials completed by `other`; a differing value is a conflict."""
        changes: dict[str, Any] = {}  # values read by field name, typed by the dataclass
        for field in fields(Credentials):
            mine, theirs = getattr(self, field.name), getattr(other, field.name)
            if theirs is None:
                continue
            if mine is not None and mine != theirs:
                raise LoqedCredentialsError(Problem.CONFLICT, field.name)
            changes[field.name] = theirs
        return replace(self, **changes)


def _key_id(text: str) -> int | None:
    number = read_int(text)
    return number if number is not None and 0 <= number <= 255 else None


def _lock_id(text: str) -> str | None:
    return text if _LOCK_ID.fullmatch(text) and not text.isdigit() else None


def _digits(text: str) -> str | None:
    return text if text.isdigit() else None


def _opaque(text: str) -> str | None:
    return None if any(char.isspace() for char in text) else text


def normalize_field(name: str, raw: object) -> str | int:
    """Return the checked value of one credentials field, or raise INVALID_FIELD."""
    text = read_text(raw)
    value = None if text is None else _NORMALIZERS.get(name, _opaque)(text)
    if value is None:
        raise LoqedCredentialsError(Problem.INVALID_FIELD, name)
    return value


def _normalize_key(text: str) -> str | None:
    """Return the Key as standard padded base64, accepting URL-safe or unpadded forms."""
    compact = text.replace("-", "+").replace("_", "/").rstrip("=")
    try:
        decoded = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except binascii.Error:
        return None
    return base64.b64encode(decoded).decode("ascii") if len(decoded) == KEY_LENGTH else None


_NORMALIZERS: dict[str, Callable[[str], str | int | None]] = {
    "local_key_id": _key_id,
    "lock_id": _lock_id,
    "old_lock_id": _digits,
    "key": _normalize_key,
}


def _credentials_from_pairs(pairs: Iterator[tuple[str, object]]) -> Credentials:
    """Build credentials from (name, value) pairs, ignoring names that are not credentials."""
    found = Credentials()
    for name, raw in pairs:
        field = _ALIASES.get(squash(name))
        text = read_text(raw)
        if field is None or text is None:
            continue
        if field == "lock_id" and text.isdigit():
            field = "old_lock_id"  # some pages and JSON give the numeric id as "lock_id"
        value: Any = normalize_field(field, text)  # str or int, as the field's type says
        found = found.merged(replace(Credentials(), **{field: value}))
    return found


def _query_pairs(query: str) -> Iterator[tuple[str, str]]:
    # Not parse_qs: it turns a literal "+" of a base64 token into a space.
    for part in query.split("&"):
        name, _, value = part.partition("=")
        yield unquote(name), unquote(value)


def _from_url(url: str) -> Credentials:
    parts = urlsplit(url.rstrip(".,;)"))
    pairs = list(_query_pairs(parts.query))
    if match := _GATEWAY_PATH.search(parts.path):
        # Gateway URLs carry the old numeric lock id in the path.
        pairs.append(("lock_id_old", unquote(match.group(1))))
    return _credentials_from_pairs(iter(pairs))


def _json_objects(text: str) -> Iterator[dict[str, object]]:
    decoder = json.JSONDecoder()
    position = text.find("{")
    while position != -1:
        try:
            value, end = decoder.raw_decode(text, position)
        except ValueError:
            position = text.find("{", position + 1)
            continue
        yield value  # decoding from "{" gives a dict
        position = text.find("{", end)


def _label_pairs(lines: list[str]) -> Iterator[tuple[str, str]]:
    for index, line in enumerate(lines):
        if match := _LABEL_LINE.match(line):
            yield match.group(1), match.group(2)
        elif squash(line) in _ALIASES and index + 1 < len(lines):
            yield line, lines[index + 1].strip()  # the label alone, its value on the next line


def parse_credentials(text: str) -> Credentials:
    """Return every credential found in `text`, or raise LoqedCredentialsError."""
    found = Credentials()
    for obj in _json_objects(text):
        found = found.merged(_credentials_from_pairs(iter(obj.items())))
    for url in _URL.findall(text):
        found = found.merged(_from_url(url))
    rest = _URL.sub(" ", re.sub(r"\{.*?\}", " ", text, flags=re.DOTALL))
    found = found.merged(_credentials_from_pairs(_label_pairs(rest.splitlines())))
    if found == Credentials():
        raise LoqedCredentialsError(Problem.NOTHING_FOUND)
    return found
