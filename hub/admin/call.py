"""The call people answer: its texts, one row per interface language, kept by admins.

Another call (the next assembly) means editing these rows on /admin/call, not the templates.
A field left empty in a language shows the English text (marked lang="en" on the page); with
no English either, the pages fall back to the hub's generic wording. The cutoff is not here:
it stays a setting (HUB_SUBMISSIONS_CLOSE_AT), shown next to the call's dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.selectable import ScalarSelect

from hub.admin.markup import render_markdown
from hub.extensions import Base, UTCDateTime, db, utcnow
from hub.i18n import LANGUAGES, RTL, TAGS

ENGLISH = "en"


@dataclass(frozen=True)
class CallField:
    """One field of the call: its column, label, help, length limit and kind of text."""

    name: str
    label: str
    limit: int
    kind: str = "line"  # line (plain, one line) | markdown | documents | email
    help: str = ""


FIELDS: tuple[CallField, ...] = (
    CallField("call_name", _l("Name of the call"), 200),
    CallField("event_name", _l("Event"), 200),
    CallField(
        "dates",
        _l("Dates of the event"),
        200,
        help=_l("As people write them, e.g. 7–10 July 2027."),
    ),
    CallField("venue", _l("Venue"), 200),
    CallField("organiser", _l("Organiser"), 200),
    CallField("summary", _l("What the call is about"), 2000, "markdown"),
    CallField(
        "documents",
        _l("Official documents"),
        4000,
        "documents",
        _l("One document a line: its title, a vertical bar, its address (https://…)."),
    ),
    CallField("eligibility", _l("Who may submit"), 4000, "markdown"),
    CallField("after_submission", _l("What happens after submission"), 4000, "markdown"),
    CallField("faq", _l("Frequently asked questions"), 10000, "markdown"),
    CallField("contact_email", _l("Contact address"), 254, "email"),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)


class CallText(Base):
    """The call's texts in one interface language (empty string: show the English one)."""

    __tablename__ = "call_texts"
    __table_args__ = (
        CheckConstraint(
            "language IN (" + ", ".join(f"'{code}'" for code in LANGUAGES) + ")",
            name="language_known",
        ),
        *(
            CheckConstraint(f"length({f.name}) <= {f.limit}", name=f"{f.name}_length")
            for f in FIELDS
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(8), unique=True)
    call_name: Mapped[str] = mapped_column(Text, default="")
    event_name: Mapped[str] = mapped_column(Text, default="")
    dates: Mapped[str] = mapped_column(Text, default="")
    venue: Mapped[str] = mapped_column(Text, default="")
    organiser: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    documents: Mapped[str] = mapped_column(Text, default="")
    eligibility: Mapped[str] = mapped_column(Text, default="")
    after_submission: Mapped[str] = mapped_column(Text, default="")
    faq: Mapped[str] = mapped_column(Text, default="")
    contact_email: Mapped[str] = mapped_column(Text, default="")
    # Bumped at every save: the public page cache keys on the sum (hub.public.cache).
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


@dataclass(frozen=True)
class Shown:
    """A field as readers see it: the text and the language it is written in."""

    text: str
    lang: str


@dataclass(frozen=True)
class Document:
    """A link to one of the call's official documents."""

    title: str
    url: str


def parse_documents(text: str) -> list[tuple[str, str]]:
    """The (title, address) of each non-empty line "Title | address" (a bare address is
    its own title); the form checks the addresses, this only splits."""
    found = []
    for line in text.splitlines():
        if not line.strip():
            continue
        title, bar, url = line.rpartition("|")
        if not bar:
            title, url = "", line
        url = url.strip()
        found.append((title.strip() or url, url))
    return found


class Call:
    """The call in one language, each field with the English fallback already applied."""

    def __init__(self, rows: dict[str, CallText], language: str) -> None:
        self.language = language
        self._rows = rows

    def get(self, name: str) -> Shown | None:
        """A field in the reader's language, else in English, else None."""
        for code in dict.fromkeys((self.language, ENGLISH)):
            row = self._rows.get(code)
            text = getattr(row, name, "") if row is not None else ""
            if text:
                return Shown(text, code)
        return None

    def lang_attrs(self, shown: Shown | None) -> Markup:
        """` lang="en" dir="ltr"` on a text shown in English to readers of another language."""
        if shown is None or shown.lang == self.language:
            return Markup("")
        tag = TAGS.get(shown.lang, shown.lang)
        return Markup(' lang="%s" dir="%s"') % (tag, "rtl" if shown.lang in RTL else "ltr")

    def markdown(self, shown: Shown) -> Markup:
        """A Markdown field as sanitised HTML."""
        return render_markdown(shown.text)

    @property
    def saved(self) -> bool:
        """Whether an admin has written anything of the call yet."""
        return any(self.get(name) for name in FIELD_NAMES)

    def documents(self) -> tuple[list[Document], str]:
        """The official documents and the language of the list they come from."""
        shown = self.get("documents")
        if shown is None:
            return [], self.language
        # The form lets only http(s) addresses in; a row written otherwise links nothing else.
        links = [
            Document(t, u)
            for t, u in parse_documents(shown.text)
            if u.lower().startswith(("https://", "http://"))
        ]
        return links, shown.lang


def load_call(language: str) -> Call:
    """The call as readers of `language` see it (two rows at most are read)."""
    rows = db.session.scalars(
        select(CallText).where(CallText.language.in_({language, ENGLISH}))
    ).all()
    return Call({row.language: row for row in rows}, language)


def call_text(language: str) -> CallText | None:
    """The saved texts of one language, as an admin edits them."""
    return db.session.scalar(select(CallText).where(CallText.language == language))


def call_version() -> ScalarSelect[int]:
    """A number that grows at every save of the call, as an SQL expression: the public pages'
    cache key reads it in the same query as the newest index task."""
    return select(func.coalesce(func.sum(CallText.version), 0)).scalar_subquery()
