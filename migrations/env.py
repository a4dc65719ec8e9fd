"""Alembic environment for Flask-Migrate, with SQLite table rebuilds made safe."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
config.set_main_option(
    "sqlalchemy.url", target_db.engine.url.render_as_string(hide_password=False).replace("%", "%%")
)


def run_migrations_offline():
    """Emit SQL for a DBA to read instead of running it."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_db.metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _skip_empty_autogenerate(_context, _revision, directives):
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def _sqlite_foreign_keys(connection, enabled):
    # Batch mode rebuilds a table by copying it and dropping the old one; with foreign keys on,
    # dropping the old parent table cascades and silently deletes child rows. The pragma only
    # takes effect outside a transaction, so it goes straight to the driver connection.
    connection.connection.dbapi_connection.execute(
        f"PRAGMA foreign_keys={'ON' if enabled else 'OFF'}"
    )


def _sqlite_check_foreign_keys(connection):
    problems = connection.connection.dbapi_connection.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise RuntimeError(f"migration left rows with broken foreign keys: {problems[:5]}")


def run_migrations_online():
    """Run the migrations on the app's own engine."""
    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", _skip_empty_autogenerate)
    conf_args.setdefault("compare_type", True)
    conf_args.setdefault("render_as_batch", True)
    engine = target_db.engine
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            _sqlite_foreign_keys(connection, enabled=False)
        try:
            context.configure(
                connection=connection, target_metadata=target_db.metadata, **conf_args
            )
            with context.begin_transaction():
                context.run_migrations()
            if sqlite:
                connection.commit()
                _sqlite_check_foreign_keys(connection)
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, enabled=True)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
