"""What a paste of the LOQED portal gives: the fields still missing, the signing allowed, the error shown."""

from dataclasses import asdict, replace

from .aioloqedweb import TOKEN_FIELD, Capability, Credentials, LoqedCredentialsError, Problem, SigningMode
from .aioloqedweb.credentials import FIELD_NAMES

# The names the LOQED portal gives these fields, used in error messages.
FIELD_LABELS = {
    "api_token": "API token",
    "lock_id": "Lock ID",
    "old_lock_id": "Lock ID (old)",
    "local_key_id": "Local key ID",
    "key": "Key",
    "api_key": "API key",
    TOKEN_FIELD: "Personal access token",
}
SECRET_FIELDS = frozenset({"api_token", "key", "api_key"})


def missing_fields(creds: Credentials) -> list[str]:
    """Return the fields still needed: status, webhook matching, and one way of signing."""
    needed = set(creds.missing_for(Capability.READ_STATUS))
    if creds.old_lock_id is None:
        needed.add("old_lock_id")  # LOQED's webhooks name the lock by its old numeric id
    if not creds.capabilities & {Capability.LOCAL_SIGNING, Capability.SERVER_SIGNING}:
        local, server = (
            creds.missing_for(Capability.LOCAL_SIGNING),
            creds.missing_for(Capability.SERVER_SIGNING),
        )
        needed.update(local if len(local) <= len(server) else server)  # local signing on a tie
    return [name for name in FIELD_NAMES if name in needed]


def signing_modes(creds: Credentials) -> list[SigningMode]:
    """Return the signing modes the credentials allow, the recommended one first."""
    modes = {Capability.LOCAL_SIGNING: SigningMode.LOCAL, Capability.SERVER_SIGNING: SigningMode.SERVER}
    return [mode for capability, mode in modes.items() if capability in creds.capabilities]


def updated(creds: Credentials, newer: Credentials) -> Credentials:
    """Return `creds` with every field that `newer` gives replaced."""
    return replace(creds, **{name: value for name, value in asdict(newer).items() if value is not None})


def credentials_error(err: LoqedCredentialsError) -> tuple[str, str]:
    """Return the error key and the portal's name of the field it concerns."""
    label = FIELD_LABELS.get(err.field or "", "")
    if err.reason == Problem.NOTHING_FOUND:
        return "nothing_found", label
    return ("conflicting_values" if err.reason == Problem.CONFLICT else "invalid_format"), label
