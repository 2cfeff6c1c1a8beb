"""What every form shares: control-character cleaning and the base class."""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm
from wtforms import PasswordField

# C0/C1 control characters other than tab and newline, and NUL: invisible, break PostgreSQL
# (NUL) and arrive by copy-paste from word processors. Removed rather than refused, because
# the user cannot see them to fix them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: Any) -> Any:
    """Strip control characters, normalise newlines and trim surrounding blanks."""
    if not isinstance(value, str):
        return value
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


class HubForm(FlaskForm):
    """Base form: every text input is cleaned before validation."""

    class Meta:
        """Attach clean_text to every field."""

        def bind_field(self, form: Any, unbound_field: Any, options: dict) -> Any:
            """Prepend the cleaning filter to the field's own filters (passwords stay as typed)."""
            if unbound_field.field_class is PasswordField:
                return unbound_field.bind(form=form, **options)
            # Pass the filters to this binding only: writing them into unbound_field.kwargs
            # (shared by every instance of the form class) added one more clean_text per
            # form ever built.
            filters = [clean_text, *unbound_field.kwargs.get("filters", [])]
            return unbound_field.bind(form=form, **{**options, "filters": filters})
