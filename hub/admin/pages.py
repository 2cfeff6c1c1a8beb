"""Page builders of the admin views."""

from __future__ import annotations

from flask import render_template

from hub.admin.forms import ROLE_LABELS, ActiveForm, RoleForm
from hub.admin.queries import AccountPage
from hub.auth.models import User
from hub.templating import Page


def accounts_page(found: AccountPage, text: str) -> Page:
    """The accounts that match a search, one page of them."""
    return render_template("admin/accounts.html", found=found, q=text, role_labels=ROLE_LABELS)


def account_page(
    user: User,
    role_form: RoleForm | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Page:
    """One account: its role, whether it may log in, and the forms that change both."""
    if role_form is None:
        role_form = RoleForm(role=user.role.value)
    return render_template(
        "admin/account.html",
        user=user,
        role_form=role_form,
        active_form=ActiveForm(action="reactivate" if user.deactivated_at else "deactivate"),
        problem=problem,
        role_labels=ROLE_LABELS,
    ), status
