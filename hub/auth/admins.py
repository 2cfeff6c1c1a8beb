"""Who counts as an administrator when the hub must keep one.

One rule for every "last admin" check (an admin demoting or deactivating an account, a person
deleting their own account): only active admins count, not a deactivated or deleted account,
since neither can log in to grant roles.
"""

from __future__ import annotations

from sqlalchemy import select

from hub.auth.models import Role, User
from hub.extensions import db


def active_admin_ids(*, lock: bool = False) -> list[int]:
    """The ids of the admins who can log in; with `lock`, their rows stay locked until the
    transaction ends (SELECT … FOR UPDATE on PostgreSQL; on SQLite a writing request holds
    the write lock already), so two changes at the same instant cannot both pass the check."""
    stmt = (
        select(User.id)
        .where(User.role == Role.ADMIN, User.deactivated_at.is_(None), User.deleted_at.is_(None))
        .order_by(User.id)
    )
    return list(db.session.scalars(stmt.with_for_update() if lock else stmt))


def is_last_active_admin(user: User, *, lock: bool = False) -> bool:
    """Whether `user` is the hub's only active admin (an account that is not one is not)."""
    return active_admin_ids(lock=lock) == [user.id]
