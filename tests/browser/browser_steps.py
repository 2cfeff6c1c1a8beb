"""What the browser tests do and look at: the live hub's handle, data factories, and the
steps a person takes in the browser (register, log in, fill a submission form)."""

from __future__ import annotations

import os
import pickle
import re
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from flask import Flask
from sqlalchemy import select

from hub.auth.models import Role, User
from hub.clock import Clock
from hub.extensions import db
from hub.submissions.models import Status, Submission

from helpers import PASSWORD, content

# Each pytest-xdist worker writes its tests' screenshots into a folder of its own
# (tests/output/gw0/...); the page tour, taken once per run, writes to tests/output/tour/.
OUTPUT = Path(__file__).resolve().parents[1] / "output" / os.environ.get("PYTEST_XDIST_WORKER", "")
_seq = count(1)


@dataclass
class LiveHub:
    """A hub served on a real port, with shortcuts into its database for setup and checks."""

    app: Flask
    url: str
    seeded: dict[str, Any] | None = None  # what page_tour.seed() made of it, once seeded

    @property
    def clock(self) -> Clock:
        """The app's clock, shared with the server thread: move it to test the cutoff."""
        return self.app.extensions["hub_clock"]

    @contextmanager
    def _writing(self) -> Any:
        """A (test) request context whose session commits on success, with the cutoff out of
        the way (setup writes whatever the clock says, as the test factories do).

        A request context, not just an app context: the e-mails queued by the operations
        build links with url_for, which needs one (see the report on hub/mail/messages.py).
        """
        clock = self.clock
        saved = (clock.open_at, clock.close_at, clock.frozen_at)
        clock.open_at = clock.close_at = None
        clock.freeze(None)
        try:
            with self.app.test_request_context(base_url=self.url):
                yield db.session
                db.session.commit()
        finally:
            clock.open_at, clock.close_at = saved[0], saved[1]
            clock.freeze(saved[2])

    def create_user(
        self,
        role: str = "submitter",
        email: str | None = None,
        name: str | None = None,
        password: str = PASSWORD,
    ) -> str:
        """Create an account through hub.auth.operations; returns its e-mail."""
        from hub.auth.operations import create_user

        email = email or f"{role}{next(_seq)}@example.org"
        with self._writing():
            create_user(
                email,
                password,
                name or f"{role.capitalize()} {email.split('@')[0]}",
                "Test Org" if role == "submitter" else "Test Secretariat",  # no conflict
                Role(role),
            )
        return email

    def create_submission(
        self, owner: str, status: str = "approved", kind: str = "initiative", **fields: Any
    ) -> dict[str, Any]:
        """A submission of `owner` in `status`, decided through the real moderation
        operations; returns its id, slug and title."""
        from hub.auth.operations import create_user, find_user
        from hub.moderation import operations as moderation
        from hub.submissions.operations import create_submission, withdraw_submission

        status_ = Status(status)
        with self._writing() as session:
            owner_row = find_user(owner)
            sub = create_submission(
                owner_row, kind, content(**fields), submit=status_ is not Status.DRAFT
            )
            referee = find_user("referee@example.org") or create_user(
                "referee@example.org", PASSWORD, "Referee", "", Role.MODERATOR
            )
            if status_ is Status.APPROVED:
                moderation.approve_submission(sub, referee)
            elif status_ is Status.REJECTED:
                moderation.reject_submission(sub, referee, "Out of scope.")
            elif status_ is Status.CHANGES_REQUESTED:
                moderation.request_changes(sub, referee, "Please name your partners.")
            elif status_ is Status.WITHDRAWN:
                withdraw_submission(sub, owner_row)
            session.flush()
            return {"id": sub.id, "slug": sub.slug, "title": sub.title}

    def mailed_link(self, email: str, path: str) -> str:
        """The path of the last link under `path` mailed to `email` (links in mails point at
        HUB_BASE_URL, not at this test server)."""
        from hub.mail.models import OutboxMail

        with self.app.app_context():
            bodies = db.session.scalars(
                select(OutboxMail.body)
                .where(OutboxMail.to_addr == email.lower())
                .order_by(OutboxMail.id.desc())
            ).all()
        for body in bodies:
            found = re.search(rf"https?://[^/\s]+({re.escape(path)}\S*)", body)
            if found:
                return found.group(1)
        raise AssertionError(f"no link to {path} mailed to {email}")

    def confirmation_path(self, email: str, name: str) -> str:
        """A new unconfirmed account's confirmation link (its path), made without a mail."""
        from hub.auth.operations import create_user
        from hub.auth.tokens import confirmation_token

        with self._writing():
            user = create_user(email, PASSWORD, name, confirmed=False)
            return f"/account/confirm/{confirmation_token(user)}"

    def submissions_of(self, email: str) -> list[dict[str, Any]]:
        """The owner's submissions as rows read from the database (oldest first)."""
        with self.app.app_context():
            rows = db.session.scalars(
                select(Submission)
                .join(User, Submission.owner_id == User.id)
                .where(User.email == email.lower())
                .order_by(Submission.id)
            ).all()
            return [
                {
                    "id": s.id,
                    "status": s.status.value,
                    "title": s.title,
                    "summary": s.summary,
                    "slug": s.slug,
                }
                for s in rows
            ]


