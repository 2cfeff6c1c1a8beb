"""Demo content: realistic, varied submissions for demos, manual testing and benchmarks."""

from __future__ import annotations

import logging
import random
import re
import secrets
import unicodedata
from datetime import date, timedelta
from typing import Any

from hub.auth.models import Role, User
from hub.auth.operations import create_user, find_user
from hub.clock import clock
from hub.demo.call import seed_demo_call
from hub.demo.texts import LANGS
from hub.extensions import db
from hub.submissions.models import LIMITS, Status, Submission
from hub.submissions.operations import CONTENT_FIELDS, KIND_FIELDS, new_slug
from hub.vocab import GLOBAL, KINDS, THEMES, country_codes, regions_for

logger = logging.getLogger("hub.demo")

LANG_WEIGHTS = {"en": 45, "fr": 30, "es": 25}
# Partners and members: organisations only, not individuals.
ALL_ORGS = [
    org.split("|")[0]
    for lang in LANGS.values()
    for org in lang["orgs"]
    if "|individual|" not in org
]
STATUS_WEIGHTS = {
    Status.APPROVED: 55,
    Status.SUBMITTED: 15,
    Status.DRAFT: 12,
    Status.CHANGES_REQUESTED: 7,
    Status.REJECTED: 5,
    Status.WITHDRAWN: 6,
}
MESSAGES = {
    Status.CHANGES_REQUESTED: [
        "Please name the partners and what each contributes.",
        "Please add a website or a contact e-mail to publish.",
    ],
    Status.REJECTED: [
        "This describes a commercial product, not an open initiative.",
        "Out of scope: the submission is not about AI governance.",
    ],
}
OWNERS = ["Amina Okafor", "Hélène Lefèvre", "Lucía Fernández", "Rahul Patel", "Karim Benali"]


def _ascii(text: str) -> str:
    """Lower-case ASCII letters and digits only (for e-mail and host names)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", plain)


def _fmt(rng: random.Random, template: str, base: dict[str, str], sep: str) -> str:
    """Fill a template; numbers are drawn per sentence so texts from one pool differ."""
    amount = f"{rng.randint(5, 250) * 10_000:,}".replace(",", sep)
    return template.format(
        **base,
        n=rng.randint(3, 60),
        k=rng.randint(2, 12),
        sep=sep,
        pct=rng.choice([40, 50, 60, 75, 80]),
        amount=amount,
        year=rng.randint(2027, 2030),
        months=rng.choice([12, 18, 24, 36]),
    )


def _description(
    rng: random.Random, lang: dict[str, Any], base: dict[str, str], words: int | None
) -> str:
    """Paragraphs of context, activities, impact, closing; with `words`, about that many."""
    pools, total, size = lang["paragraphs"], 0, 0
    paragraphs: list[str] = []
    while len(paragraphs) < len(pools) if words is None else total < words:
        sentences, pool = [], pools[len(paragraphs) % len(pools)]
        for template in rng.sample(pool, rng.randint(1, len(pool))):
            sentence = _fmt(rng, template, base, lang["sep"])
            # Stop below the column's limit: longer content could never be stored.
            if (words is not None and total >= words) or (
                size + len(sentence) + 2 > LIMITS["description"]
            ):
                break
            sentences.append(sentence)
            total, size = total + len(sentence.split()), size + len(sentence) + 2
        if not sentences:
            break
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


# Regions were ticked by hand, with one more random draw, until they followed the countries
# (issue 16): the draw is still made, its result unused, so that a seed gives the demo content
# it gave before; bench/relevance.py measures the search against these distractors.
_FORMER_REGION_COUNT = 7


def _regions(rng: random.Random, countries: list[str]) -> list[str]:
    """The regions of `countries`, after the random draw the former regions made."""
    rng.sample(range(_FORMER_REGION_COUNT), rng.choice([0, 0, 1]))
    return regions_for(countries)


def _content(rng: random.Random, kind: str | None, words: int | None, code: str) -> dict:
    """Content in language `code`; kind None fills every kind's own field."""
    lang, sep = LANGS[code], LANGS[code]["sep"]
    # The org's region is left over from the hand-ticked regions: they follow the countries now.
    name, group, country, _region, place = rng.choice(lang["orgs"]).split("|")
    topic, themes, sdgs = rng.choice(lang["topics"])
    partners = rng.sample([o for o in ALL_ORGS if o != name], rng.randint(1, 4))
    base = {"org": name, "partner": partners[0], "topic": topic, "place": place}
    title_kind = kind or rng.choice(list(KINDS))
    title = _fmt(
        rng, rng.choice(lang["titles"][title_kind]) + rng.choice(lang["suffixes"]), base, sep
    )
    extra = rng.sample([c for c in country_codes() if c != GLOBAL], rng.choice([0, 0, 1, 2, 3]))
    countries = [GLOBAL] if country == GLOBAL else [country, *extra]
    person = rng.choice(lang["people"].split(", "))
    host = _ascii("".join(w[0] for w in name.split() if len(w) > 2)) or "demo"
    start: date | None = date.today() + timedelta(days=rng.randint(-540, 240))
    if kind not in (None, "concrete_action") and rng.random() < 0.1:
        start = None  # some projects have no fixed start; a concrete action needs one
    end = start + timedelta(days=rng.randint(120, 1460)) if start and rng.random() < 0.8 else None
    day, timeline = start or date.today(), []
    for step in sorted(rng.sample(range(len(lang["steps"])), rng.randint(3, 6))):
        timeline.append(f"{day:%Y-%m}: {lang['steps'][step]}")
        day += timedelta(days=rng.randint(45, 150))
    data: dict[str, Any] = {
        "title": (title[:1].upper() + title[1:])[: LIMITS["title"]],
        "summary": " ".join(_fmt(rng, s, base, sep) for s in rng.sample(lang["summaries"], 2))[
            : LIMITS["summary"]
        ],
        "description": _description(rng, lang, base, words),
        "lead_organisation": name,
        "stakeholder_group": group,
        "countries": countries,
        "regions": _regions(rng, countries),
        "themes": sorted({*themes, *rng.sample(list(THEMES), rng.choice([0, 1, 1]))}),
        "sdgs": sorted(
            {
                *sdgs,
                *rng.sample(range(1, 18), rng.choice([0, 1])),
                *([17] if title_kind in ("coalition", "partnership") else []),
            }
        ),
        "partners": "\n".join(partners),
        "website": f"https://www.{host}.example.org/" if rng.random() < 0.8 else "",
        "start_date": start,
        "end_date": end,
        "language": code,
        "contact_name": person,
        "contact_email": ".".join(_ascii(p) for p in person.split()) + f"@{host}.example.org",
        "objectives": "\n".join(
            "- " + _fmt(rng, o, base, sep)
            for o in rng.sample(lang["objectives"], rng.randint(2, 4))
        ),
        "member_organisations": "\n".join(
            [name, *rng.sample(sorted(set(partners + ALL_ORGS[::3]) - {name}), rng.randint(2, 6))]
        ),
        "resources": "\n".join(
            "- " + _fmt(rng, r, base, sep) for r in rng.sample(lang["resources"], rng.randint(2, 3))
        ),
        "timeline": "\n".join(timeline),
    }
    # Another kind's own field stays empty, as the forms leave it.
    for other, fields in KIND_FIELDS.items():
        if kind not in (None, other):
            data.update(dict.fromkeys(fields, ""))
    return {key: data[key] for key in CONTENT_FIELDS}


