"""Shipping: the workflows, hacs.json's zip, CHANGELOG.md, the manifest's version and scripts/release."""

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from custom_components.loqed_web.diagnostics import TO_REDACT

ROOT = Path(__file__).resolve().parent.parent
CHANGELOG = Path("CHANGELOG.md")
REPOSITORY_URL = "https://github.com/loqed-web/ha-loqed-web"
WORKFLOWS = Path(".github") / "workflows"
INTEGRATION = Path("custom_components") / "loqed_web"
MANIFEST = INTEGRATION / "manifest.json"
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


# The workflows. PyYAML reads the key `on` as True.

CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1"
PINNED_USES = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w.-]+)*@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"^\s*(?:- )?uses: \S+ # \S+")

type Workflow = dict[object, object]
type Step = dict[str, object]


def workflow(name: str) -> Workflow:
    return yaml.safe_load((ROOT / WORKFLOWS / name).read_text())  # type: ignore[no-any-return]  # test data


def jobs(workflow: Workflow) -> dict[str, dict[str, object]]:
    return workflow["jobs"]  # type: ignore[return-value]  # test data


def steps(job: dict[str, object]) -> list[Step]:
    return job["steps"]  # type: ignore[return-value]  # test data


def all_steps() -> list[tuple[str, Step]]:
    return [
        (path.name, step)
        for path in sorted((ROOT / WORKFLOWS).glob("*.y*ml"))
        for job in jobs(workflow(path.name)).values()
        for step in steps(job)
    ]


def test_the_three_workflows_and_no_others() -> None:
    assert sorted(path.name for path in (ROOT / WORKFLOWS).iterdir()) == ["release.yaml", "tests.yaml", "validate.yaml"]


def test_validate_runs_hassfest_and_the_hacs_action_with_nothing_ignored_daily_too() -> None:
    validate = workflow("validate.yaml")
    assert validate[True] == {
        "push": {"branches": ["main"]},
        "pull_request": None,
        "schedule": [{"cron": "23 4 * * *"}],
        "workflow_dispatch": None,
    }
    minute, hour, *every_day = validate[True]["schedule"][0]["cron"].split()  # type: ignore[index]  # test data
    assert (0 <= int(minute) < 60, 0 <= int(hour) < 24, every_day) == (True, True, ["*", "*", "*"])
    hassfest, hacs = jobs(validate)["hassfest"], jobs(validate)["hacs"]
    assert set(jobs(validate)) == {"hassfest", "hacs"}
    assert [step.get("uses") for step in steps(hassfest)] == [
        CHECKOUT,
        "home-assistant/actions/hassfest@e91ad1948e57189485b9c1ad608af0c303946f89",
    ]
    assert "with" not in steps(hassfest)[1]
    assert steps(hacs) == [
        {
            "name": "Run the HACS action",
            "uses": "hacs/action@d556e736723344f83838d08488c983a15381059a",
            "with": {"category": "integration"},  # no `ignore`: HACS's default list refuses it
        }
    ]


def test_tests_run_scripts_test_on_debian_as_ci_does() -> None:
    tests = workflow("tests.yaml")
    assert tests[True] == {"push": {"branches": ["main"]}, "pull_request": None, "workflow_dispatch": None}
    assert set(jobs(tests)) == {"test"}
    job = jobs(tests)["test"]
    assert (job["runs-on"], job["container"]) == ("ubuntu-latest", "python:3.14-trixie")
    assert [step.get("uses") or step["run"] for step in steps(job)] == [CHECKOUT, "scripts/test"]
    assert (ROOT / ".ci" / "run").read_text().splitlines()[-1] == "exec scripts/test", "the same command as CI"


