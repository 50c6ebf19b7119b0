"""Tolerant readers for values LOQED sends as numbers, strings, or empty strings."""

import math
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

_SQUASH = re.compile(r"[^a-z0-9]")
_INTEGER = re.compile(r"[+-]?\d{1,18}")
_INTEGRAL_DECIMAL = re.compile(r"[+-]?(\d{1,18})\.0*")


@lru_cache(maxsize=1024)  # the same few field names and event types come in every call
def squash(name: str) -> str:
    """Return a field or label name reduced to lowercase letters and digits.

    LOQED's spellings drift ("key_account_e-mail", "lockId", "Lock ID"); squashed, they meet.
    """
    return _SQUASH.sub("", name.lower())


def squash_keys(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Return `fields` with squashed keys; the first spelling of a key wins."""
    items = fields.items() if isinstance(fields, dict) else list(fields.items())
    # Built from the last item to the first: an earlier spelling overwrites a later one.
    return {squash(key): value for key, value in reversed(items)}


def read_text(value: object) -> str | None:
    """Return a stripped string, or None for null, empty strings and non-scalars."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def read_int(value: object) -> int | None:
    """Return an integer from an int, an integral float, or a numeric string; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        if _INTEGER.fullmatch(text):
            return int(text)
        if _INTEGRAL_DECIMAL.fullmatch(text):
            return int(text.split(".")[0])
    return None


def read_flag(value: object) -> bool | None:
    """Return a boolean from 0/1, "0"/"1", true/false; else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    number = read_int(value)
    return None if number not in (0, 1) else number == 1