def demo_content(
    rng: random.Random, kind: str | None = None, words: int | None = None
) -> dict[str, Any]:
    """A realistic content dict (CONTENT_FIELDS keys, dates as date) in a random language."""
    code = rng.choices(list(LANG_WEIGHTS), weights=list(LANG_WEIGHTS.values()))[0]
    return _content(rng, kind, words, code)


def _account(email: str, name: str, role: Role) -> User:
    """The demo account with this e-mail; created with a random, never-told password."""
    # Not the submitters' organisation: the moderator could not decide their items.
    organisation = "Demo organisation" if role is Role.SUBMITTER else "Demo secretariat"
    return find_user(email) or create_user(
        email, secrets.token_urlsafe(32), name, organisation, role
    )


def seed_demo(count: int, seed: int) -> int:
    """Add `count` demo submissions (same texts for the same seed); flush, the caller commits."""
    rng = random.Random(seed)
    owners = [
        _account(f"demo{i}@example.org", name, Role.SUBMITTER) for i, name in enumerate(OWNERS, 1)
    ]
    # Decided states need a deciding moderator (a check constraint), so one demo moderator.
    moderator = _account("demo-moderator@example.org", "Demo Moderator", Role.MODERATOR)
    now, kinds, langs = clock().now(), list(KINDS), list(LANG_WEIGHTS)
    for i in range(count):
        # The first items cover every kind and language, so even a small demo shows them all.
        kind = kinds[i] if i < len(kinds) else rng.choice(kinds)
        code = langs[i] if i < len(langs) else rng.choices(langs, list(LANG_WEIGHTS.values()))[0]
        content = _content(rng, kind, None, code)
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        created = now - timedelta(seconds=rng.uniform(3600, 90 * 86400))
        # Built directly, not via create_submission: the demo must work after the cutoff too.
        row = Submission(
            owner=rng.choice(owners),
            kind=kind,
            slug=new_slug(content["title"]),
            status=status,
            created_at=created,
            **content,
        )
        submitted, decided = sorted(created + (now - created) * rng.random() for _ in range(2))
        # A withdrawn item may have been withdrawn as a draft, never submitted.
        if status is not Status.DRAFT and (status is not Status.WITHDRAWN or rng.random() < 0.6):
            row.submitted_at = submitted
        row.updated_at = submitted
        if status in (Status.APPROVED, Status.REJECTED, Status.CHANGES_REQUESTED):
            row.decided_by, row.decided_at, row.updated_at = moderator, decided, decided
            row.decision_message = rng.choice(MESSAGES.get(status, [""]))
            row.published_at = decided if status is Status.APPROVED else None
        elif status is Status.WITHDRAWN:
            row.updated_at = decided
        db.session.add(row)
        if i % 500 == 499:
            db.session.flush()  # keeps the session small for large counts
    db.session.flush()
    seed_demo_call()  # the home and about pages name a call
    logger.info("Seeded %d demo submissions (seed %d)", count, seed)
    return count
