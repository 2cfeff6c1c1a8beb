"""The field types of the submission forms: multiple choices, dates, web addresses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, Field, SelectMultipleField
from wtforms.validators import Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from hub.submissions.models import LIMITS

try:  # WTForms 3.3 deprecates (value, label) tuples as choices in favour of SelectChoice.
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - WTForms < 3.3 takes the tuples
    SelectChoice = None


def options(pairs: Any) -> list[Any]:
    """(value, label) pairs as the choices this WTForms version expects."""
    pairs = list(pairs)
    if SelectChoice is None:  # pragma: no cover
        return pairs
    return [SelectChoice(value, label) for value, label in pairs]


class ChoicesField(SelectMultipleField):
    """A multiple choice: duplicates are dropped (a browser never sends them) and a post
    with more values than there are choices is refused before each value is looked up."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Keep each value once, in the order sent."""
        super().process_formdata(list(dict.fromkeys(valuelist)))

    def pre_validate(self, form: Any) -> None:
        """Refuse more values than choices, then unknown values."""
        most = len(self.choices or ())
        if not self.process_errors and self.data and len(self.data) > most:
            raise ValidationError(_("Choose at most %(num)d.", num=most))
        super().pre_validate(form)


class CheckboxesField(ChoicesField):
    """A short multiple choice shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


Options = list[tuple[str, str]]


class GroupedCheckboxesField(CheckboxesField):
    """A long multiple choice (countries) shown as checkboxes: the `top` options first, then
    folding groups; the form macro renders it from `top` and `groups` ((heading, options)
    pairs, from a function: the names are in the language of the page that shows the form),
    each option a (value, label) pair."""

    def __init__(
        self,
        *args: Any,
        top: Options,
        groups: Callable[[], list[tuple[str, Options]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.top, self._groups = top, groups

    @property
    def groups(self) -> list[tuple[str, Options]]:
        """The groups in the page's language."""
        return self._groups()


DATE_MESSAGE = "Not a valid date. Write it as year-month-day, for example 2026-09-01."


class HubDateField(DateField):
    """A date. The browser's date picker needs no format hint, but a value it could not
    read comes back as text (see the form macro): then the error says how to write it."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the date, or fail with DATE_MESSAGE."""
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(DATE_MESSAGE) from exc


def limit(name: str) -> Length:
    """The model's length limit of a text field, with the message the forms show."""
    return Length(max=LIMITS[name], message=_l("Use at most %(num)d characters.", num=LIMITS[name]))


def http_url(_form: Any, field: Field) -> None:
    """Accept only absolute http(s) addresses with a host."""
    if not field.data:
        return
    message = _("Enter a full web address starting with https:// or http://.")
    try:
        parts = urlsplit(field.data)
    except ValueError as exc:  # e.g. "http://[::1": an unclosed IPv6 bracket
        raise ValidationError(message) from exc
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in field.data:
        raise ValidationError(message)
