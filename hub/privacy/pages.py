"""Page builders of the privacy notice, the data export and the account deletion."""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app, render_template

from hub.auth.parking import PARK_HOURS
from hub.privacy.forms import DeleteAccountForm, choice_name, choices_for
from hub.public.contact.models import HOLD_HOURS
from hub.submissions.models import Submission
from hub.templating import Page


def privacy_page() -> Page:
    """The privacy notice; the data controller from HUB_DATA_CONTROLLER (a placeholder and
    a warning for the operator while it is unset)."""
    controller = (current_app.config.get("HUB_DATA_CONTROLLER") or "").strip()
    return render_template(
        "privacy/notice.html",
        controller=controller,
        park_hours=PARK_HOURS,
        contact_hours=HOLD_HOURS,
    )


def export_page(counts: dict[str, int]) -> Page:
    """What "Download my data" holds, with the button that downloads it."""
    return render_template("privacy/export.html", counts=counts)


def delete_page(
    form: DeleteAccountForm,
    choose: Sequence[Submission],
    summary: dict[str, int],
    *,
    last_admin: bool = False,
    notice: str | None = None,
    status: int = 200,
) -> Page:
    """The deletion form: what happens to what, a choice per submission, the password."""
    html = render_template(
        "privacy/delete.html",
        form=form,
        choose=[(s, form[choice_name(s)], choices_for(s)) for s in choose],
        summary=summary,
        last_admin=last_admin,
        notice=notice,
    )
    return html, status
