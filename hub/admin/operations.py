"""Admins' changes to accounts: they flush and audit, the view commits.

"The last active admin stays an active admin" is checked under a lock: the rows of the active
admins are locked (SELECT … FOR UPDATE on PostgreSQL; on SQLite every writing request holds
the write lock from its first statement), so two admins demoting each other at the same
instant cannot both succeed and leave the hub without one.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import select

from hub.audit import record
from hub.audit.models import Action
from hub.auth.models import Role, User
from hub.auth.operations import end_sessions
from hub.clock import clock
from hub.extensions import db

logger = logging.getLogger("hub.admin")


class LastAdmin(ValueError):
    """The change would leave the hub without an active admin."""


def _lock_active_admins() -> list[int]:
    """The ids of the active admins, their rows locked until the transaction ends."""
    return list(
        db.session.scalars(
            select(User.id)
            .where(User.role == Role.ADMIN, User.deactivated_at.is_(None))
            .order_by(User.id)
            .with_for_update()
        )
    )


def _guard_last_admin(user: User) -> None:
    """Refuse if `user` is the only active admin (read after taking the lock, and the
    account re-read, so a change committed meanwhile by another admin counts)."""
    admins = _lock_active_admins()
    db.session.refresh(user)
    if admins == [user.id]:
        raise LastAdmin(
            _(
                "%(email)s is the last active administrator: make another account an "
                "administrator first, so that someone can still manage the hub.",
                email=user.email,
            )
        )


def change_role(user: User, role: Role, actor: User) -> bool:
    """Give the account `role`; False if it had it already. Raises LastAdmin."""
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
    False if it was deactivated already. Raises LastAdmin."""
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
    """Let a deactivated account log in again; False if it was active."""
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
