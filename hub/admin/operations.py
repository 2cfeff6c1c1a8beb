"""Admins' changes to accounts: they flush and audit, the view commits.

"The last active admin stays an active admin" is checked under a lock: the rows of the active
admins are locked (SELECT … FOR UPDATE on PostgreSQL; on SQLite every writing request holds
the write lock from its first statement), so two admins demoting each other at the same
instant cannot both succeed and leave the hub without one.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _

from hub.audit import record
from hub.audit.models import Action
from hub.auth.admins import is_last_active_admin
from hub.auth.models import Role, User
from hub.auth.operations import end_sessions
from hub.clock import clock
from hub.extensions import db

logger = logging.getLogger("hub.admin")


class Refused(ValueError):
    """A change an admin cannot make; the message says why, for the page."""


class LastAdmin(Refused):
    """The change would leave the hub without an active admin."""


class DeletedAccount(Refused):
    """The account was deleted by its owner: its row stays only as a pseudonym (for the
    audit trail and what was kept public), and nobody can bring it back or give it a role."""


def _refuse_deleted(user: User) -> None:
    if user.deleted_at is not None:
        raise DeletedAccount(
            _(
                "This account was deleted by its owner: it can never log in again, and its "
                "role cannot change."
            )
        )


def _guard_last_admin(user: User) -> None:
    """Refuse if `user` is the only active admin (read after taking the lock, and the
    account re-read, so a change committed meanwhile by another admin counts)."""
    last = is_last_active_admin(user, lock=True)
    db.session.refresh(user)
    if last:
        raise LastAdmin(
            _(
                "%(email)s is the last active administrator: make another account an "
                "administrator first, so that someone can still manage the hub.",
                email=user.email,
            )
        )


def change_role(user: User, role: Role, actor: User) -> bool:
    """Give the account `role`; False if it had it already. Raises LastAdmin, or
    DeletedAccount for a deleted account."""
    _refuse_deleted(user)
    if user.role is Role.ADMIN and role is not Role.ADMIN:
        _guard_last_admin(user)
    if user.role is role:
        return False
    before = user.role
    user.role = role
    record(
        Action.ROLE_CHANGED,
        actor,
        subject_user=user,
        from_status=before.value,
        to_status=role.value,
    )
    db.session.flush()
    return True


def deactivate(user: User, actor: User) -> bool:
    """Stop the account from logging in and end its login sessions; its submissions stay.
    False if it was deactivated already. Raises LastAdmin, or DeletedAccount."""
    _refuse_deleted(user)
    if user.role is Role.ADMIN:
        _guard_last_admin(user)
    if user.deactivated_at is not None:
        return False
    user.deactivated_at = clock().now()
    ended = end_sessions(user)
    record(
        Action.ACCOUNT_DEACTIVATED,
        actor,
        subject_user=user,
        from_status="active",
        to_status="deactivated",
        message=f"{ended} login session{'' if ended == 1 else 's'} ended.",
    )
    db.session.flush()
    return True


def reactivate(user: User, actor: User) -> bool:
    """Let a deactivated account log in again; False if it was active. Raises
    DeletedAccount: a deleted account stays deleted."""
    _refuse_deleted(user)
    if user.deactivated_at is None:
        return False
    user.deactivated_at = None
    record(
        Action.ACCOUNT_REACTIVATED,
        actor,
        subject_user=user,
        from_status="deactivated",
        to_status="active",
    )
    db.session.flush()
    return True
