"""Public pages and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from hub.extensions import db

bp = Blueprint("public", __name__)


@bp.route("/")
def home() -> str:
    """What the hub is, and the cutoff."""
    return render_template("public/home.html")


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    """Liveness and database reachability, as JSON."""
    try:
        db.session.execute(text("SELECT 1"))
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:
        db.session.rollback()
        return jsonify(status="error", database="unreachable",
                       detail=type(exc).__name__), 503
    return jsonify(status="ok", database="ok", backend=db.engine.dialect.name,
                   schema_revision=revision), 200
