"""Field-by-field differences between two versions of a submission's content, word by word:
what changed since the version a moderator last reviewed, or in an update of an approved item."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext

from hub import vocab
from hub.submissions.fields import CONTENT_FIELDS, FIELD
from hub.submissions.models import Status, Submission
from hub.submissions.operations import reviewed_snapshot

# One piece of the new text: "same", "del" (only in the old) or "ins" (only in the new).
Segment = tuple[str, str]
# A word with the blanks after it: compared by the word, shown with its blanks, so a change
# reads as whole phrases rather than words and spaces alternating.
_TOKENS = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class FieldChange:
    """One changed field: its label, the old and new text, and their word-level diff."""

    name: str
    label: str
    old: str
    new: str
    segments: tuple[Segment, ...]


def as_text(value: Any) -> str:
    """A stored value as the text compared and shown (lists one item per line)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _sdg_name(number: object) -> str:
    """An SDG as the detail page names it ("SDG 6: Clean water and sanitation")."""
    if not isinstance(number, int) or number not in vocab.SDGS:
        return str(number)
    return gettext("SDG %(number)d: %(name)s", number=number, name=vocab.label(vocab.SDGS, number))


# The coded fields, shown by the names the rest of the page uses, in the page's language.
_NAMES: dict[str, Any] = {
    "countries": lambda code: vocab.country_name(str(code)),
    "regions": lambda key: vocab.region_name(str(key)),
    "themes": lambda key: vocab.label(vocab.THEMES, key),
    "sdgs": _sdg_name,
    "stakeholder_group": lambda key: vocab.label(vocab.STAKEHOLDER_GROUPS, key),
    "kind": lambda key: vocab.label(vocab.KINDS, key),
    "language": lambda code: vocab.language_name(str(code)),
}


def named(name: str, value: Any) -> Any:
    """A field's value with its codes replaced by their names (other fields as they are)."""
    to_name = _NAMES.get(name)
    if to_name is None or value is None or value == "":
        return value
    if isinstance(value, list | tuple):
        return [to_name(v) for v in value]
    return to_name(value)


def item_diff(old: list[str], new: list[str]) -> tuple[Segment, ...]:
    """The items (one a line) kept, removed and added: a name is never split into words."""
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(("same", "".join(f"{item}\n" for item in new[j1:j2])))
            continue
        if i2 > i1:
            segments.append(("del", "".join(f"{item}\n" for item in old[i1:i2])))
        if j2 > j1:
            segments.append(("ins", "".join(f"{item}\n" for item in new[j1:j2])))
    if segments:  # no line break after the last item
        op, text = segments[-1]
        segments[-1] = (op, text.removesuffix("\n"))
    return tuple(segments)


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The words (and spaces) kept, removed and added from `old` to `new`."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    segments: list[Segment] = []
    words_a, words_b = [t.strip() for t in a], [t.strip() for t in b]
    matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":  # the new text's blanks (a line break may have moved)
            segments.append(("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            segments.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(("ins", "".join(b[j1:j2])))
    return tuple(segments)


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """The fields whose text differs between `before` and `after`, in form order."""
    changes = []
    for name in CONTENT_FIELDS:
        if name not in before and name not in after:
            continue
        was, now = named(name, before.get(name)), named(name, after.get(name))
        old, new = as_text(was), as_text(now)
        if old.strip() == new.strip():
            continue
        label = str(FIELD[name].label)
        if name in _NAMES and (isinstance(was, list) or isinstance(now, list)):
            segments = item_diff(old.splitlines(), new.splitlines())
        else:
            segments = word_diff(old, new)
        changes.append(FieldChange(name, label, old, new, segments))
    return changes


def unchanged_labels(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The labels of the fields both versions have and that did not change."""
    changed = {c.name for c in field_changes(before, after)}
    return [
        str(FIELD[n].label)
        for n in CONTENT_FIELDS
        if n in before and n in after and n not in changed
    ]


@dataclass(frozen=True)
class SinceReview:
    """What changed since a moderator last reviewed an item (changes requested)."""

    changes: list[FieldChange]
    unchanged: list[str]


def since_review(submission: Submission) -> SinceReview | None:
    """The diff against the version reviewed when changes were requested, while the item
    awaits a decision again (None before any review, or once decided)."""
    before = submission.reviewed_content
    if before is None or submission.status not in (Status.SUBMITTED, Status.CHANGES_REQUESTED):
        return None
    now = reviewed_snapshot(submission)
    return SinceReview(field_changes(before, now), unchanged_labels(before, now))
