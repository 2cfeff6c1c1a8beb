"""Partnerships Hub: submit, moderate and browse contributions to a global dialogue."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from hub.clock import clock_from_config
from hub.clock import init_app as init_clock
from hub.config import ROOT, load_settings, warn_unknown_settings
from hub.extensions import csrf, db, login_manager
from hub.routing import init_app as init_routing


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the hub: settings, extensions, blueprints, error pages and CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    load_settings(app, test_config)
    logging.basicConfig(
        level=app.config["HUB_LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # noise per import
    warn_unknown_settings(app)

    # URL converters, and a 400 for a host HUB_ALLOWED_HOSTS does not list (the first hook).
    init_routing(app)
    app.extensions["hub_clock"] = clock_from_config(app.config)
    # Each request judges time by its own arrival (registered before CSRF reads the body).
    init_clock(app)
    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)

    from hub import cli, errors, forms, i18n, ratelimit, search, security, templating
    from hub.admin.blueprint import bp as admin_bp
    from hub.api.opendata import bp as opendata_bp
    from hub.api.routes import bp as api_bp
    from hub.auth.blueprint import bp as auth_bp
    from hub.mail import init_app as init_mail
    from hub.moderation.blueprint import bp as moderation_bp
    from hub.moderation.digest import write_due_digest
    from hub.privacy.blueprint import bp as privacy_bp
    from hub.public.contact.views import bp as contact_bp
    from hub.public.language import bp as language_bp
    from hub.public.routes import bp as public_bp
    from hub.submissions.blueprint import bp as submissions_bp
    from hub.submissions.indexing import SubmissionSource

    app.register_blueprint(auth_bp)
    app.register_blueprint(submissions_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(contact_bp)
    app.register_blueprint(language_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(opendata_bp)
    app.register_blueprint(privacy_bp)
    # Delivery after responses writes the moderators' digest first when one is due (mail
    # sits below the areas and knows no digest: it is handed the writer here).
    init_mail(app, write_due=write_due_digest)
    errors.init_app(app)
    i18n.init_app(app)  # inside ProxyFix: the language prefix follows X-Forwarded-Prefix
    forms.init_app(app)
    ratelimit.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    search.init_app(app, source=SubmissionSource())
    security.init_app(app)  # headers, Secure cookies over HTTPS
    proxies = int(app.config["HUB_TRUSTED_PROXIES"])
    # Behind proxies: the client's address (throttling), scheme (secure cookies) and host
    # (HUB_ALLOWED_HOSTS). Absolute links never use them: they are on HUB_BASE_URL.
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies
        )
    return app
