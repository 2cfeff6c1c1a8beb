"""What every form shares: control-character cleaning and the base class."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, g, has_request_context, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.exceptions import UnsupportedMediaType
from wtforms import PasswordField, StringField, TextAreaField

# C0/C1 control characters other than tab and newline, and NUL: invisible, break PostgreSQL
# (NUL) and arrive by copy-paste from word processors. Removed rather than refused, because
# the user cannot see them to fix them.
# Unicode noncharacters (U+FFFE, U+FFFF …) go too: they are not allowed in XML (the Atom feed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\s*[\n\u2028\u2029]+\s*")


def clean_text(value: Any) -> Any:
    """Strip control characters, normalise newlines and trim surrounding blanks."""
    if not isinstance(value, str):
        return value
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def one_line(value: Any) -> Any:
    """Join the lines of a single-line field (a title pasted with a line break)."""
    return _LINE_BREAKS.sub(" ", value) if isinstance(value, str) else value


# What the hub's pages post. Flask-WTF would also read a JSON body as form data, where values
# may be numbers, lists or objects that no field expects.
FORM_MIMETYPES = ("", "application/x-www-form-urlencoded", "multipart/form-data")


def init_app(app: Flask) -> None:
    """Refuse posts to the pages that are not forms (the API has its own answers)."""

    @app.before_request
    def forms_only() -> None:
        if (
            request.method in ("POST", "PUT", "PATCH", "DELETE")
            and not request.path.startswith("/api/")
            and request.mimetype not in FORM_MIMETYPES
        ):
            raise UnsupportedMediaType()  # the 415 page says what to do


class HubForm(FlaskForm):
    """Base form: every text input is cleaned before validation."""

    class Meta(FlaskForm.Meta):
        """Attach clean_text to every field; read posts as form data only."""

        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            """The posted form, even when empty: a post with no fields is validated as a
            form left blank (clear errors), not as a form never sent (lists left None)."""
            if formdata is _Auto:
                if not _is_submitted():
                    return None
                unexpected = tuple(sorted(set(request.files) - set(form.FILE_FIELDS)))
                if unexpected:
                    # A file part where the form expects text reached the text fields'
                    # validators as a FileStorage (a 500); now only the text parts are read,
                    # and the post is refused as a whole (HubForm.validate, a 400).
                    form.file_parts = g.hub_file_parts = unexpected
                elif request.files:  # only the form's own file fields (a logo)
                    return CombinedMultiDict((request.files, request.form))
                return request.form
            return formdata

        def bind_field(self, form: Any, unbound_field: Any, options: dict) -> Any:
            """Prepend the cleaning filter to the field's own filters (passwords stay as typed)."""
            if unbound_field.field_class is PasswordField:
                return unbound_field.bind(form=form, **options)
            # Pass the filters to this binding only: writing them into unbound_field.kwargs
            # (shared by every instance of the form class) added one more clean_text per
            # form ever built.
            cleaning = [clean_text]
            if issubclass(unbound_field.field_class, StringField) and not issubclass(
                unbound_field.field_class, TextAreaField
            ):
                cleaning.append(one_line)
            filters = [*cleaning, *unbound_field.kwargs.get("filters", [])]
            return unbound_field.bind(form=form, **{**options, "filters": filters})

    # The names of the file parts of the post the form does not expect (none for an
    # ordinary post), and the fields that take a file (none but the submission's logo).
    file_parts: tuple[str, ...] = ()
    FILE_FIELDS: tuple[str, ...] = ()

    def validate(self, extra_validators: Any = None) -> bool:
        """Validate the fields; a post with a file part is refused whatever they hold."""
        valid = super().validate(extra_validators)
        return valid and not self.file_parts


def csrf_failed(form: FlaskForm) -> bool:
    """Whether a validated form's post is refused as a whole, with what was typed shown
    again (a 400, not the bare error page): its CSRF token was missing, forged or expired,
    or it carried a file where the form expects text."""
    return bool(form.meta.csrf and form.csrf_token.errors) or bool(getattr(form, "file_parts", ()))


def _file_notice(names: tuple[str, ...], password: bool) -> str:
    """What a form posted with file parts says above what was typed."""
    if password:
        return _(
            "This form was sent with a file (%(names)s) where it expects text; the hub's forms "
            "accept no files, so nothing was done. What you typed is below, except the "
            "password: type it again and press the button.",
            names=", ".join(names),
        )
    return _(
        "This form was sent with a file (%(names)s) where it expects text; the hub's forms "
        "accept no files, so nothing was done. What you typed is below: check it and press "
        "the button again.",
        names=", ".join(names),
    )


def expired_form_notice(password: bool = False) -> str:
    """What a form posted with a missing or expired CSRF token (or with a file part) says
    above what was typed (every form re-shows the text instead of the bare error page)."""
    if has_request_context() and g.get("hub_file_parts"):
        return _file_notice(g.hub_file_parts, password)
    if password:
        return _(
            "This form had expired: its security token was missing or expired (the page was "
            "open a long time, or the browser restored it), so nothing was done. What you "
            "typed is below, except the password: type it again and press the button."
        )
    return _(
        "This form had expired: its security token was missing or expired (the page was "
        "open a long time, or the browser restored it), so nothing was done. What you "
        "typed is below: check it and press the button again."
    )