class HeldPostAnswers:
    """WSGI middleware: the answer to a POST leaves `delay` seconds after the hub wrote it, as
    on a slow connection, so a person can click again while the first post is on its way."""

    def __init__(self, app: Any, delay: float) -> None:
        self.app, self.delay = app, delay

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        """Let the hub answer at once; hold the answer back before sending it."""
        result = self.app(environ, start_response)
        try:
            body = list(result)
        finally:
            getattr(result, "close", lambda: None)()
        if environ["REQUEST_METHOD"] == "POST":
            time.sleep(self.delay)
        return body


def shared_once(
    tmp_path_factory: Any,
    key: str,
    make: Callable[[], Any],
    *,
    wait: bool = True,
) -> tuple[bool, Any]:
    """`make()` once per run, not once per pytest-xdist worker: the first worker to get here
    makes it and leaves it pickled beside the workers' temporary folders; the others read it.
    Returns (ready, value). While another worker is making it, waits, or with `wait` false
    returns (False, None) at once."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return True, make()
    shared = tmp_path_factory.getbasetemp().parent / f"{key}.pickle"
    try:
        with FileLock(f"{shared}.lock").acquire(timeout=-1 if wait else 0):
            if not shared.is_file():
                shared.write_bytes(pickle.dumps(make()))
            return True, pickle.loads(shared.read_bytes())
    except Timeout:
        return False, None


# --- Steps in the browser ------------------------------------------------------------------


def at(data: dict[str, Any], path: str) -> str:
    """`path` in the language being toured: under its prefix (none for English)."""
    return f"{data.get('prefix', '')}{path}"


def click_and_wait(page: Any, selector: str, *, double: bool = False) -> Any:
    """Click (or double-click) something that submits or follows a link; wait for the page."""
    with page.expect_navigation():
        if double:
            page.dblclick(selector)
        else:
            page.click(selector)
    page.wait_for_load_state()
    return page


def register(
    page: Any, hub: LiveHub, email: str, name: str = "Amina Diallo", password: str = PASSWORD
) -> None:
    """Create an account through the registration form, then follow the mailed link and
    confirm the address (which logs in)."""
    page.goto("/account/register")
    page.fill("#email", email)
    page.fill("#display_name", name)
    page.fill("#organisation", "Institut de recherche")
    page.fill("#password", password)
    page.fill("#confirm", password)
    click_and_wait(page, "form.card button[type=submit]")
    assert page.locator("h1").inner_text() == "Check your inbox"
    confirm_address(page, hub, email)


def confirm_address(page: Any, hub: LiveHub, email: str) -> None:
    """Open the confirmation link mailed to `email` and press its button (logs in)."""
    page.goto(hub.mailed_link(email, "/account/confirm/"))
    click_and_wait(page, "main form button[type=submit]")


def login(page: Any, email: str, password: str = PASSWORD, *, go: bool = True) -> None:
    """Log in through the login form (opening it first unless `go` is false)."""
    if go:
        page.goto("/account/login")
    page.fill("#email", email)
    page.fill("#password", password)
    click_and_wait(page, "main form.card button[type=submit]")


def fill_submission(page: Any, **fields: Any) -> None:
    """Fill the fields of the open submission form: text by id, choices by value."""
    for name, value in fields.items():
        if name in ("stakeholder_group", "language"):
            page.select_option(f"#{name}", value)
        elif name == "countries":
            for code in value:
                tick_country(page, code)
        elif name in ("themes", "sdgs"):  # no regions: they follow from the countries
            for item in value:
                page.check(f"input[name={name}][value='{item}']")
        else:
            page.fill(f"#{name}", value)


def tick_country(page: Any, code: str) -> None:
    """Tick a country as a person does: open its M49 region (a click on its name) if folded."""
    box = page.locator(f"input[name=countries][value='{code}']")
    group = page.locator(f"details.choice-group:has(input[value='{code}'])")
    if group.count() and group.get_attribute("open") is None:
        group.locator("summary").click()
    box.check()


COMPLETE_FORM: dict[str, Any] = {
    "title": "Santé numérique dans les écoles",
    "summary": "Former les infirmières scolaires à l'usage responsable de l'IA.",
    "description": "Un programme de deux ans avec des ateliers et du matériel ouvert.",
    "lead_organisation": "Institut de recherche",
    "stakeholder_group": "academia",
    "countries": ["FR", "SN"],
    "themes": ["health", "education"],
    "language": "fr",
    "contact_name": "Amina Diallo",
    "contact_email": "amina@example.org",
}


def flash_text(page: Any) -> str:
    """The flash messages of the current page, as one string."""
    return " ".join(page.locator(".flash").all_inner_texts())


# A moderator's decisions by the words on the review page.
DECISION_LABELS = {
    "approve": "Approve and publish",
    "request_changes": "Request changes",
    "reject": "Reject",
}


def decide(page: Any, action: str, message: str = "") -> None:
    """Record a decision on the open review page, whichever way its form offers them: a
    "Decision" select and one submit button, or one button per decision named by its label."""
    form = page.locator("form[action$='/decide']")
    if message:
        form.locator("textarea[name=message]").fill(message)
    if form.locator("select[name=action]").count():
        form.locator("select[name=action]").select_option(action)
        click_and_wait(page, "form[action$='/decide'] button[type=submit]")
    else:
        label = DECISION_LABELS[action]
        click_and_wait(page, f"form[action$='/decide'] button:has-text('{label}')")


def axe_violations(page: Any, axe: Path) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA findings on the open page (the tour's rules and tags); the
    page's context needs `bypass_csp=True` (the hub's CSP allows no injected script)."""
    from page_tour import _AXE_RUN, AXE_TAGS

    page.add_script_tag(path=str(axe))
    return list(page.evaluate(_AXE_RUN, AXE_TAGS))
