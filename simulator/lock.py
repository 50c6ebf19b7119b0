"""Virtual locks: their credentials, their state, and how they move."""

import base64
import hashlib
import random
import string
from dataclasses import dataclass, field

ACTIONS = {1: "OPEN", 2: "DAY_LOCK", 3: "NIGHT_LOCK"}
REACHED_EVENT = {
    "OPEN": "STATE_CHANGED_OPEN",
    "DAY_LOCK": "STATE_CHANGED_LATCH",
    "NIGHT_LOCK": "STATE_CHANGED_NIGHT_LOCK",
}
REMOTE_GOING_EVENT = {
    "OPEN": "GO_TO_STATE_MANUAL_UNLOCK_REMOTE_OPEN",
    "DAY_LOCK": "GO_TO_STATE_MANUAL_LOCK_REMOTE_LATCH",
    "NIGHT_LOCK": "GO_TO_STATE_MANUAL_LOCK_REMOTE_NIGHT_LOCK",
}
BOLT_NUMBER = {"UNKNOWN": 0, "OPEN": 1, "DAY_LOCK": 2, "NIGHT_LOCK": 3}
# The account that owns every virtual lock: LOQED fills its names into keyless events too.
OWNER = {"key_name_admin": "Anna", "key_account_name": "Anna de Vries", "key_account_email": "anna@example.com"}
OWNER_KEY_ID = 1  # Anna's phone: Touch to Open and the app
PIN_KEY_ID = 9  # a keypad code, made for someone without a LOQED account
TOKEN_KEY_ID = 12  # the personal access token's own key, on every lock of the account
TOKEN_KEY_NAME = "Home Assistant (token)"  # noqa: S105  # a key's name, not a secret
NAMES = ("Front door", "Back door", "Garage", "Shed")
# What POST /control may change on a lock.
SETTABLE = ("state", "battery", "wifi", "ble", "lock_online", "bridge_online", "motor_stall", "flat_battery",
            "token_revoked", "token_key_deleted", "key_name")  # fmt: skip
# What a restart keeps: the settable fields and where the lock posts; its credentials follow from the seed.
REMEMBERED = (*SETTABLE, "webhook_urls")


@dataclass
class VirtualLock:
    """One lock with one API key, as the LOQED portal would show it."""

    index: int
    lock_id: str
    old_lock_id: str
    api_token: str
    api_key: str
    local_key_id: int
    key: bytes
    state: str = "NIGHT_LOCK"
    battery: int = 87
    wifi: int = 71
    ble: int = 38
    lock_online: bool = True
    bridge_online: bool = True
    motor_stall: bool = False  # the next move stalls
    flat_battery: bool = False  # moves start but never arrive
    token_revoked: bool = False
    token_key_deleted: bool = False  # the personal access token's key was deleted in the app
    webhook_urls: list[str] = field(default_factory=list)
    key_name: str = "Home Assistant"
    name: str = ""

    @classmethod
    def create(cls, index: int, seed: str) -> VirtualLock:
        """Make a lock whose credentials follow from the seed, so restarts keep them."""
        rng = random.Random(hashlib.sha256(f"{seed}:{index}".encode()).digest())  # noqa: S311  # demo data
        letters = string.ascii_letters + string.digits
        return cls(
            index=index,
            lock_id="".join(rng.choice(letters) for _ in range(20)),
            old_lock_id=str(6000 + index),
            api_token=base64.b64encode(rng.randbytes(24)).decode(),
            api_key="".join(rng.choice(letters) for _ in range(16)),
            local_key_id=2 + index,
            key=rng.randbytes(32),
            name=NAMES[index] if index < len(NAMES) else f"Door {index + 1}",
        )

    def remembered(self) -> dict[str, object]:
        """Return what a restart keeps (see REMEMBERED), JSON-safe."""
        return {name: list(value) if isinstance(value := getattr(self, name), list) else value for name in REMEMBERED}

    def recall(self, saved: dict[str, object]) -> None:
        """Take back what `remembered` returned before a restart; fields it does not give stay."""
        for name in REMEMBERED:
            if name in saved:
                setattr(self, name, saved[name])

    def operator(self) -> dict[str, object]:
        """Who moves the lock through the API: this lock's API key (a string id, as real LOQED)."""
        return {"key_local_id": str(self.local_key_id), "key_name_user": self.key_name, **OWNER}

    @staticmethod
    def token_operator() -> dict[str, object]:
        """Who moves the lock through the Integrations API: the token's own key."""
        return {"key_local_id": str(TOKEN_KEY_ID), "key_name_user": TOKEN_KEY_NAME, **OWNER}

    @staticmethod
    def owner() -> dict[str, object]:
        """Return the owner with her phone's key: Touch to Open, the app."""
        return {"key_local_id": str(OWNER_KEY_ID), "key_name_user": OWNER["key_name_admin"], **OWNER}

    @staticmethod
    def keyless() -> dict[str, object]:
        """Return who moved the lock when no key did (knob, button, latch): the owner's names."""
        return {"key_local_id": "", "key_name_user": "", **OWNER}

    @staticmethod
    def pin(name: str) -> dict[str, object]:
        """Return a keypad code's key: the code's name, and no account."""
        return {"key_local_id": str(PIN_KEY_ID), "key_name_user": name, "key_name_admin": "",
                "key_account_name": "", "key_account_email": ""}  # fmt: skip

    def status(self) -> dict[str, object]:
        """Return the answer of the status call."""
        return {
            "id": int(self.old_lock_id),
            "battery_percentage": self.battery if self.lock_online else -1,
            "battery_type": "nickel_metal_hydride",
            "battery_type_numeric": 1,
            "bolt_state": self.state.lower(),
            "bolt_state_numeric": BOLT_NUMBER[self.state],
            "bridge_online": int(self.bridge_online),
            "lock_online": int(self.lock_online),
            "guest_access_mode": 0,
            "twist_assist": 0,
            "touch_to_connect": 1,
        }

    def integration_information(self) -> dict[str, object]:
        """Return the portal's "Integration information" JSON."""
        return {
            "lock_id": self.lock_id,
            "lock_key_local_id": self.local_key_id,
            "lock_key_key": base64.b64encode(self.key).decode(),
            "backend_key": base64.b64encode(hashlib.sha256(self.key).digest()).decode(),
            "bridge_key": base64.b64encode(hashlib.sha256(self.key[::-1]).digest()).decode(),
            "bridge_ip": "192.0.2.10",
            "bridge_mdns_hostname": f"LOQED-{self.lock_id[:12].lower()}.local",
        }
