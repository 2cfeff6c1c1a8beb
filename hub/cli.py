"""Command line: flask --app hub init-db | create-user | send-mail | send-reminders |
seed-demo."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app

from hub.auth.models import NAME_MAX, ORGANISATION_MAX, Role
from hub.config import ROOT
from hub.forms import clean_text, one_line


def alembic_config(url: str) -> Config:
    """Alembic configuration for this hub's migrations and the given database."""
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(ROOT) / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_database(url: str) -> None:
    """Bring the database at `url` to the newest migration."""
    command.upgrade(alembic_config(url), "head")


def init_app(app: Flask) -> None:
    """Register the commands."""

    @app.cli.command("init-db")
    def init_db() -> None:
        """Create or upgrade the database schema (Alembic upgrade head)."""
        upgrade_database(current_app.config["HUB_DATABASE_URL"])
        click.echo("Database is at the newest schema.")

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option(
        "--role", type=click.Choice([r.value for r in Role]), default="submitter", show_default=True
    )
    @click.option("--name", "display_name", default=None, help="Display name (default: e-mail).")
    @click.option("--organisation", default="")
    def create_user_command(
        email: str, role: str, display_name: str | None, organisation: str
    ) -> None:
        """Create an account; the password is prompted, or read from stdin if piped."""
        from email_validator import EmailNotValidError, validate_email

        from hub.auth.operations import EmailTaken, create_user
        from hub.extensions import db

        email = email.strip()
        try:  # the same check as the registration form's
            validate_email(email, check_deliverability=False)
        except EmailNotValidError as exc:
            raise click.ClickException(f"{email!r} is not a valid e-mail address: {exc}") from exc
        # The same limits as the registration form's (the database would refuse the rest).
        name = clean_text(one_line(display_name)) if display_name is not None else None
        organisation = clean_text(one_line(organisation or ""))
        if name is not None and not name:
            raise click.BadParameter("the name cannot be blank.", param_hint="'--name'")
        if name is not None and len(name) > NAME_MAX:
            raise click.BadParameter(
                f"use at most {NAME_MAX} characters (not {len(name)}).", param_hint="'--name'"
            )
        if len(organisation) > ORGANISATION_MAX:
            raise click.BadParameter(
                f"use at most {ORGANISATION_MAX} characters (not {len(organisation)}).",
                param_hint="'--organisation'",
            )
        if sys.stdin.isatty():
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        else:
            password = sys.stdin.readline().rstrip("\n")
        minimum = int(current_app.config["HUB_MIN_PASSWORD_LENGTH"])
        if len(password) < minimum:
            raise click.ClickException(f"The password needs at least {minimum} characters.")
        try:
            user = create_user(
                email, password, name or email.split("@")[0][:NAME_MAX], organisation, Role(role)
            )
        except EmailTaken as exc:
            raise click.ClickException(f"An account for {exc} exists already.") from exc
        db.session.commit()
        click.echo(f"Created {user.role} {user.email}.")

    @app.cli.command("send-mail")
    @click.option("--loop", is_flag=True, help="Keep running, sending due mail every --every s.")
    @click.option("--every", default=30, show_default=True, type=click.IntRange(1, 3600))
    @click.option(
        "--max-seconds",
        default=300,
        show_default=True,
        type=click.IntRange(1, 86400),
        help="Stop a round after this long; what is still due is said and sent next time.",
    )
    def send_mail_command(loop: bool, every: int, max_seconds: int) -> None:
        """Deliver the due mail from the outbox (with retries and back-off)."""
        from hub.mail.delivery import run_sender
        from hub.moderation.digest import write_due_digest
        from hub.public.contact.operations import purge_expired_and_commit

        def write_due() -> int:
            purge_expired_and_commit()  # held messages past their time go, unsent
            return write_due_digest()

        # Each round purges expired held messages and writes the moderators' digest when one
        # is due, then delivers batch after batch until none is left or --max-seconds passed.
        run_sender(loop, every, click.echo, write_due=write_due, max_seconds=max_seconds)

    @app.cli.command("send-reminders")
    def send_reminders_command() -> None:
        """Queue the reminders due before the cutoff (HUB_REMINDER_DAYS); safe to run often."""
        from hub.submissions.reminders import send_due_reminders

        # Each reminder is recorded with its mail, so a second run (or server) sends none
        # again; `send-mail` delivers what this queued.
        sent = send_due_reminders()
        click.echo(
            f"Reminders queued: {sent.mails} (drafts named: {sent.drafts}; people already "
            f"reminded by another run: {sent.taken}). `send-mail` delivers them."
        )

    @app.cli.command("seed-demo")
    @click.option("--count", default=60, show_default=True, type=click.IntRange(1, 100000))
    @click.option("--seed", default=2026, show_default=True, help="Random seed (repeatable).")
    def seed_demo_command(count: int, seed: int) -> None:
        """Fill the database with realistic, varied demo submissions in all four kinds."""
        from hub.demo import seed_demo
        from hub.extensions import db

        created = seed_demo(count, seed)
        db.session.commit()
        click.echo(f"Created {created} demo submissions.")

    from hub.search.cli import register as register_search_commands

    register_search_commands(app)
