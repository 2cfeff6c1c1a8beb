"""Every model, imported so Base.metadata knows all tables (Alembic, tests)."""

from hub.auth.models import Role, User
from hub.extensions import Base
from hub.submissions.models import Status, Submission

__all__ = ["Base", "Role", "Status", "Submission", "User"]
