"""Shipping: CHANGELOG.md, the manifest's version and scripts/release agree."""

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = Path("custom_components") / "loqed_web" / "manifest.json"
CHANGELOG = Path("CHANGELOG.md")
REPOSITORY_URL = "https://github.com/loqed-web/ha-loqed-web"
HEADING = re.compile(r"^## \[(?P<name>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?$", re.MULTILINE)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def test_manifest_version_is_the_newest_release_in_the_changelog() -> None:
    changelog = (ROOT / CHANGELOG).read_text()
    headings = [(match["name"], match["date"]) for match in HEADING.finditer(changelog)]
    assert headings[0] == ("Unreleased", None), "[Unreleased] comes first"
    releases = headings[1:]
    versions = [version for version, _ in releases]
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in versions), versions
    assert versions == sorted(versions, key=version_key, reverse=True), "newest first"
    assert len(set(versions)) == len(versions)
    dates = [datetime.date.fromisoformat(date) for _, date in releases]
    assert dates == sorted(dates, reverse=True)
    assert json.loads((ROOT / MANIFEST).read_text())["version"] == versions[0]
    links = dict(re.findall(r"^\[([^\]]+)\]: (\S+)$", changelog, re.MULTILINE))
    assert links["Unreleased"] == f"{REPOSITORY_URL}/compare/v{versions[0]}...HEAD"
    assert set(links) == {"Unreleased", *versions}


# scripts/release on a temporary copy of the files it reads and writes.


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    for path in (Path("scripts/release"), Path("scripts/release.py"), MANIFEST, CHANGELOG):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, tmp_path / path)
    return tmp_path


def with_unreleased(repository: Path, items: str) -> None:
    """Put `items` under [Unreleased] in place of the placeholder, as a pull request would."""
    changelog = repository / CHANGELOG
    text = changelog.read_text()
    unreleased = text[text.index("## [Unreleased]\n") : text.index("\n## [", text.index("## [Unreleased]\n"))]
    changelog.write_text(text.replace(unreleased, f"## [Unreleased]\n\n{items}"))


def release(repository: Path, *args: str, check: str = "true") -> subprocess.CompletedProcess[str]:
    environment = os.environ | {
        "LOQED_WEB_RELEASE_CHECK": check,
        # The copy has no .venv, so the wrapper takes python3 from PATH: this test's interpreter.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    return subprocess.run(  # noqa: S603  # our own script, fixed arguments
        [repository / "scripts" / "release", *args],
        cwd=repository,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def snapshot(repository: Path) -> dict[Path, str]:
    return {path: (repository / path).read_text() for path in (MANIFEST, CHANGELOG)}


def test_release_script_is_executable() -> None:
    assert os.access(ROOT / "scripts" / "release", os.X_OK)


def test_release_bumps_the_manifest_and_moves_unreleased_under_the_new_version(repository: Path) -> None:
    with_unreleased(repository, "### Added\n\n- A new thing.\n  Said on two lines.\n\n### Changed\n\n- Nothing yet.\n")
    before = snapshot(repository)

    # The check runs in the copy's root, on the files as the release will commit them.
    result = release(repository, "0.2.0", check='grep -q "\\"version\\": \\"0.2.0\\"" ' + str(MANIFEST))

    assert result.returncode == 0, result.stderr
    assert (repository / MANIFEST).read_text() == before[MANIFEST].replace('"version": "0.1.0"', '"version": "0.2.0"')
    today = datetime.date.today().isoformat()
    old_releases = before[CHANGELOG][before[CHANGELOG].index("## [0.1.0]") :]
    assert (repository / CHANGELOG).read_text() == (
        before[CHANGELOG][: before[CHANGELOG].index("## [Unreleased]")]
        + "## [Unreleased]\n\n"
        + f"## [0.2.0] - {today}\n\n### Added\n\n- A new thing.\n  Said on two lines.\n\n"
        + old_releases.replace(
            f"[Unreleased]: {REPOSITORY_URL}/compare/v0.1.0...HEAD\n",
            f"[Unreleased]: {REPOSITORY_URL}/compare/v0.2.0...HEAD\n"
            f"[0.2.0]: {REPOSITORY_URL}/compare/v0.1.0...v0.2.0\n",
        )
    )
    assert "git tag -a v0.2.0" in result.stdout
    assert "Publish a GitHub release for the tag v0.2.0" in result.stdout


def test_a_red_suite_puts_both_files_back(repository: Path) -> None:
    with_unreleased(repository, "### Fixed\n\n- A bug.\n")
    before = snapshot(repository)

    result = release(repository, "0.1.1", check="false")

    assert result.returncode == 1
    assert result.stderr == "release: false failed; manifest.json and CHANGELOG.md are as they were\n"
    assert snapshot(repository) == before


@pytest.mark.parametrize("version", ["v0.2.0", "0.2", "0.2.0.1", "01.2.0", "0.2.0-beta.1", "0.2.0 ", ""])
def test_release_refuses_a_malformed_version(repository: Path, version: str) -> None:
    with_unreleased(repository, "### Fixed\n\n- A bug.\n")
    before = snapshot(repository)

    result = release(repository, version, check="false")

    assert result.returncode == 1
    assert result.stderr == (
        f"release: {version!r} is not a version X.Y.Z (three numbers without leading zeros, no 'v')\n"
    )
    assert snapshot(repository) == before


@pytest.mark.parametrize("version", ["0.1.0", "0.0.9"])
def test_release_refuses_a_version_that_is_not_newer(repository: Path, version: str) -> None:
    with_unreleased(repository, "### Fixed\n\n- A bug.\n")
    before = snapshot(repository)

    result = release(repository, version)

    assert result.returncode == 1
    assert result.stderr == f"release: {version} is not newer than 0.1.0, the newest release in CHANGELOG.md\n"
    assert snapshot(repository) == before


def test_release_refuses_when_unreleased_holds_only_the_placeholder(repository: Path) -> None:
    with_unreleased(repository, "### Changed\n\n- Nothing yet.\n")
    before = snapshot(repository)

    result = release(repository, "0.2.0")

    assert result.returncode == 1
    assert result.stderr == "release: nothing to release: CHANGELOG.md has no items under '## [Unreleased]'\n"
    assert snapshot(repository) == before


def test_manifest_only_writes_just_the_version_for_the_release_workflow(repository: Path) -> None:
    before = snapshot(repository)

    result = release(repository, "--manifest-only", "3.4.5", check="false")

    assert result.returncode == 0, result.stderr
    assert snapshot(repository) == {
        MANIFEST: before[MANIFEST].replace('"version": "0.1.0"', '"version": "3.4.5"'),
        CHANGELOG: before[CHANGELOG],
    }
