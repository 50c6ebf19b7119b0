"""Schema validation that works on every supported Home Assistant release."""

try:
    import probatio as vol
except ImportError:  # pragma: no cover  # only the floor run (HA 2026.3, before probatio) takes this
    import voluptuous as vol  # type: ignore[no-redef]  # the same API, on older Home Assistant only

__all__ = ["vol"]
