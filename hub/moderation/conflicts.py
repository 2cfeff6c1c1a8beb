"""Conflicts of interest: which submissions a moderator may not decide.

Their own and those they co-edit (hub/submissions/editors.py can_edit), those whose lead
organisation is the one declared on their account, and those whose owner's account declares
that organisation too (a colleague's, whatever it names as lead): compared with case, accents
and blanks folded ("Institut  Numérique" is "institut numerique"), so a spelling variant does
not slip through.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import select

from hub.auth.models import User
from hub.extensions import db
from hub.submissions.editors import can_edit
from hub.submissions.models import Submission
from hub.textfold import fold, folded

logger = logging.getLogger("hub.moderation")


def organisation_key(name: str | None) -> str:
    """An organisation's name as conflicts compare it: folded, blanks collapsed."""
    return " ".join((fold(name) or "").split())


def organisation_tie(moderator: User, submission: Submission) -> str | None:
    """How the submission belongs to the moderator's organisation: "lead" (it leads it),
    "owner" (its owner's account declares it), None (neither, or none declared)."""
    mine = organisation_key(moderator.organisation)
    if not mine:
        return None
    if organisation_key(submission.lead_organisation) == mine:
        return "lead"
    if organisation_key(submission.owner.organisation) == mine:
        return "owner"
    return None


def conflict_reason(moderator: User, submission: Submission) -> str | None:
    """Why `moderator` may not decide on `submission` (None when they may)."""
    if can_edit(moderator, submission):
        return _("This is your own submission: another moderator must decide on it.")
    tie = organisation_tie(moderator, submission)
    if tie == "lead":
        return _(
            "This submission is led by your organisation (%(organisation)s, as declared on "
            "your account): another moderator must decide on it.",
            organisation=moderator.organisation.strip(),
        )
    if tie == "owner":
        return _(
            "This submission was sent from the account of someone in your organisation "
            "(%(organisation)s, as declared on both accounts): another moderator must decide "
            "on it.",
            organisation=moderator.organisation.strip(),
        )
    return None


def same_organisation_ids(moderator: User) -> list[int]:
    """Ids of the submissions led by the moderator's organisation or owned by an account
    that declares it (for the queue's SQL, the bulk boxes and "next").

    SQL narrows the rows down with LIKE on the folded name (its words in order), Python
    keeps the exact matches among those few: blanks cannot be collapsed in portable SQL.
    """
    mine = organisation_key(moderator.organisation)
    if not mine:
        return []
    pattern = "%" + "%".join(_like_escape(word) for word in mine.split()) + "%"
    led = db.session.execute(
        select(Submission.id, Submission.lead_organisation).where(
            folded(Submission.lead_organisation).like(pattern, escape="\\")
        )
    )
    found = {row_id for row_id, name in led if organisation_key(name) == mine}
    accounts = db.session.execute(
        select(User.id, User.organisation).where(
            folded(User.organisation).like(pattern, escape="\\")
        )
    )
    colleagues = [user_id for user_id, name in accounts if organisation_key(name) == mine]
    if colleagues:
        found.update(
            db.session.scalars(select(Submission.id).where(Submission.owner_id.in_(colleagues)))
        )
    return sorted(found)


def refused_for_conflict(moderator: User, submission: Submission) -> str | None:
    """The refusal of a decision posted despite a conflict of interest (None without one).

    The review page offers no button then, so such a post is forged or stale: it is
    logged for the admins (the refused transaction itself is rolled back)."""
    if can_edit(moderator, submission):
        why, said = (
            "own or co-edited",
            _("You cannot decide on your own submission; ask another moderator."),
        )
    elif (tie := organisation_tie(moderator, submission)) == "lead":
        why, said = (
            "same organisation",
            _(
                "You cannot decide on a submission led by your own organisation; ask another "
                "moderator. Nothing was changed."
            ),
        )
    elif tie == "owner":
        why, said = (
            "same organisation, owner's account",
            _(
                "You cannot decide on a submission sent from an account of your own "
                "organisation; ask another moderator. Nothing was changed."
            ),
        )
    else:
        return None
    logger.warning(
        "decision refused (conflict of interest, %s): submission=%s by=%s",
        why,
        submission.id,
        moderator.email,
    )
    return said


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
