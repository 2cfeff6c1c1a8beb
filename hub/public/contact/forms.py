"""The form that writes to a submission's contact, and the button that confirms a message."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from hub.auth.models import EMAIL_MAX, NAME_MAX
from hub.forms import HubForm
from hub.public.contact.models import MESSAGE_MAX

REQUIRED = _l("This field is required.")
# Links are what spam through a contact form carries: none are relayed (people who want one
# can ask for it in their reply).
_LINK = re.compile(r"(?i)(?:\b(?:https?|ftp)://|\bwww\.|<a\s|\[url)")
MESSAGE_MIN = 20


def no_links(_form: object, field: TextAreaField) -> None:
    """Refuse a message with a web address in it."""
    if _LINK.search(field.data or ""):
        raise ValidationError(
            _l(
                "Leave out web addresses (links): the hub relays no links. The people behind "
                "this submission can ask for one in their reply."
            )
        )


# Declared here, in the order they are shown (WTForms orders fields, and the error summary
# lists them, by creation): a visitor's name and address come before the message.
_NAME = StringField(
    _l("Your name"), validators=[DataRequired(message=REQUIRED), Length(max=NAME_MAX)]
)
_EMAIL = EmailField(
    _l("Your e-mail address"),
    validators=[
        DataRequired(message=REQUIRED),
        Length(max=EMAIL_MAX),
        Email(message=_l("Enter a valid e-mail address.")),
    ],
    description=_l(
        "We send a link to this address: your message goes out only when you follow it."
    ),
)


class ContactForm(HubForm):
    """A message from a logged-in account with a confirmed address (its name and address
    are the account's)."""

    message = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(message=REQUIRED),
            Length(
                min=MESSAGE_MIN,
                max=MESSAGE_MAX,
                message=_l("Write between %(min)d and %(max)d characters."),
            ),
            no_links,
        ],
        description=_l("Plain text, no links. They receive it by e-mail and may reply to you."),
    )
    # The honeypot: hidden from people (and screen readers) by the stylesheet, filled by
    # bots that fill every field. A post that fills it is answered as sent, and nothing is.
    website = StringField(_l("Leave this field empty"), render_kw={"autocomplete": "off"})


class VisitorContactForm(ContactForm):
    """A message from someone without a confirmed account: who they are and where to reply."""

    name = _NAME
    email = _EMAIL


class ConfirmForm(HubForm):
    """The "Send my message" button of a confirmation link (a post: mail scanners open
    links, and must not send anything)."""
