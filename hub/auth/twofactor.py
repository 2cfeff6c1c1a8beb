"""Two-factor authentication with TOTP (RFC 6238): enrolment, codes, one-time recovery codes,
the half-logged-in step between password and code, and the rule for staff (HUB_STAFF_2FA).

State changes here flush and audit; the view commits.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta

import pyotp
import segno
from flask import current_app, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import delete, func, or_, select, update
from werkzeug.wrappers import Response

from hub.audit import record
from hub.audit.models import Action
from hub.auth import mails
from hub.auth.models import RecoveryCode, User
from hub.clock import clock
from hub.extensions import db
from hub.ratelimit import PENDING_KEY

logger = logging.getLogger("hub.auth")

ISSUER = "Partnerships Hub"
STEP_SECONDS = 30
# Codes of the step before and after are accepted too: phones' clocks drift.
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# Recovery codes are written as "abcde-fghij": 10 characters of a 32-letter alphabet
# (50 bits) without 0/o and 1/l, which people misread when they copy them from paper.
_RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
# How long the password step waits for its code before it must be done again.
PENDING_MINUTES = 10


def _normalise(code: str) -> str:
    """What people type, without the blanks and dashes they copy along."""
    return "".join(c for c in code.lower() if c.isalnum())


# --- Enrolment and codes -------------------------------------------------------------------


def start_enrolment(user: User) -> str:
    """Give the account a new secret, not yet in force: the first correct code turns it on."""
    if user.has_two_factor:
        raise ValueError(f"{user!r} has two-factor authentication already")
    user.totp_secret = pyotp.random_base32()  # 32 letters, 160 bits
    user.totp_last_step = None
    db.session.flush()
    logger.info("Two-factor enrolment started by %s", user.email)
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    """The otpauth:// address the QR code holds (what authenticator apps read)."""
    assert user.totp_secret is not None
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(user: User, title: str) -> Markup:
    """The QR code of the secret as inline SVG, drawn here (segno): nothing leaves the hub."""
    svg = segno.make(provisioning_uri(user), error="m").svg_inline(
        scale=5, border=4, title=title, svgclass="qr-code", lineclass=None
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704 (segno's own output)


def _current_step() -> int:
    return int(clock().now().timestamp()) // STEP_SECONDS


def _matching_step(secret: str, code: str) -> int | None:
    """The time step whose code this is (now, or one step either side), or None."""
    code = _normalise(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = _current_step()
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def check_code(user: User, code: str) -> bool:
    """Whether `code` is the app's code for now, used for the first time.

    The step of an accepted code is stored in the same guarded statement that checks it is
    newer than the last one, so a code (or an older one) is never accepted twice, even by two
    requests at the same moment.
    """
    if user.totp_secret is None:
        return False
    step = _matching_step(user.totp_secret, code)
    if step is None:
        return False
    done = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        logger.info("A used two-factor code was refused for %s", user.email)
        return False
    user.totp_last_step = step
    return True


def _code_hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _new_recovery_code() -> str:
    letters = "".join(secrets.choice(_RECOVERY_ALPHABET) for _i in range(10))
    return f"{letters[:5]}-{letters[5:]}"


def new_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes by ten new ones; only their hashes are kept."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _i in range(RECOVERY_CODE_COUNT)]
    now = clock().now()
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_code_hash(c), created_at=now) for c in codes
    )
    db.session.flush()
    return codes


def recovery_codes_left(user: User) -> int:
    """How many recovery codes of the account are still unused."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one recovery code; False if it is not one of the account's unused codes."""
    if len(_normalise(code)) != 10:
        return False
    done = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _code_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=clock().now())
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return False
    left = recovery_codes_left(user)
    record(
        Action.RECOVERY_CODE_USED,
        user,
        subject_user=user,
        message=f"Logged in with a recovery code; {left} left.",
    )
    db.session.flush()
    return True


def check_second_factor(user: User, code: str) -> bool:
    """A code of the app or, failing that, an unused recovery code."""
    if not user.has_two_factor:
        return False
    return check_code(user, code) or use_recovery_code(user, code)


def enable(user: User, code: str) -> list[str] | None:
    """Turn two-factor on with the first code of the new secret; the recovery codes to show
    once, or None when the code is wrong."""
    if user.has_two_factor or not check_code(user, code):
        return None
    user.totp_enabled_at = clock().now()
    codes = new_recovery_codes(user)
    record(Action.TWO_FACTOR_ENABLED, user, subject_user=user)
    mails.two_factor_changed(user, enabled=True)
    db.session.flush()
    return codes


def disable(user: User) -> None:
    """Turn two-factor off: the secret and the recovery codes are deleted."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record(Action.TWO_FACTOR_DISABLED, user, subject_user=user)
    mails.two_factor_changed(user, enabled=False)
    db.session.flush()


def renew_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    codes = new_recovery_codes(user)
    record(Action.RECOVERY_CODES_RENEWED, user, subject_user=user)
    db.session.flush()
    return codes


# --- Between the password and the code -----------------------------------------------------


def remember_password_step(user: User, next_path: str) -> None:
    """The password was right: note (in the signed session cookie) whose code to ask for.

    Nobody is logged in by this: Flask-Login knows no account until the code is right.
    """
    session.pop(PENDING_KEY, None)
    session[PENDING_KEY] = {
        "user": user.id,
        "since": clock().now().isoformat(),
        "next": next_path,
    }


def pending_login() -> tuple[User, str] | None:
    """The account that gave its password in this browser within PENDING_MINUTES, and where
    it was going; None when there is none (or it was deactivated meanwhile)."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    try:
        since = datetime.fromisoformat(str(pending["since"]))
        user = db.session.get(User, int(pending["user"]))
    except (KeyError, TypeError, ValueError):
        return None
    if clock().now() - since > timedelta(minutes=PENDING_MINUTES):
        session.pop(PENDING_KEY, None)
        return None
    if user is None or not user.is_active or not user.has_two_factor:
        return None
    return user, str(pending.get("next") or "")


# --- The rule for staff --------------------------------------------------------------------


def staff_must_enrol(user: User) -> bool:
    """Whether HUB_STAFF_2FA=required keeps this moderator or admin out until enrolled."""
    return (
        current_app.config["HUB_STAFF_2FA"] == "required"
        and user.is_authenticated
        and user.is_moderator
        and not user.has_two_factor
    )


def staff_gate() -> Response | None:
    """Before every view of the moderation and admin areas: staff without a second factor
    are sent to enrolment when the setting requires one (posts and downloads included)."""
    if not staff_must_enrol(current_user):
        return None
    flash(
        _(
            "Moderators and administrators must use two-factor authentication on this hub. "
            "Set it up below; then the moderation pages open again."
        ),
        "info",
    )
    return redirect(url_for("auth.two_factor"), 303)
