"""The simulator's memory across restarts: one JSON file, read at start, written whenever it changed."""

import json
import logging
from pathlib import Path
from typing import Any

_LOGGER = logging.getLogger("simulator")
FORMAT = 1  # the layout of the file; another one is not read


class StateFile:
    """Where a Cloud keeps what `Cloud.remembered` returns."""

    def __init__(self, path: Path) -> None:
        """Use `path`; nothing is read or written yet."""
        self.path = path
        self._written = ""  # the text on disk, so that an unchanged state is not written again

    def read(self) -> dict[str, Any]:
        """Return what was kept, or nothing when there is no file or it cannot be used."""
        try:
            text = self.path.read_text()
            saved = json.loads(text)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as err:
            _LOGGER.warning("starting afresh: %s cannot be read (%s)", self.path, err)
            return {}
        if not isinstance(saved, dict) or saved.get("format") != FORMAT:
            _LOGGER.warning("starting afresh: %s is not a state file of format %s", self.path, FORMAT)
            return {}
        self._written = text
        return saved

    def write(self, remembered: dict[str, Any]) -> None:
        """Write `remembered` when it differs from what is on disk; a crash leaves the old file or the new."""
        text = json.dumps({"format": FORMAT, **remembered}, indent=2, sort_keys=True)
        if text == self._written:
            return
        partial = self.path.with_name(self.path.name + ".tmp")
        partial.write_text(text)
        partial.replace(self.path)
        self._written = text