def test_release_writes_the_tag_version_zips_the_integration_and_uploads_what_hacs_json_names() -> None:
    release = workflow("release.yaml")
    assert release[True] == {"release": {"types": ["published"]}}
    assert set(jobs(release)) == {"zip"}
    checkout, version, zip_, upload = steps(jobs(release)["zip"])
    assert checkout["uses"] == CHECKOUT
    assert version["run"] == 'scripts/release --manifest-only "${TAG#v}"'
    assert version["env"] == {"TAG": "${{ github.event.release.tag_name }}"}
    assert zip_["working-directory"] == str(INTEGRATION)
    assert zip_["run"] == 'python3 -m zipfile -c "$GITHUB_WORKSPACE/loqed_web.zip" ./*'
    assert upload["run"] == 'gh release upload "$TAG" "$GITHUB_WORKSPACE/loqed_web.zip" --clobber'
    assert upload["env"] == {
        "GH_TOKEN": "${{ github.token }}",
        "GH_REPO": "${{ github.repository }}",
        "TAG": "${{ github.event.release.tag_name }}",
    }
    hacs = json.loads((ROOT / "hacs.json").read_text())
    assert (hacs["zip_release"], hacs["filename"]) == (True, "loqed_web.zip")


def run_step(step: Step, workspace: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    """One `run:` step of release.yaml, with bash as GitHub runs it, on a copy of the repository."""
    return subprocess.run(  # noqa: S603  # the workflow's own script
        ["bash", "-e", "-c", str(step["run"])],  # noqa: S607  # bash from PATH, as on the runner
        cwd=workspace / str(step.get("working-directory", ".")),
        env=os.environ
        | {"GITHUB_WORKSPACE": str(workspace), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
        | environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_release_steps_put_the_tag_version_and_the_integration_at_the_zip_root(tmp_path: Path) -> None:
    for path in (Path("scripts/release"), Path("scripts/release.py")):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, tmp_path / path)
    shutil.copytree(ROOT / INTEGRATION, tmp_path / INTEGRATION, ignore=shutil.ignore_patterns("__pycache__"))
    _, version, zip_, _ = steps(jobs(workflow("release.yaml"))["zip"])

    assert run_step(version, tmp_path, TAG="v1.2.3").returncode == 0
    assert run_step(zip_, tmp_path).returncode == 0

    files = {path.relative_to(tmp_path / INTEGRATION) for path in (tmp_path / INTEGRATION).rglob("*") if path.is_file()}
    with zipfile.ZipFile(tmp_path / "loqed_web.zip") as archive:
        assert {Path(name) for name in archive.namelist() if not name.endswith("/")} == files
        assert json.loads(archive.read("manifest.json"))["version"] == "1.2.3"
        manifest = (ROOT / MANIFEST).read_text()
        assert archive.read("manifest.json").decode() == manifest.replace(
            f'"version": "{json.loads(manifest)["version"]}"', '"version": "1.2.3"'
        )
        assert archive.read("__init__.py") == (ROOT / INTEGRATION / "__init__.py").read_bytes()


def test_release_fails_on_a_tag_that_is_not_a_version(tmp_path: Path) -> None:
    for path in (Path("scripts/release"), Path("scripts/release.py"), MANIFEST):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, tmp_path / path)
    _, version, _, _ = steps(jobs(workflow("release.yaml"))["zip"])

    result = run_step(version, tmp_path, TAG="release-1")

    assert result.returncode == 1
    assert (tmp_path / MANIFEST).read_text() == (ROOT / MANIFEST).read_text()


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version_in_a_comment() -> None:
    uses = [str(step["uses"]) for _, step in all_steps() if "uses" in step]
    assert len(uses) == 5
    assert [use for use in uses if not PINNED_USES.fullmatch(use)] == []
    for path in (ROOT / WORKFLOWS).iterdir():
        lines = [line for line in path.read_text().splitlines() if re.match(r"^\s*(?:- )?uses:", line)]
        assert [line for line in lines if not VERSION_COMMENT.match(line)] == [], path.name


def test_permissions_are_least() -> None:
    expected_job_permissions = {
        ("release.yaml", "zip"): {"contents": "write"},  # gh release upload, and nothing more
        ("tests.yaml", "test"): {"contents": "read"},
        ("validate.yaml", "hassfest"): {"contents": "read"},
        ("validate.yaml", "hacs"): {"contents": "read"},
    }
    found = {}
    for path in sorted((ROOT / WORKFLOWS).iterdir()):
        flow = workflow(path.name)
        assert flow["permissions"] == {}, f"{path.name}: nothing granted at the top"
        found |= {(path.name, name): job["permissions"] for name, job in jobs(flow).items()}
    assert found == expected_job_permissions


def test_checkouts_keep_no_credentials_and_no_run_step_expands_an_expression() -> None:
    checkouts = [step for _, step in all_steps() if str(step.get("uses", "")).startswith("actions/checkout@")]
    assert len(checkouts) == 3
    assert all(step["with"] == {"persist-credentials": False} for step in checkouts)
    # Expressions reach scripts through env: only, so a tag name cannot become shell code.
    assert [(name, step["run"]) for name, step in all_steps() if "${{" in str(step.get("run", ""))] == []


def test_every_job_has_a_timeout() -> None:
    timeouts = {
        (path.name, name): job.get("timeout-minutes")
        for path in (ROOT / WORKFLOWS).iterdir()
        for name, job in jobs(workflow(path.name)).items()
    }
    assert timeouts == {
        ("release.yaml", "zip"): 10,
        ("tests.yaml", "test"): 90,
        ("validate.yaml", "hassfest"): 15,
        ("validate.yaml", "hacs"): 15,
    }


# The issue forms.

ISSUE_TEMPLATES = Path(".github") / "ISSUE_TEMPLATE"
CREDENTIALS = [
    "API key, commands signed in Home Assistant",
    "API key, commands sent with LOQED's ready-made URLs",
    "Personal access token",
]


def issue_form(name: str) -> dict[str, object]:
    return yaml.safe_load((ROOT / ISSUE_TEMPLATES / name).read_text())  # type: ignore[no-any-return]  # test data


def fields(form: dict[str, object]) -> dict[str, dict[str, object]]:
    return {item["id"]: item for item in form["body"] if "id" in item}  # type: ignore[attr-defined, index]  # test data


def test_bug_report_asks_for_versions_credential_diagnostics_and_logs() -> None:
    form = fields(issue_form("bug_report.yml"))
    assert list(form) == [
        "home_assistant_version",
        "integration_version",
        "credential",
        "diagnostics",
        "what_happened",
        "expected",
        "logs",
    ]
    required = [name for name, field in form.items() if field.get("validations", {}).get("required")]  # type: ignore[attr-defined]  # test data
    assert required == list(form)[:-1], "everything but the logs"
    assert form["credential"]["type"] == "dropdown"
    assert form["credential"]["attributes"]["options"] == CREDENTIALS  # type: ignore[index]  # test data
    diagnostics = str(form["diagnostics"]["attributes"]["description"])  # type: ignore[index]  # test data
    assert "*Download diagnostics*" in diagnostics
    assert "redacted" in diagnostics


def test_issues_start_from_a_form_and_questions_go_to_discussions() -> None:
    config = issue_form("config.yml")
    assert config["blank_issues_enabled"] is False
    assert [link["url"] for link in config["contact_links"]] == [  # type: ignore[attr-defined]  # test data
        f"{REPOSITORY_URL}/discussions",
        f"{REPOSITORY_URL}/security/policy",
    ]
    assert (ROOT / "SECURITY.md").exists(), "the security link shows SECURITY.md"
    assert fields(issue_form("feature_request.yml"))["credential"]["attributes"]["options"] == [  # type: ignore[index]  # test data
        *CREDENTIALS,
        "It does not matter",
    ]


def test_security_policy_lists_exactly_what_diagnostics_redact() -> None:
    policy = (ROOT / "SECURITY.md").read_text()
    table = policy[policy.index("## What diagnostics redact") :]
    listed = {
        key for row in table.splitlines() if row.startswith("| `") for key in re.findall(r"`(\w+)`", row.split("|")[1])
    }
    assert listed == TO_REDACT
    assert "Report a vulnerability" in policy
