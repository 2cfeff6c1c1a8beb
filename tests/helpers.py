"""Constants, data builders and page readers shared by the tests (fixtures live in the
conftest.py files); test modules import from here, never from one another."""

from __future__ import annotations

import email
import email.policy
import html
import os
import re
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from sqlalchemy import func, select

from hub.audit.models import AuditEvent
from hub.auth.models import User
from hub.extensions import db
from hub.mail.models import OutboxMail
from hub.submissions.models import Submission
from hub.submissions.operations import create_submission, update_submission

# The suite's PostgreSQL server, when set (.ci/run's second pass); unset = SQLite.
PG_URL = os.environ.get("HUB_TEST_DATABASE_URL")
PASSWORD = "a-long-enough-password"


def full_content(**overrides: Any) -> dict[str, Any]:
    """Complete, valid content of a submission (as form data or operation input)."""
    data: dict[str, Any] = {
        "title": "AI skills for public servants",
        "summary": "Training civil servants in three regions to assess AI systems.",
        "description": "A two-year programme of workshops and open course material.",
        "lead_organisation": "Example Institute",
        "stakeholder_group": "academia",
        "countries": ["CH", "KE"],
        "regions": ["africa", "europe"],
        "themes": ["capacity_building"],
        "sdgs": [4, 17],
        "partners": "Partner One\nPartner Two",
        "website": "https://example.org/skills",
        "language": "en",
        "contact_name": "Ada Example",
        "contact_email": "ada@example.org",
        "objectives": "Train 500 people.",
        "member_organisations": "Member A\nMember B",
        "resources": "Funding",
        "timeline": "2026-09 pilot\n2027-03 scale",
        "start_date": "2026-09-01",
        "end_date": "2027-12-31",
    }
    data.update(overrides)
    return data


def content(**overrides: Any) -> dict[str, Any]:
    """full_content() as the operations take it (dates as dates, not form strings)."""
    data = full_content(**overrides)
    for key in ("start_date", "end_date"):
        if isinstance(data.get(key), str):
            data[key] = date.fromisoformat(data[key])
    return data


# --- Forms and pages, as a browser would post and read them --------------------------------

KIND_FIELDS = {
    "initiative": "objectives",
    "coalition": "member_organisations",
    "partnership": "resources",
    "concrete_action": "timeline",
}

# What each kind requires to be submitted (an initiative's fields, and each other kind's own).
REQUIRED = {
    "initiative": (
        "title",
        "summary",
        "description",
        "lead_organisation",
        "stakeholder_group",
        "countries",
        "themes",
        "language",
        "contact_name",
        "contact_email",
    ),
    "coalition": ("member_organisations",),
    "partnership": ("partners",),
    "concrete_action": ("start_date", "timeline"),
}


def expect(response: Any, status: int) -> Any:
    """Assert the status (never a 500), showing the page text when it differs."""
    assert response.status_code != 500, response.text[:2000]
    assert response.status_code == status, response.text[:2000]
    return response


def form_data(kind: str = "initiative", action: str = "submit", **overrides: Any) -> dict:
    """A complete form post for `kind` (only that kind's own field) plus the button."""
    data = full_content(**overrides)
    for other_kind, name in KIND_FIELDS.items():
        if other_kind != kind and name not in overrides:
            data.pop(name, None)
    data["action"] = action
    return {
        k: [str(v) for v in val] if isinstance(val, list) else val
        for k, val in data.items()
        if val is not None
    }


def field_block(page: str, name: str) -> str:
    """The HTML of one form field (label, help, errors, input)."""
    found = re.search(rf'<div class="field[^"]*" id="{name}-field">(.*?)</div>', page, re.S)
    assert found, f"no field {name!r} in the page"
    return found.group(1)


