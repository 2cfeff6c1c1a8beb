"""What the search service indexes of a submission: the public rules and documents.

hub.search knows documents and ids; this module knows that only an approved submission is
public, which of its fields are public text, and which flushed changes can alter the public
index. create_app() hands SubmissionSource to hub.search.init_app().
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Select, func, inspect, or_, select
from sqlalchemy.orm import Session

from hub.search.analysis import make_document, sort_title, timestamp
from hub.search.models import IndexTask
from hub.search.source import FacetRow
from hub.submissions.models import Status, Submission

# Where the SQL fallback looks for a query's words (with LIKE).
_SEARCHED_COLUMNS = ("title", "summary", "description", "lead_organisation")


def long_text(s: Submission) -> str:
    """The descriptive text of a submission (kind-specific fields included)."""
    parts = [s.description, s.objectives, s.member_organisations, s.resources, s.timeline]
    return "\n".join(p for p in parts if p)


def facet_record(s: Submission) -> dict[str, Any]:
    """Filterable, countable and sortable values of one public submission."""
    return {
        "id": s.id,
        "kind": s.kind,
        "stakeholder": s.stakeholder_group or "",
        "country": list(s.countries or []),
        "region": list(s.regions or []),
        "theme": list(s.themes or []),
        "sdg": [str(n) for n in s.sdgs or []],
        "language": s.language or "",
        "published": timestamp(s.published_at or s.updated_at),
        "title": sort_title(s.title),
    }


def document_for(s: Submission) -> dict[str, Any]:
    """The index document of an approved submission: its public text, never private fields."""
    orgs = "\n".join(p for p in (s.lead_organisation, s.partners, s.member_organisations) if p)
    return make_document(
        s.id,
        title=s.title,
        summary=s.summary,
        orgs=orgs,
        description=long_text(s),
        language=s.language,
        facets=facet_record(s),
    )


def _touches_public(obj: Submission, new: bool) -> bool:
    """Whether a flushed change can alter what the public index should hold."""
    if obj.status is Status.APPROVED:
        return True
    if new:
        return False
    history = inspect(obj).attrs.status.history
    return Status.APPROVED in (history.deleted or ())


def _public() -> Select[Submission]:
    """SELECT of the public submissions."""
    return select(Submission).where(Submission.status == Status.APPROVED)


class SubmissionSource:
    """hub.search.source.Source for submissions: public means approved."""

    def changed_ids(self, session: Session) -> set[int]:
        """Submissions whose public version may have changed in this flush."""
        new, dirty = session.new, session.dirty
        changed = [o for o in new if isinstance(o, Submission) and _touches_public(o, new=True)]
        changed += [o for o in dirty if isinstance(o, Submission) and _touches_public(o, new=False)]
        changed += [o for o in session.deleted if isinstance(o, Submission)]
        # No id: never written to the database, so never in the index either.
        return {o.id for o in changed if o.id is not None}

    def documents(
        self, session: Session, ids: Collection[int] | None = None
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """(id, document) of the approved submissions among `ids`, or of all of them."""
        rows: Iterable[Submission]
        if ids is None:
            rows = session.scalars(_public().execution_options(yield_per=500))
        elif ids:
            rows = session.scalars(_public().where(Submission.id.in_(ids))).all()
        else:
            return
        for s in rows:
            yield s.id, document_for(s)

    def public_ids(self, session: Session) -> set[int]:
        """Ids of the approved submissions."""
        return set(
            session.scalars(select(Submission.id).where(Submission.status == Status.APPROVED))
        )

    def public_count(self, session: Session) -> int:
        """How many submissions are approved."""
        return (
            session.scalar(
                select(func.count())
                .select_from(Submission)
                .where(Submission.status == Status.APPROVED)
            )
            or 0
        )

    def unpublished_ids(self, session: Session) -> frozenset[int]:
        """Submissions the index may still hold but SQL no longer shows: their removal is
        queued (the writer was busy, or another worker has not drained yet)."""
        return frozenset(
            session.scalars(
                select(IndexTask.submission_id)
                .outerjoin(Submission, Submission.id == IndexTask.submission_id)
                .where(or_(Submission.id.is_(None), Submission.status != Status.APPROVED))
            )
        )

    def load_public(self, session: Session, ids: Sequence[int]) -> list[Submission]:
        """Approved submissions with these ids, in this order (anything else is left out)."""
        if not ids:
            return []
        rows = session.scalars(_public().where(Submission.id.in_(ids))).all()
        by_id = {s.id: s for s in rows}
        return [by_id[i] for i in ids if i in by_id]

    def snippet_texts(self, item: Submission) -> tuple[str, str]:
        """The title, and the summary and long text a snippet is cut from."""
        return item.title, f"{item.summary}\n{long_text(item)}"

    def facet_rows(self, session: Session, words: Sequence[str]) -> list[tuple[int, FacetRow]]:
        """Approved submissions containing every word in one of the searched columns."""
        stmt = _public()
        for word in words:
            like = f"%{word}%"
            stmt = stmt.where(or_(*(getattr(Submission, c).ilike(like) for c in _SEARCHED_COLUMNS)))
        rows: list[tuple[int, FacetRow]] = []
        for s in session.scalars(stmt):
            r = facet_record(s)
            rows.append(
                (
                    s.id,
                    (
                        r["id"],
                        r["kind"],
                        r["stakeholder"],
                        tuple(r["country"]),
                        tuple(r["region"]),
                        tuple(r["theme"]),
                        tuple(r["sdg"]),
                        r["published"],
                        r["title"],
                        r["language"],
                    ),
                )
            )
        return rows

    def published_times(self, session: Session) -> list[float]:
        """When each approved submission was published (its last update if never)."""
        return [
            timestamp(t)
            for t in session.scalars(
                select(func.coalesce(Submission.published_at, Submission.updated_at)).where(
                    Submission.status == Status.APPROVED
                )
            )
        ]
