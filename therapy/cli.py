"""Flask commands: accounts and the demo practice (migrations come from `flask db`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from therapy.audit import chain as audit
from therapy.audit import checkpoints
from therapy.backup.archive import BackupError, create_backup, verify_backup
from therapy.extensions import db
from therapy.models import Patient, Practice, User
from therapy.models.enums import Profession, Role
from therapy.record_rights.commands import records_cli
from therapy.services.accounts import two_factor
from therapy.services.accounts.users import AccountError, create_user, normalise_email
from therapy.services.demo.content import DEMO_EMAILS
from therapy.services.demo.practice import DEMO_PASSWORD, seed_demo_practice

users_cli = click.Group("users", help="Manage practice accounts.")


@users_cli.command("create")
@click.option("--email", required=True, help="Login e-mail address.")
@click.option("--name", "full_name", required=True, help="Full name as printed on letters.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.THERAPIST.value)
@click.option("--profession", type=click.Choice([p.value for p in Profession]), default=None)
@click.option("--registration-number", default="", help="BIG or quality register number.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (scripts)."
)
def create_user_command(
    email: str,
    full_name: str,
    role: str,
    profession: str | None,
    registration_number: str,
    password_stdin: bool,
) -> None:
    """Create an account. There is no default account: this is how the first one is made."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(
            email=email,
            full_name=full_name,
            password=password,
            role=Role(role),
            profession=Profession(profession) if profession else None,
            registration_number=registration_number,
        )
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role.value} account {user.email} (id {user.id}).")


@click.command("seed-demo")
@click.option(
    "--if-empty", is_flag=True, help="Exit quietly (status 0) when the database is not empty."
)
@click.option(
    "--language",
    type=click.Choice(["nl", "en_GB"]),
    default=None,
    help="The demo practice's language (default: the configured one, DEFAULT_LOCALE, Dutch).",
)
def seed_demo_command(if_empty: bool, language: str | None) -> None:
    """Fill an empty database with a believable demo practice and print the demo logins."""
    practice = db.session.scalar(select(Practice))
    has_users = bool(db.session.scalar(select(func.count(User.id))))
    has_patients = bool(db.session.scalar(select(func.count(Patient.id))))
    if practice is not None and practice.is_demo:
        click.echo("The demo practice is already here.")
    elif practice is not None or has_users or has_patients:
        message = (
            "This database holds real data: the demo practice is only seeded into an empty one."
        )
        if if_empty:
            click.echo(message)
            return
        raise click.ClickException(message)
    else:
        chosen = language or str(current_app.config["BABEL_DEFAULT_LOCALE"])
        seed_demo_practice(language=chosen)
        db.session.commit()
        click.echo(f"Seeded the demo practice ({'Dutch' if chosen == 'nl' else 'English'}).")
    logins = db.session.scalars(select(User).order_by(User.id)).all()
    click.echo(f"Demo logins (password for each: {DEMO_PASSWORD}):")
    for user in logins:
        click.echo(f"  {user.email:32} {user.role.value}")
    click.echo("Each login then asks for a 6-digit code: `flask demo-code EMAIL` prints it.")


@click.command("demo-code")
@click.argument("email")
def demo_code_command(email: str) -> None:
    """Print the current login code of a demo account (only in the demo practice's database)."""
    practice = db.session.scalar(select(Practice).order_by(Practice.id))
    if practice is None or not practice.is_demo:
        raise click.ClickException(
            "Refused: this is not the demo practice's database. Real accounts use their own "
            "authenticator app; codes are never printed for them."
        )
    address = normalise_email(email)
    if address not in DEMO_EMAILS:
        # An account added to the demo database later (by its administrator, say) is a real
        # login with its own authenticator: its codes are never printed.
        raise click.ClickException(
            f"Refused: {email} is not one of the seeded demo accounts "
            f"({', '.join(sorted(DEMO_EMAILS))})."
        )
    user = db.session.scalar(select(User).where(User.email == address))
    if user is None or not two_factor.is_enrolled(user):
        raise click.ClickException(f"No demo account with an authenticator for {email}.")
    code, seconds = two_factor.current_code(user)
    click.echo(f"{code}  (valid for {seconds} more seconds; each code works once)")


audit_cli = click.Group("audit", help="The NEN 7513 audit trail.")


@audit_cli.command("verify")
def audit_verify_command() -> None:
    """Walk the hash chain and report the first broken link (exit status 1 if any)."""
    report = audit.verify_chain()
    if not report.intact:
        raise click.ClickException(
            f"chain broken at row {report.broken_id} ({report.rows} rows checked): "
            f"it {report.problem}."
        )
    try:
        anchored = checkpoints.read_checkpoints()
        problem = checkpoints.check_against_checkpoints()
    except checkpoints.CheckpointError as error:
        raise click.ClickException(f"checkpoints: {error}") from error
    if problem is not None:
        raise click.ClickException(f"chain does not reach its latest checkpoint: {problem}.")
    click.echo(
        f"chain intact, {report.rows} rows; newest hash {audit.head_hash()}; "
        f"{len(anchored)} signed checkpoints match"
    )


@audit_cli.command("checkpoint")
def audit_checkpoint_command() -> None:
    """Write a signed checkpoint of the chain's head (run it from cron, e.g. hourly)."""
    try:
        written = checkpoints.write_checkpoint()
    except checkpoints.CheckpointError as error:
        raise click.ClickException(str(error)) from error
    if written is None:
        click.echo("the audit trail is empty: nothing to anchor")
    else:
        click.echo(f"checkpoint: row {written.last_id}, {written.rows} rows, {written.head}")


@click.command("backup")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("backups"),
    show_default=True,
    help="Folder that receives the backup folder.",
)
def backup_command(output: Path) -> None:
    """Back up the database with a manifest of row counts and checksums per table."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        checkpoints.write_checkpoint()  # the head as it is at the backup, kept outside it
    except checkpoints.CheckpointError as error:
        raise click.ClickException(str(error)) from error
    db.session.remove()
    try:
        folder = create_backup(url, db.metadata, output)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {folder}")


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--verify",
    is_flag=True,
    required=True,
    help="Restore into a scratch database and compare it with the manifest.",
)
def restore_command(folder: Path, verify: bool) -> None:
    """Prove a backup restores: every table's rows and checksum must match its manifest."""
    try:
        result = verify_backup(
            folder, db.metadata, server_url=current_app.config["SQLALCHEMY_DATABASE_URI"]
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    for mismatch in result.mismatches:
        click.echo(f"  mismatch: {mismatch}")
    click.echo(f"restore: {result.matching}/{result.tables} tables match")
    if not any(mismatch.startswith("schema:") for mismatch in result.mismatches):
        click.echo("schema: columns, indexes, constraints, triggers and migration head match")
    if not result.ok:
        raise click.ClickException("the backup did not restore to the same data")


def init_commands(app: Flask) -> None:
    """Register the commands with `flask`."""
    app.cli.add_command(users_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(demo_code_command)
    app.cli.add_command(audit_cli)
    app.cli.add_command(records_cli)
