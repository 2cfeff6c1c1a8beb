"""The link in every reminder that turns reminders off, without logging in.

GET shows one button (mail scanners follow links, so opening changes nothing); POST turns
them off. Mail programs that offer "unsubscribe" post `List-Unsubscribe=One-Click` to the
same address (RFC 8058) with no cookie and no CSRF token: the signed link is the authority,
which is why this one endpoint is exempt from CSRF (it can only turn an optional mail off).
"""

from __future__ import annotations

from flask import request

from hub.auth import pages
from hub.auth.credentials import stop_reminders
from hub.auth.tokens import TokenProblem, read_stop_reminders_token
from hub.extensions import csrf, db
from hub.templating import Page


@csrf.exempt
def stop(token: str) -> Page:
    """Turn the reminders of the account the link names off (GET asks, POST does it)."""
    found = read_stop_reminders_token(token)
    if isinstance(found, TokenProblem):
        return pages.token_problem_page(found, "stop")
    if request.method == "GET":
        return pages.stop_reminders_page(token, found, stopped=not found.notify_reminders)
    stop_reminders(found)
    db.session.commit()
    return pages.stop_reminders_page(token, found, stopped=True)
