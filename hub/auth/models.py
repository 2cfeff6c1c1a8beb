"""Accounts."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, Boolean, CheckConstraint, Enum, ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column

from hub.extensions import Base, UTCDateTime, utcnow

EMAIL_MAX = 254
USER_AGENT_MAX = 200
NAME_MAX = 120
ORGANISATION_MAX = 200
TOTP_SECRET_MAX = 64


class Role(enum.StrEnum):
    """What an account may do."""

    SUBMITTER = "submitter"
    MODERATOR = "moderator"
    ADMIN = "admin"


class User(UserMixin, Base):
    """A person who submits, moderates or administers."""

    __tablename__ = "users"
    # `session_token` below is per request, not a column.
    __allow_unmapped__ = True
    __table_args__ = (
        # Stored lower-cased so uniqueness is case-insensitive on every backend.
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint(f"length(email) <= {EMAIL_MAX}", name="email_length"),
        CheckConstraint(f"length(display_name) BETWEEN 1 AND {NAME_MAX}", name="name_length"),
        CheckConstraint(f"length(organisation) <= {ORGANISATION_MAX}", name="org_length"),
        # Two-factor authentication is on only with a secret to check codes against.
        CheckConstraint(
            "totp_enabled_at IS NULL OR totp_secret IS NOT NULL", name="totp_enabled_has_secret"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    display_name: Mapped[str] = mapped_column(String(NAME_MAX))
    organisation: Mapped[str] = mapped_column(String(ORGANISATION_MAX), default="")
    role: Mapped[Role] = mapped_column(
        Enum(
            Role,
            name="user_role",
            native_enum=False,
            create_constraint=True,
            values_callable=lambda e: [m.value for m in e],
            length=20,
        ),
        default=Role.SUBMITTER,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The language the account chose (hub.i18n.LANGUAGES): its pages and e-mails use it.
    language: Mapped[str | None] = mapped_column(String(8))
    # None until the owner follows the link mailed at registration.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Optional mails (the account page): reminders before the cutoff, and for moderators the
    # digest of items waiting for review. Receipts, decisions and account mails always go.
    notify_reminders: Mapped[bool] = mapped_column(Boolean, server_default=true())
    notify_digest: Mapped[bool] = mapped_column(Boolean, server_default=true())
    # Set when the owner deleted the account (hub/privacy/deletion.py): the row stays, scrubbed
    # of personal data under a pseudonym, so submissions kept public and the audit trail still
    # name an account; it can never log in again.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set by an admin: the account cannot log in and its login sessions have ended.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Two-factor authentication (hub/auth/twofactor.py): the TOTP secret (base32), set at
    # enrolment and confirmed by a first code (then `totp_enabled_at` is set), and the time
    # step of the last code accepted, so a code is never accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(TOTP_SECRET_MAX))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    # The login session this request runs in (hub/auth/sessions.py): set at login and by the
    # user loader, never stored.
    session_token: str | None = None

    def get_id(self) -> str:
        """What Flask-Login keeps in the cookie: the account and its login session."""
        if self.session_token is None:
            raise RuntimeError(f"{self!r} has no login session: start one before login_user()")
        return f"{self.id}:{self.session_token}"

    @property
    def is_confirmed(self) -> bool:
        """Whether the owner opened a link mailed to the address (needed to submit)."""
        return self.email_confirmed_at is not None

    @property
    def is_active(self) -> bool:
        """Flask-Login's check: a deactivated or deleted account cannot log in."""
        return self.deactivated_at is None and self.deleted_at is None

    @property
    def has_two_factor(self) -> bool:
        """Whether logging in asks for a code after the password."""
        return self.totp_enabled_at is not None

    @property
    def is_moderator(self) -> bool:
        """Moderators and admins review submissions."""
        return self.role in (Role.MODERATOR, Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class UserSession(Base):
    """One login of one account in one browser: the cookie names it, logout ends it.

    The cookie holds a random token; only its SHA-256 is stored, so a copy of this table
    logs nobody in.
    """

    __tablename__ = "user_sessions"
    __table_args__ = (
        CheckConstraint(f"length(user_agent) <= {USER_AGENT_MAX}", name="user_agent_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(USER_AGENT_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RecoveryCode(Base):
    """One of the ten one-time codes that stand in for the authenticator app once.

    Only a SHA-256 of each code is stored: the codes are random (50 bits), so no slow hash is
    needed, and a copy of this table logs nobody in.
    """

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
