"""Peer-support referral tracker: the application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints. Starts no scheduler."""
    import os

    app = Flask(__name__, instance_path=os.environ.get("TRACKER_INSTANCE_PATH"),
                instance_relative_config=True)
    from tracker import (
        auth,
        clock,
        config,
        errors,
        extensions,
        health,
        request_log,
        rules_runtime,
        security_headers,
        web,
    )
    from tracker.admin import bp as admin_bp
    from tracker.api import bp as api_bp
    from tracker.kiosk import bp as kiosk_bp
    from tracker.reports import bp as reports_bp
    from tracker.staff import bp as staff_bp

    config.load_config(app, test_config)
    clock.init_app(app, (test_config or {}).get("CLOCK"))
    extensions.init_app(app)
    rules_runtime.init_app(app)
    request_log.init_app(app)  # before auth, so refused requests are logged too
    security_headers.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    web.init_app(app)
    health.init_app(app)
    app.register_blueprint(kiosk_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(reports_bp)
    from tracker import cli

    cli.init_app(app)
    return app
