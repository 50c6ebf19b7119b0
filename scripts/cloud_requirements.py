"""Print the requirements of HA's `cloud` component and everything it depends on, one a line.

pytest-homeassistant-custom-component installs only Home Assistant's core requirements, but
importing `homeassistant.components.cloud` (for cloudhooks) imports the whole tree below it.
Reading the manifests of the installed Home Assistant keeps the list in step with its version.
"""

import json
from pathlib import Path

from homeassistant import components

COMPONENTS = Path(components.__path__[0])


def walk(start: str) -> list[str]:
    """Return the sorted requirements of `start`, its dependencies and after_dependencies."""
    seen: set[str] = set()
    pending = [start]
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
        pending.extend(manifest.get("after_dependencies", []))
    return sorted(requirements)


if __name__ == "__main__":
    print("\n".join(walk("cloud")))
