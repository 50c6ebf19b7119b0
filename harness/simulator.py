"""The LOQED cloud simulator as a child process."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from .http import request

ROOT = Path(__file__).resolve().parent.parent


class SimulatorProcess:
    """Starts `python -m simulator` and reads the credentials it prints."""

    def __init__(
        self,
        *,
        port: int = 0,
        locks: int = 1,
        faults: dict[str, str] | None = None,
        verbose: bool = False,
        state_file: Path | None = None,
    ):
        """Prepare; nothing runs until `start`. With `state_file`, what it knows outlives a restart."""
        self.args = [sys.executable, "-m", "simulator", "--port", str(port), "--locks", str(locks)]
        self.args += [f"--fault={name}={value}" for name, value in (faults or {}).items()]
        if state_file is not None:
            self.args += ["--state-file", str(state_file)]
        if verbose:
            self.args.append("--verbose")
        self.process: subprocess.Popen[str] | None = None
        self.base_url = ""
        self.locks: list[dict[str, Any]] = []
        self.token = ""  # the account's personal access token

    def start(self) -> None:
        """Start and wait for the READY line."""
        self.process = subprocess.Popen(self.args, cwd=ROOT, stdout=subprocess.PIPE, text=True)  # noqa: S603
        line = self.process.stdout.readline() if self.process.stdout else ""
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError(f"the simulator did not start: {line!r}")
        ready = json.loads(line.removeprefix("READY "))
        self.base_url, self.locks, self.token = ready["base_url"], ready["locks"], ready["token"]

    def control(self, **body: Any) -> Any:
        """POST /control (faults, lock settings, events, webhook URL)."""
        return request("POST", f"{self.base_url}/control", body)

    def state(self) -> dict[str, Any]:
        """GET /control: counts, received commands, faults and locks."""
        result: dict[str, Any] = request("GET", f"{self.base_url}/control")
        return result

    def paste_text(self, index: int = 0) -> str:
        """Return what a user pastes from the portal: the JSON and the four URLs."""
        return str(self.locks[index]["portal_text"])

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL after 5 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