def field_error(page: str, name: str) -> str:
    """The error text shown next to a field ('' when none)."""
    found = re.search(r'<p class="error"[^>]*>(.*?)</p>', field_block(page, name), re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def field_value(page: str, name: str) -> str:
    """What an <input> or <textarea> of the re-rendered form holds."""
    area = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(?:\r?\n)?(.*?)</textarea>', page, re.S)
    if area:
        return html.unescape(area.group(1))
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert tag, f"no input for {name!r}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def form_token(page: str) -> str:
    """The one-time token of the submission form in `page`."""
    found = re.search(r'name="form_token" type="hidden" value="([^"]*)"', page)
    assert found, "no form_token in the form"
    return found.group(1)


def detail_id(response: Any) -> int:
    """The id in a redirect to /my/<id>."""
    found = re.fullmatch(r"/my/(\d+)", response.location)
    assert found, response.location
    return int(found.group(1))


def page_text(page: str) -> str:
    """The page as a person reads it: tags removed, blanks collapsed, entities decoded
    (<bdi>, which only isolates the direction of a name inside a sentence, adds no blank)."""
    page = re.sub(r"</?bdi>", "", page)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


# --- What is stored -------------------------------------------------------------------------


def rows(app: Flask, **where: Any) -> list[Submission]:
    """Stored submissions (read in a context of their own), oldest first."""
    with app.app_context():
        found = list(
            db.session.scalars(select(Submission).filter_by(**where).order_by(Submission.id))
        )
        db.session.expunge_all()
        return found


def row(app: Flask, submission_id: int) -> Submission:
    """One stored submission, detached."""
    with app.app_context():
        found = db.session.get(Submission, submission_id)
        assert found is not None
        db.session.expunge(found)
        return found


def count(app: Flask, model: type = Submission) -> int:
    """How many rows of `model` are stored."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# --- Moderation: one person's browser, and what a decision changed --------------------------
#
# Each person gets a Browser of their own whose requests run in a fresh app context, as in
# production: pytest-flask keeps a request context pushed for the whole test, and requests
# made inside it would otherwise share `g` (Flask-Login caches the user there, so one
# client's login would leak into another client's requests).

REASON = "Outside the scope of this call."


class Browser:
    """One person's browser: a test client whose every request has its own app context."""

    def __init__(self, app: Flask, user: User | None = None) -> None:
        self.app = app
        self.client = app.test_client()
        self.user = user
        if user is not None:
            response = self.post("/account/login", data={"email": user.email, "password": PASSWORD})
            assert response.status_code == 302, f"login of {user.email} failed"

    def get(self, url: str, **kwargs: Any) -> Any:
        with self.app.app_context():
            return self.client.get(url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        with self.app.app_context():
            return self.client.post(url, **kwargs)


def text_of(response: Any) -> str:
    """The response body with HTML entities decoded (flash messages quote with &#39;)."""
    return html.unescape(response.get_data(as_text=True))


def flash_messages(response: Any) -> list[str]:
    """The flash messages on a page, in order."""
    return re.findall(r'<p class="flash flash-\w+">(.*?)</p>', text_of(response), re.S)


def page_version(browser: Browser, submission_id: int) -> int:
    """The version counter the review page's decision form carries."""
    response = browser.get(f"/moderation/{submission_id}")
    assert response.status_code == 200
    found = re.search(r'<input[^>]*name="version"[^>]*value="(\d+)"', response.text)
    assert found, "the review page has no version field"
    return int(found.group(1))


def item_state(app: Flask, submission_id: int) -> dict[str, Any]:
    """The columns a decision may change, and the number of the item's audit events."""
    with app.app_context():
        s = db.session.get(Submission, submission_id)
        return {
            "status": s.status,
            "version": s.version,
            "decided_by_id": s.decided_by_id,
            "decided_at": s.decided_at,
            "decision_message": s.decision_message,
            "duplicate_of_id": s.duplicate_of_id,
            "published_at": s.published_at,
            "title": s.title,
            "events": db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.submission_id == submission_id)
            ),
        }


def snapshot(app: Flask, submission_id: int) -> dict[str, Any]:
    """Everything a decision may change (whole audit and outbox counted): compared before
    and after a refused decision."""
    with app.app_context():
        return {
            **item_state(app, submission_id),
            "audit": db.session.scalar(select(func.count()).select_from(AuditEvent)),
            "outbox": db.session.scalar(select(func.count()).select_from(OutboxMail)),
        }


def events(app: Flask, submission_id: int | None = None) -> list[AuditEvent]:
    """Audit events (of one submission, or all), oldest first, detached."""
    with app.app_context():
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        if submission_id is not None:
            stmt = stmt.where(AuditEvent.submission_id == submission_id)
        rows = list(db.session.scalars(stmt))
        db.session.expunge_all()
        return rows


def outbox(app: Flask) -> list[OutboxMail]:
    """The stored mails, oldest first, detached."""
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))
        db.session.expunge_all()
        return rows


def propose(app: Flask, item_id: int, owner: User, **changes: Any) -> int:
    """The owner saves changed text without resubmitting: an approved submission gets a
    pending revision, whose id is returned; any other is changed in place (its id)."""
    with app.app_context():
        revision = update_submission(
            db.session.get(Submission, item_id),
            content(**changes),
            submit=False,
            actor=db.session.get(User, owner.id),
        )
        db.session.commit()
        return revision.id


def decision_form(action: str, version: int | None, **extra: Any) -> dict[str, Any]:
    """A decision form post (without `version` when it is None)."""
    data: dict[str, Any] = {"action": action, **extra}
    if version is not None:
        data["version"] = str(version)
    return data


def ticked(page: str) -> set[int]:
    """The ids whose box is ticked in a queue page."""
    return {
        int(i)
        for i in re.findall(
            r'<input type="checkbox" name="ids" value="(\d+)"[^>]*\bchecked\b', page
        )
    }


