"""Fault switches, set at start (--fault name=value) or through the control endpoint."""

from dataclasses import dataclass, fields
from typing import Any


@dataclass
class Faults:
    """What the simulated cloud does differently; by default only what real LOQED does too."""

    webhook_delay: float = 0.0  # seconds before each webhook is posted
    drop_webhooks: bool = False  # post none
    # Real LOQED delivers each event again, byte for byte, about 4 s later; 0 turns copies off.
    copy_delay: float = 4.0
    reorder_webhooks: bool = False  # post a "going to" event after its "reached" event
    command_status: int = 0  # answer commands with this HTTP status (e.g. 503) and do nothing
    command_timeout: bool = False  # hold command requests for 30 s, then do nothing
    clock_skew: float = 0.0  # the cloud's clock, ahead of the real one by this many seconds

    def update(self, values: dict[str, Any]) -> None:
        """Set the named switches, converting text such as "true" or "503"."""
        known = {field.name: field.type for field in fields(self)}
        for name, value in values.items():
            if name not in known:
                raise KeyError(name)
            kind = {"bool": bool, "int": int, "float": float}[getattr(known[name], "__name__", str(known[name]))]
            text_flag = kind is bool and isinstance(value, str)
            setattr(self, name, value.lower() in ("1", "true", "yes", "on") if text_flag else kind(value))
