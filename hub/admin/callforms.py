"""The admin form of the call's texts in one language (every field optional: empty means
"show the English text")."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, Field, StringField, TextAreaField
from wtforms.validators import Email, Length, Optional, ValidationError

from hub.admin.call import FIELDS, CallField, CallText, parse_documents
from hub.forms import HubForm

MARKDOWN_HELP = _l(
    "Markdown: **bold**, *italics*, lists with -, links as [title](https://…). HTML is shown "
    "as typed, never run."
)


def _documents_ok(form: HubForm, field: Field) -> None:
    """Each document's address must be absolute http(s) (a reader follows it as is)."""
    for title, url in parse_documents(field.data or ""):
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
            raise ValidationError(
                _("“%(title)s”: the address must start with https:// or http://.", title=title)
            )


def _field(spec: CallField) -> Any:
    """The WTForms field of one of the call's fields."""
    length = Length(max=spec.limit, message=_l("Use at most %(num)d characters.", num=spec.limit))
    if spec.kind == "email":
        return EmailField(
            spec.label,
            validators=[Optional(), length, Email(message=_l("Enter a valid e-mail address."))],
        )
    if spec.kind == "line":
        return StringField(spec.label, validators=[length], description=spec.help)
    validators: list[Any] = [length]
    if spec.kind == "documents":
        validators.append(_documents_ok)
    return TextAreaField(spec.label, validators=validators, description=spec.help or MARKDOWN_HELP)


class CallForm(HubForm):
    """The call's texts in one language."""

    def fill(self, row: CallText | None) -> None:
        """Show the saved texts of this language (a new form of an unsaved one is empty)."""
        for spec in FIELDS:
            self[spec.name].data = getattr(row, spec.name, "") if row is not None else ""

    def values(self) -> dict[str, str]:
        """What was typed, field by field (empty strings for empty fields)."""
        return {spec.name: (self[spec.name].data or "") for spec in FIELDS}


for _spec in FIELDS:
    setattr(CallForm, _spec.name, _field(_spec))