def logged_in(base: str, email: str) -> requests.Session:
    """A requests session logged in on the live hub at `base` (see the `live` fixture)."""
    session = requests.Session()
    response = session.post(
        f"{base}/account/login",
        data={"email": email, "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302
    return session


# --- The moderators' figures ----------------------------------------------------------------


def submit_at(
    app: Flask, clock: Any, owner: User, when: datetime, kind: str = "initiative", **fields: Any
) -> int:
    """Create and submit an item at `when` (the audit trail records that instant)."""
    clock.freeze(when)
    with app.app_context():
        item = create_submission(
            db.session.get(User, owner.id), kind, content(**fields), submit=True
        )
        db.session.commit()
        return item.id


def bar_rows(page: str) -> dict[str, int]:
    """Label -> figure of every bar of the page's charts (tables of bars)."""
    return {
        html.unescape(label): int(n)
        for label, n in re.findall(
            r'<th scope="row">([^<]+)</th>\s*<td>.*?<span class="bar-value">(\d+)</span>',
            page,
            re.S,
        )
    }


# --- Translations ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "hub" / "translations"
PSEUDO_LOCALE = "en_001"  # a CLDR locale the hub never offers: the test-only pseudo-locale


def compile_catalogues(folder: Path = TRANSLATIONS) -> None:
    """Compile every messages.po under `folder` into its .mo (what `make i18n-compile` does),
    written beside it atomically so parallel runs never read half a file."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in folder.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalogue = read_po(source, locale=po.parent.parent.name)
        partial = mo.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as target:
            write_mo(target, catalogue)
        partial.replace(mo)


def _add_extracted(template: Any) -> None:
    """Add the messages of the sources as they are now (as `make i18n-extract` would), so
    text added since messages.pot was last extracted counts as going through gettext."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = TRANSLATIONS.parent.parent
    with (root / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "N_": None}
    keywords |= {"lazy_ngettext": (1, 2), "_lp": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2)}
    found = extract_from_dir(
        root,
        method_map,
        options_map,
        keywords=keywords,
        # The Makefile extracts from "." too; skip what holds no source of the hub.
        directory_filter=lambda path: Path(path).name not in {"node_modules", ".venv", ".git"},
    )
    for _file, _line, message, _comments, context in found:
        if message and message not in template:
            template.add(message, context=context)


def write_pseudo_catalogue(folder: Path) -> None:
    """A catalogue for PSEUDO_LOCALE in `folder` that wraps every message in ⟦…⟧: text of a
    page outside the brackets did not go through gettext."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with (TRANSLATIONS / "messages.pot").open("rb") as source:
        template = read_po(source)
    _add_extracted(template)
    pseudo = Catalog(locale=PSEUDO_LOCALE)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            forms = tuple(f"⟦{form}⟧" for form in message.id)
            strings = forms + (forms[-1],) * (pseudo.num_plurals - len(forms))
            pseudo.add(message.id, strings[: pseudo.num_plurals], context=message.context)
        else:
            pseudo.add(message.id, f"⟦{message.id}⟧", context=message.context)
    target = folder / PSEUDO_LOCALE / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with (target / "messages.mo").open("wb") as out:
        write_mo(out, pseudo)


def po_entries(language: str) -> list[Any]:
    """The messages of a language's catalogue (header left out)."""
    from babel.messages.pofile import read_po

    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return [m for m in read_po(source, locale=language) if m.id]


# --- Accounts -------------------------------------------------------------------------

NEW_PASSWORD = "correct horse battery"


def register_form(**overrides: str) -> dict[str, str]:
    """A complete, valid registration form."""
    data = {
        "email": "grace@example.org",
        "display_name": "Grace Hopper",
        "organisation": "Navy Lab",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def stored_user(app: Flask, email: str) -> User | None:
    """The account as stored, read in a context of its own (not the requests')."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def user_count(app: Flask) -> int:
    """How many accounts exist."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)) or 0


def is_logged_in(client: Any) -> bool:
    """Whether "My submissions" opens rather than sending the visitor to the login page."""
    return client.get("/my/").status_code == 200


# --- Two-factor authentication --------------------------------------------------------------


def totp_code(secret: str, at: datetime | None = None) -> str:
    """The authenticator app's code for `secret` at `at` (now by default)."""
    import pyotp

    return pyotp.TOTP(secret).at(at or datetime.now().astimezone())


def log_in_with_code(client: Any, email: str, secret: str, at: datetime | None = None) -> Any:
    """Log in through both steps (password, then the app's code); returns the last answer."""
    first = client.post("/account/login", data={"email": email, "password": PASSWORD})
    assert first.status_code == 302 and first.location.endswith("/account/login/code"), (
        first.status_code,
        first.location,
    )
    return client.post("/account/login/code", data={"code": totp_code(secret, at)})


# --- Mail through a real SMTP server (the smtp_inbox fixture) ---------------------------------


class Inbox:
    """What a real SMTP server (aiosmtpd, tests/conftest.py `smtp_inbox`) accepted, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = 0

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        """Keep the message."""
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        """Messages addressed to `address`."""
        return [m for m in self.messages if m["To"] == address]


def mail_text(message: EmailMessage) -> str:
    """The plain-text body of a mail."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()
