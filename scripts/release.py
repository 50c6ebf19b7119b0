"""Prepare release X.Y.Z: the manifest's version, CHANGELOG.md, then the whole suite.

Run through scripts/release. Standard library only: the release workflow runs it with the
runner's own python3 (--manifest-only) and it must run on Python 3.11 and later.
"""

import argparse
import datetime
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "custom_components" / "loqed_web" / "manifest.json"
CHANGELOG = ROOT / "CHANGELOG.md"
REPOSITORY_URL = "https://github.com/loqed-web/ha-loqed-web"
# The suite that must be green; a test replaces it to run this on a temporary copy.
CHECK_COMMAND_VARIABLE = "LOQED_WEB_RELEASE_CHECK"
DEFAULT_CHECK_COMMAND = "scripts/test"

VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
UNRELEASED_HEADING = "## [Unreleased]"
RELEASE_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})$", re.MULTILINE)
# The line CHANGELOG.md keeps under [Unreleased] while there is nothing to release.
PLACEHOLDER = "- Nothing yet."
MANIFEST_VERSION_LINE = re.compile(r'^(?P<key>\s*"version":\s*)"[^"]*"', re.MULTILINE)


class ReleaseError(Exception):
    """Why the release cannot be prepared, worded for the person running it."""


def parse_version(text: str) -> tuple[int, int, int]:
    match = VERSION.fullmatch(text)
    if match is None:
        raise ReleaseError(f"{text!r} is not a version X.Y.Z (three numbers without leading zeros, no 'v')")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def released_versions(changelog: str) -> list[str]:
    """The versions of CHANGELOG.md's release headings, newest (topmost) first."""
    return [match["version"] for match in RELEASE_HEADING.finditer(changelog)]


def with_manifest_version(manifest: str, version: str) -> str:
    """manifest.json's text with `version` set, keeping its layout (hassfest checks the key order)."""
    updated, count = MANIFEST_VERSION_LINE.subn(lambda match: f'{match["key"]}"{version}"', manifest)
    if count != 1 or json.loads(updated).get("version") != version:
        raise ReleaseError('manifest.json has no single "version" line to write the version into')
    return updated


def _unreleased_bounds(lines: list[str]) -> tuple[int, int]:
    """Where [Unreleased]'s body starts and ends: up to the next release heading or link line."""
    try:
        heading = lines.index(UNRELEASED_HEADING)
    except ValueError:
        raise ReleaseError(f"CHANGELOG.md has no {UNRELEASED_HEADING!r} heading") from None
    end = heading + 1
    while end < len(lines) and not lines[end].startswith(("## ", "[")):
        end += 1
    return heading + 1, end


def _release_notes(body: list[str]) -> list[str]:
    """[Unreleased]'s body without the placeholder and without the subsections it leaves empty."""
    sections: list[list[str]] = [[]]
    for line in body:
        if line.startswith("### "):
            sections.append([])
        if line.rstrip() != PLACEHOLDER:
            sections[-1].append(line)
    notes: list[str] = []
    for section in sections:
        if any(line.startswith("- ") for line in section):
            while section and not section[-1].strip():
                section.pop()
            notes += [*section, ""]
    return notes


def with_release(changelog: str, version: str, today: datetime.date) -> str:
    """CHANGELOG.md with [Unreleased]'s items moved under a new heading, and its links updated."""
    released = released_versions(changelog)
    if released and parse_version(version) <= parse_version(released[0]):
        raise ReleaseError(f"{version} is not newer than {released[0]}, the newest release in CHANGELOG.md")
    lines = changelog.split("\n")
    start, end = _unreleased_bounds(lines)
    notes = _release_notes(lines[start:end])
    if not notes:
        raise ReleaseError(f"nothing to release: CHANGELOG.md has no items under {UNRELEASED_HEADING!r}")
    release = [f"## [{version}] - {today.isoformat()}", "", *_strip_blank_edges(notes), ""]
    lines[start:end] = ["", *release]
    unreleased_link = f"[Unreleased]: {REPOSITORY_URL}/compare/v{version}...HEAD"
    release_link = (
        f"[{version}]: {REPOSITORY_URL}/compare/v{released[0]}...v{version}"
        if released
        else f"[{version}]: {REPOSITORY_URL}/releases/tag/v{version}"
    )
    for index, line in enumerate(lines):
        if line.startswith("[Unreleased]: "):
            lines[index : index + 1] = [unreleased_link, release_link]
            break
    return "\n".join(lines)


def _strip_blank_edges(lines: list[str]) -> list[str]:
    first = next(index for index, line in enumerate(lines) if line.strip())
    last = max(index for index, line in enumerate(lines) if line.strip())
    return lines[first : last + 1]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/release",
        description="Write X.Y.Z into manifest.json, move CHANGELOG.md's [Unreleased] items under X.Y.Z, "
        f"and run the suite ({DEFAULT_CHECK_COMMAND}; ${CHECK_COMMAND_VARIABLE} replaces it). "
        "A red suite puts both files back.",
    )
    parser.add_argument("version", help="the new version, X.Y.Z")
    parser.add_argument(
        "--manifest-only",
        action="store_true",
        help="only write the version into manifest.json (the release workflow, with the tag's version)",
    )
    args = parser.parse_args(argv)
    version: str = args.version
    try:
        parse_version(version)
        manifest = MANIFEST.read_text()
        if args.manifest_only:
            MANIFEST.write_text(with_manifest_version(manifest, version))
            return 0
        changelog = CHANGELOG.read_text()
        new_changelog = with_release(changelog, version, datetime.date.today())
        new_manifest = with_manifest_version(manifest, version)
    except ReleaseError as error:
        print(f"release: {error}", file=sys.stderr)
        return 1
    MANIFEST.write_text(new_manifest)
    CHANGELOG.write_text(new_changelog)
    print(f"release: manifest.json and CHANGELOG.md say {version}")

    check = shlex.split(os.environ.get(CHECK_COMMAND_VARIABLE, DEFAULT_CHECK_COMMAND))
    print(f"release: running {shlex.join(check)}", flush=True)
    if subprocess.run(check, cwd=ROOT, check=False).returncode != 0:
        MANIFEST.write_text(manifest)
        CHANGELOG.write_text(changelog)
        print(
            f"release: {shlex.join(check)} failed; manifest.json and CHANGELOG.md are as they were",
            file=sys.stderr,
        )
        return 1
    print(
        f"""
release: {version} is ready. Next:
  1. git commit -m "Release {version}" custom_components/loqed_web/manifest.json CHANGELOG.md
  2. git tag -a v{version} -m "LOQED Web {version}" && git push origin HEAD v{version}
  3. Publish a GitHub release for the tag v{version}, with the {version} section of CHANGELOG.md as
     its notes. .github/workflows/release.yaml then attaches loqed_web.zip, which HACS installs."""
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
