"""How `make test` and the browser suite behave when the browser pieces cannot be had: a
developer without network gets the rest of the suite and skipped browser tests with the
reason; CI (or HUB_REQUIRE_BROWSER=1) gets a failure, never a quiet skip."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def offline_checkout(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The Makefile in a folder of its own (no node_modules), run as root on a machine
    whose apt-get and npm fail as they do without network. Nothing real is installed."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    work = tmp_path / "checkout"
    work.mkdir()
    for name in ("Makefile", "package.json", "package-lock.json"):
        shutil.copy(ROOT / name, work / name)
    fake = tmp_path / "bin"
    fake.mkdir()
    scripts = {
        "id": "echo 0",  # root
        "apt-get": 'echo "E: could not resolve deb.debian.org" >&2; exit 100',
        "npm": 'echo "npm ERR! network request failed" >&2; exit 1',
        "fc-list": "exit 1",  # no font matches (a bare Debian has DejaVu only)
    }
    for name, body in scripts.items():
        (fake / name).write_text(f"#!/bin/sh\n{body}\n")
        (fake / name).chmod(0o755)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CI", "HUB_REQUIRE_BROWSER", "MAKEFLAGS", "MAKELEVEL")
    }
    env["PATH"] = f"{fake}{os.pathsep}/usr/bin{os.pathsep}/bin"
    return work, env


def browser_deps(work: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`make browser-deps` with Chromium missing."""
    return subprocess.run(
        ["make", "--no-print-directory", "browser-deps", "CHROMIUM=/nonexistent/chromium"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_failed_installs_are_a_warning_outside_ci(offline_checkout):
    work, env = offline_checkout

    result = browser_deps(work, env)

    assert result.returncode == 0, result.stdout + result.stderr
    # chromium, and the fonts on a machine that lacks them
    assert re.search(
        r"the browser tests will be skipped: apt-get install chromium( fonts-\S+)* failed",
        result.stdout,
    ), result.stdout
    assert "the browser tests will be skipped: npm ci failed" in result.stdout


def test_the_fonts_for_arabic_and_chinese_pages_are_installed_with_the_browser(
    offline_checkout,
):
    """Without them, Chinese screenshots show empty boxes instead of characters."""
    work, env = offline_checkout

    result = browser_deps(work, env)

    assert "apt-get install chromium fonts-noto-ui-core fonts-wqy-microhei failed" in (
        result.stdout
    ), result.stdout


@pytest.mark.parametrize("required", [{"HUB_REQUIRE_BROWSER": "1"}, {"CI": "true"}])
def test_failed_installs_stop_make_test_when_the_browser_suite_is_required(
    offline_checkout, required
):
    work, env = offline_checkout

    result = browser_deps(work, {**env, **required})

    assert result.returncode != 0
    assert re.search(r"apt-get install chromium( fonts-\S+)* failed", result.stderr)


def test_required_browser_suite_fails_rather_than_skips_without_playwright():
    """Without Playwright, HUB_REQUIRE_BROWSER=1 makes the journeys and bad-input modules
    fail (through the browser fixture), not skip (a module-level importorskip did)."""
    code = (
        "import sys, pytest; sys.modules['playwright'] = None; sys.exit(pytest.main(sys.argv[1:]))"
    )
    env = {**os.environ, "HUB_REQUIRE_BROWSER": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "-q",
            "-n",
            "0",  # one process: the two tests need no workers of their own
            "-p",
            "no:cacheprovider",
            "-rfEs",
            "tests/browser/test_journeys.py::test_form_opened_before_the_cutoff_and_posted_after_keeps_the_text",
            "tests/browser/test_browser_bad_input.py::test_session_expired_while_typing_keeps_the_text",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "skipped" not in out.splitlines()[-1], out
    assert "The browser suite must run" in out, out
