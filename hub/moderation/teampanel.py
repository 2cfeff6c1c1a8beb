"""What the review page's team panel shows (templates/moderation/_team.html): the item's
holder and the forms to change it, and the internal notes unless they are hidden from the
reader (the owner or a co-editor of the item)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from hub.moderation import team
from hub.moderation.forms import HoldForm, NoteForm
from hub.submissions.editors import can_edit
from hub.submissions.models import Submission


def team_panel(submission: Submission, note_form: NoteForm | None = None) -> dict[str, Any]:
    """The panel's values, as keyword arguments of the review page's template."""
    hidden = team.notes_hidden(submission, current_user)
    current = team.holder(submission)
    hold_form = HoldForm(formdata=None, holder=str(current.moderator_id) if current else "")
    # Those who could decide it: not its holder already, nor its owner or a co-editor.
    colleagues = [
        m
        for m in team.active_moderators()
        if not (current and m.id == current.moderator_id) and not can_edit(m, submission)
    ]
    hold_form.moderator.choices = [(str(m.id), m.display_name) for m in colleagues]
    return {
        "notes": None if hidden else team.notes(submission),
        "note_form": note_form or NoteForm(formdata=None, prefix="note"),
        "holder": current,
        "hold_form": hold_form,
        "can_hold": team.holds(submission),
    }
