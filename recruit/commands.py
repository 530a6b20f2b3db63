"""Flask CLI commands: thin wrappers over services."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from recruit.auth import services as accounts
from recruit.errors import RecruitError
from recruit.extensions import db
from recruit.models import Ambassador, PartnerOrganisation, Role

users_cli = AppGroup("users", help="Manage user accounts.")
demo_cli = AppGroup("demo", help="Demonstration data.")


def _read_password() -> str:
    """Prompt for a password on a terminal; read one line from standard input otherwise."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@users_cli.command("create")
@click.argument("email")
@click.option(
    "--role", required=True, type=click.Choice([r.name for r in Role]), help="The user's role."
)
@click.option("--name", default=None, help="Display name (defaults to the email's local part).")
@click.option(
    "--partner", "partner_name", default=None, help="Partner organisation (partner role)."
)
@click.option("--ambassador", "ambassador_email", default=None,
              help="Ambassador's work email (ambassador role).")
def create_user(email, role, name, partner_name, ambassador_email):
    """Create a user; the password is read from a prompt or standard input."""
    partner = ambassador = None
    if partner_name:
        partner = db.session.scalar(
            sa.select(PartnerOrganisation).where(PartnerOrganisation.name == partner_name)
        )
        if partner is None:
            raise click.UsageError(f"No partner organisation is called {partner_name!r}")
    if ambassador_email:
        ambassador = db.session.scalar(
            sa.select(Ambassador).where(Ambassador.work_email == ambassador_email.strip().lower())
        )
        if ambassador is None:
            raise click.UsageError(f"No ambassador has the work email {ambassador_email!r}")
    password = _read_password()
    try:
        user = accounts.create_user(
            email=email,
            name=name or email.split("@")[0],
            role=Role[role],
            password=password,
            partner=partner,
            ambassador=ambassador,
        )
    except RecruitError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role.label})")


@demo_cli.command("seed")
@click.option("--scale", default="small", show_default=True, metavar="small|large|N",
              help="small: the demo. large, or a number N: benchmark data (large is 8, 100,000 "
                   "staff; N is N eighths of it), into an empty database only.")
def seed(scale):
    """Build the demonstration programme; running it again changes nothing."""
    from recruit.demo import large
    from recruit.demo import seed as demo_seed

    try:
        factor = large.parse_scale(scale)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--scale") from exc
    try:
        if factor is None:
            report = demo_seed.run(echo=click.echo)
        else:
            report = large.seed_large(factor, echo=click.echo)
    except (demo_seed.DemoDataMissing, large.DatabaseNotEmpty) as exc:
        raise click.ClickException(str(exc)) from exc
    for line in report:
        click.echo(line)


def register(app: Flask) -> None:
    from recruit.participants.cli import participants_cli
    from recruit.reference.cli import import_cli
    from recruit.reports.cli import report_cli
    from recruit.representativeness.commands import stats_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(import_cli)
    app.cli.add_command(stats_cli)
    app.cli.add_command(participants_cli)
    app.cli.add_command(report_cli)
