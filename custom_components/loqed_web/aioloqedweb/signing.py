"""Signing of LOQED commands with HMAC-SHA256 (see the API reference, "Commands").

Message  M = 0x02 ‖ 0x07 ‖ time (u64) ‖ local key id (u8) ‖ device id 0x01 ‖ action (u8)
Command    = 0x02 ‖ 0x07 ‖ time (u64) ‖ HMAC-SHA256(Key, M) ‖ local key id ‖ 0x01 ‖ action
The web API takes that 45-byte form; the local bridge takes it behind an 8-byte message id of
zeros (53 bytes). Which form the web API really wants is unverified, so both live here.
"""

import base64
import hashlib
import hmac
import struct
from enum import IntEnum

from .models import Action

PROTOCOL = 0x02
COMMAND_TYPE = 0x07
DEVICE_ID = 0x01
KEY_LENGTH = 32


class CommandLayout(IntEnum):
    """The byte layouts of a signed command, named by their length."""

    WEB_API = 45
    BRIDGE = 53


def sign_command(
    key: bytes,
    local_key_id: int,
    action: Action,
    timestamp: int,
    layout: CommandLayout = CommandLayout.WEB_API,
) -> bytes:
    """Return the signed command bytes for `action` at unix time `timestamp`."""
    if len(key) != KEY_LENGTH:
        raise ValueError(f"the Key must be {KEY_LENGTH} bytes, got {len(key)}")
    header = struct.pack(">BBQ", PROTOCOL, COMMAND_TYPE, timestamp)
    trailer = struct.pack(">BBB", local_key_id, DEVICE_ID, action)
    digest = hmac.new(key, header + trailer, hashlib.sha256).digest()
    command = header + digest + trailer
    return bytes(8) + command if layout is CommandLayout.BRIDGE else command


def encode_command(command: bytes) -> str:
    """Return the command as standard base64 with padding (URL-encode it in the query)."""
    return base64.b64encode(command).decode("ascii")
