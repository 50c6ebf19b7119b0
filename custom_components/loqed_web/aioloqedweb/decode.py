"""Decoding a webhook body: JSON (whichever decoder reads it), or the form data of per-event URLs."""

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from .events import Rejection, RejectReason


def decode_body(body: bytes, loads: Callable[[bytes], Any]) -> dict[str, Any] | Rejection:
    """Return the body's fields (none for an empty body), or why it has none."""
    if not body or body.isspace():
        return {}
    try:
        decoded = _decode_json(body, loads)
    except ValueError, RecursionError:
        decoded = None
    else:
        if isinstance(decoded, dict):
            return decoded
        return Rejection(RejectReason.NOT_AN_OBJECT, type(decoded).__name__)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Rejection(RejectReason.UNDECODABLE, "not UTF-8")
    if "=" not in text:
        return Rejection(RejectReason.UNDECODABLE, "neither JSON nor form data")
    return dict(parse_qsl(text.strip(), keep_blank_values=True))


def _decode_json(body: bytes, loads: Callable[[bytes], Any]) -> Any:
    """Decode with `loads`, and what it refuses with the standard decoder, which reads more.

    A faster decoder (orjson) refuses NaN and some integers over 64 bits, and reads others as
    floats: one such field must not cost the whole call, nor be read differently, so the result is
    always what json.loads would give. LOQED's bodies are flat objects without fractions: only a
    body with a float or a nested value is decoded a second time.
    """
    if loads is not json.loads:
        try:
            decoded = loads(body)
        except ValueError, RecursionError:
            pass
        else:
            if isinstance(decoded, dict) and not any(isinstance(value, _MAYBE_READ_ELSE) for value in decoded.values()):
                return decoded
    return json.loads(body)


# What a faster decoder may have read otherwise than json.loads, or may hold such a value.
_MAYBE_READ_ELSE = (float, dict, list)
