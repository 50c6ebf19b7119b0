"""Signing is byte-exact to the formula in the API reference."""

import base64
import hashlib
import hmac

import pytest

from custom_components.loqed_web.aioloqedweb import Action, CommandLayout, encode_command, sign_command

KEY = bytes(range(32))
TIMESTAMP = 1_767_225_600  # 2026-01-01T00:00:00Z


def expected_command(key: bytes, key_id: int, action: int, timestamp: int) -> bytes:
    """Build the 45-byte command straight from the reference's byte list."""
    header = bytes([0x02, 0x07]) + timestamp.to_bytes(8, "big")
    message = header + bytes([key_id, 0x01, action])
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return header + digest + bytes([key_id, 0x01, action])


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("key_id", [0, 2, 127, 128, 200, 250, 255])
def test_web_api_layout_matches_the_formula(action: Action, key_id: int) -> None:
    signed = sign_command(KEY, key_id, action, TIMESTAMP)
    assert len(signed) == 45
    assert signed == expected_command(KEY, key_id, action, TIMESTAMP)


def test_bridge_layout_is_the_same_command_behind_eight_zero_bytes() -> None:
    signed = sign_command(KEY, 2, Action.OPEN, TIMESTAMP, CommandLayout.BRIDGE)
    assert len(signed) == 53
    assert signed[:8] == bytes(8)
    assert signed[8:] == expected_command(KEY, 2, Action.OPEN, TIMESTAMP)


@pytest.mark.parametrize(
    ("key_id", "action", "golden"),
    [
        (2, Action.NIGHT_LOCK, "AgcAAAAAaVW5AD13j/s5YjJIPpoJo24iuj1DeefQ4VUQKsNPl7mzgVv5AgED"),
        (200, Action.OPEN, "AgcAAAAAaVW5AKHykr6Gfq9uX/amiew0fxDnSG58fMoQcBrxhRMcXdM5yAEB"),
    ],
)
def test_golden_vectors(key_id: int, action: Action, golden: str) -> None:
    assert encode_command(sign_command(KEY, key_id, action, TIMESTAMP)) == golden


def test_field_positions() -> None:
    signed = sign_command(KEY, 200, Action.DAY_LOCK, TIMESTAMP)
    assert signed[0] == 0x02
    assert signed[1] == 0x07
    assert int.from_bytes(signed[2:10], "big") == TIMESTAMP
    assert signed[42:] == bytes([200, 0x01, 0x02])


def test_signature_changes_with_time_and_key() -> None:
    first = sign_command(KEY, 2, Action.OPEN, TIMESTAMP)
    assert sign_command(KEY, 2, Action.OPEN, TIMESTAMP + 1)[10:42] != first[10:42]
    assert sign_command(bytes(32), 2, Action.OPEN, TIMESTAMP)[10:42] != first[10:42]


def test_encoding_is_standard_padded_base64() -> None:
    encoded = encode_command(sign_command(KEY, 2, Action.OPEN, TIMESTAMP))
    assert len(encoded) == 60  # 45 bytes -> 60 characters, no padding needed
    assert base64.b64decode(encoded, validate=True) == sign_command(KEY, 2, Action.OPEN, TIMESTAMP)
    assert encode_command(b"\xfb\xff") == "+/8="


def test_wrong_key_length_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        sign_command(bytes(16), 2, Action.OPEN, TIMESTAMP)
