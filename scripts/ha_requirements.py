"""Print the requirements of the Home Assistant components this project runs, one a line.

pytest-homeassistant-custom-component installs only Home Assistant's core requirements. Two
things need more:
- importing `homeassistant.components.cloud` (for cloudhooks) imports the whole tree below it,
  after_dependencies included;
- a real `hass` process (scripts/develop, the end-to-end tests) sets up Home Assistant's default
  integrations, and falls into recovery mode when the frontend cannot load.
Reading the manifests of the installed Home Assistant keeps the list in step with its version.
"""

import json
from pathlib import Path

from homeassistant import bootstrap, components

COMPONENTS = Path(components.__path__[0])
# What a running Home Assistant sets up besides the defaults, for this integration and its demo.
EXTRA = (
    *("api", "config", "onboarding", "webhook", "repairs", "history", "logbook", "recorder"),
    *("lock", "sensor", "binary_sensor", "event", "diagnostics"),
)


def walk(starts: set[str], *, after_dependencies: bool) -> set[str]:
    """Return the requirements of `starts` and of everything they depend on."""
    seen: set[str] = set()
    pending = list(starts)
    requirements: set[str] = set()
    while pending:
        domain = pending.pop()
        if domain in seen:
            continue
        seen.add(domain)
        manifest_path = COMPONENTS / domain / "manifest.json"
        if not manifest_path.exists():
            continue
        manifest = json.loads(manifest_path.read_text())
        requirements.update(manifest.get("requirements", []))
        pending.extend(manifest.get("dependencies", []))
        if after_dependencies:
            pending.extend(manifest.get("after_dependencies", []))
    return requirements


def running_hass() -> set[str]:
    """Return the domains a `hass` process with this integration sets up."""
    return (
        set(bootstrap.DEFAULT_INTEGRATIONS)
        | bootstrap.CORE_INTEGRATIONS
        | bootstrap.LOGGING_AND_HTTP_DEPS_INTEGRATIONS
        | bootstrap.FRONTEND_INTEGRATIONS
        | set(EXTRA)
    )


if __name__ == "__main__":
    needed = walk({"cloud"}, after_dependencies=True) | walk(running_hass(), after_dependencies=False)
    print("\n".join(sorted(needed)))
