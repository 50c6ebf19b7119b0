"""The robustness figures measured during a run, written to reports/robustness.md at its end."""

from pathlib import Path
from typing import Any

REPORT = Path(__file__).resolve().parent.parent / "reports" / "robustness.md"
FIGURES: dict[str, Any] = {}


def write_report() -> list[str]:
    """Write the report when figures were measured; return its lines."""
    if not FIGURES:
        return []
    from homeassistant.const import __version__  # noqa: PLC0415  # only when a report is written

    lines = [f"# Robustness report (Home Assistant {__version__})", "", "| measure | value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in sorted(FIGURES.items())]
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n")
    return lines
