"""Clinical records for psychosomatic therapists: the application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from therapy.config import MIGRATIONS_DIR, TEMPLATE_DIR, load_config
from therapy.database.lock_retry import LockRetryingFlask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, access rules, form safety, blueprints, commands."""
    settings = load_config(overrides=config)
    app = LockRetryingFlask(
        __name__,
        template_folder=str(TEMPLATE_DIR),
        instance_path=str(settings["INSTANCE_PATH"]),
        instance_relative_config=False,
    )
    app.config.update(settings)
    _trust_proxies(app)
    # The login gate goes first, so an anonymous request is sent to log in before any other
    # check (such as CSRF) looks at it.
    _register_access_rules(app)
    _init_extensions(app)
    _register_routing(app)
    _register_auditing(app)
    _register_form_guard(app)
    _register_blueprints(app)
    _register_error_pages(app)
    _register_commands(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Read the client's address from X-Forwarded-* set by the configured number of proxies."""
    hops = int(app.config.get("TRUSTED_PROXIES", 0))
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )


def _init_extensions(app: Flask) -> None:
    from therapy import models  # noqa: F401  (registers every table with the metadata)
    from therapy.database.engine import configure_engine, engine_options
    from therapy.database.read_end import install_read_end
    from therapy.extensions import babel, csrf, db, login_manager, migrate
    from therapy.i18n.locale import init_i18n, select_locale, select_timezone
    from therapy.models.document import install_final_document_guard

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    )
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    init_i18n(app)
    with app.app_context():
        configure_engine(db.engine)
        install_read_end(app, db.engine)
    install_final_document_guard()


def _register_blueprints(app: Flask) -> None:
    from therapy.access_log import bp as access_log_bp
    from therapy.admin import bp as admin_bp
    from therapy.auth import bp as auth_bp
    from therapy.caseload import bp as caseload_bp
    from therapy.documents import assets_bp as document_assets_bp
    from therapy.documents import bp as documents_bp
    from therapy.drafts import bp as drafts_bp
    from therapy.episodes import bp as episodes_bp
    from therapy.formulation import bp as formulation_bp
    from therapy.patients import bp as patients_bp
    from therapy.phq15 import bp as phq15_bp
    from therapy.record_rights import bp as record_rights_bp
    from therapy.self_report import bp as self_report_bp
    from therapy.sessions import bp as sessions_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(caseload_bp)
    app.register_blueprint(patients_bp)
    app.register_blueprint(phq15_bp)
    app.register_blueprint(episodes_bp)
    app.register_blueprint(sessions_bp)
    app.register_blueprint(formulation_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(document_assets_bp)
    app.register_blueprint(drafts_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(access_log_bp)
    app.register_blueprint(record_rights_bp)
    app.register_blueprint(self_report_bp)


def _register_routing(app: Flask) -> None:
    from therapy.routing import init_routing

    init_routing(app)


def _register_access_rules(app: Flask) -> None:
    from therapy.access.flashes import init_flashes
    from therapy.access.gate import init_security

    init_security(app)
    init_flashes(app)


def _register_auditing(app: Flask) -> None:
    from therapy.audit.hooks import init_auditing

    init_auditing(app)


def _register_form_guard(app: Flask) -> None:
    from therapy.forms.error_summary import init_form_errors
    from therapy.forms.guard import init_form_guard

    init_form_guard(app)
    init_form_errors(app)


def _register_error_pages(app: Flask) -> None:
    from therapy.errors import init_error_pages

    init_error_pages(app)


def _register_commands(app: Flask) -> None:
    from therapy.cli import init_commands

    init_commands(app)
