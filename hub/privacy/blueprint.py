"""The privacy area's URL map: the notice, "Download my data", "Delete my account".

Handlers are in controllers.py, pages in pages.py, the export in export.py and the
deletion in deletion.py.
"""

from __future__ import annotations

from flask import Blueprint

from hub.privacy import controllers

bp = Blueprint("privacy", __name__)

bp.add_url_rule("/privacy", "notice", controllers.notice)
bp.add_url_rule("/account/export", "export", controllers.export)
bp.add_url_rule("/account/export/download", "download", controllers.download)
bp.add_url_rule(
    "/account/delete", "delete_account", controllers.delete_account, methods=["GET", "POST"]
)
