"""What the admin pages read: accounts, searched and paged."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from hub.auth.models import User
from hub.extensions import db
from hub.textfold import fold, folded

PAGE_SIZE = 50


@dataclass(frozen=True)
class AccountPage:
    """One page of the accounts that match a search."""

    accounts: list[User]
    total: int
    page: int

    @property
    def pages(self) -> int:
        """How many pages the matches fill (at least one)."""
        return max(1, -(-self.total // PAGE_SIZE))


def _like(text: str) -> str:
    """A LIKE pattern that finds `text` anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{fold(escaped)}%"


def search_accounts(text: str, page: int) -> AccountPage:
    """Accounts whose e-mail, name or organisation contains `text`, by e-mail; case and
    accents are ignored alike on SQLite and PostgreSQL (hub.textfold)."""
    stmt = select(User)
    if text:
        pattern = _like(text)
        stmt = stmt.where(
            or_(
                folded(User.email).like(pattern, escape="\\"),
                folded(User.display_name).like(pattern, escape="\\"),
                folded(User.organisation).like(pattern, escape="\\"),
            )
        )
    total = int(db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    last = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), last)
    accounts = db.session.scalars(
        stmt.order_by(User.email).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return AccountPage(list(accounts), total, page)
