"""The admin page of the call: its texts in one language at a time."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hub.admin.call import FIELDS, call_text, load_call
from hub.admin.calledit import save_call
from hub.admin.callforms import CallForm
from hub.auth.models import User
from hub.extensions import db
from hub.i18n import LANGUAGES
from hub.templating import Page


def _language() -> str:
    """The language being edited (?language=fr); English when missing or unknown."""
    code = request.args.get("language", "en")
    return code if code in LANGUAGES else "en"


def _page(form: CallForm, language: str, status: int = 200) -> Page:
    """The form of one language, with the English texts that stand in for empty fields."""
    english = load_call("en")
    return render_template(
        "admin/call.html",
        form=form,
        fields=FIELDS,
        language=language,
        english=english,
        saved=call_text(language),
    ), status


def call() -> Page:
    """Show (GET) or save (POST) the call's texts in one language; other languages stay."""
    language = _language()
    form = CallForm()
    if request.method == "GET":
        form.fill(call_text(language))
        return _page(form, language)
    # A post without its CSRF token never gets here: hub.extensions.csrf refuses it (400).
    if not form.validate_on_submit():
        return _page(form, language, 422)
    actor = db.session.get(User, current_user.id)
    assert actor is not None  # the gate let a logged-in admin in
    changed = save_call(language, form.values(), actor)
    db.session.commit()  # the public pages' cache keys on the call's version: fresh at once
    flash(
        _("The call is saved in %(language)s.", language=LANGUAGES[language])
        if changed
        else _("Nothing changed."),
        "success",
    )
    return redirect(url_for(".call", language=language), 303)
