"""Kiosk languages: Flask-Babel, with the choice kept in a cookie on the kiosk terminal.

Only kiosk pages are translated; staff pages and the API stay in English. The compiled
catalogues (``tracker/translations/*/LC_MESSAGES/messages.mo``) are committed beside their
``.po`` files, so a fresh ``pip install -e .`` runs without a build step; a test fails when a
``.mo`` no longer matches its ``.po``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from flask_babel import Babel, format_datetime, get_locale

from tracker.clock import local

# Code -> the language's name in that language (as shown on the switch).
LANGUAGES: dict[str, str] = {"en": "English", "pl": "Polski", "ro": "Română", "sq": "Shqip"}
LANG_COOKIE = "kiosk_lang"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"

babel = Babel()


def is_kiosk_request() -> bool:
    """Kiosk pages, including the kiosk's error pages."""
    return request.blueprint == "kiosk" or request.path.startswith("/kiosk")


def select_locale() -> str:
    """The kiosk terminal's chosen language; English everywhere else."""
    if is_kiosk_request():
        chosen = request.cookies.get(LANG_COOKIE, "")
        if chosen in LANGUAGES:
            return chosen
    return "en"


def current_language() -> str:
    """The language code of the page being built ('en' outside a request)."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def kiosk_time(dt: object) -> str:
    """A stored UTC time in Europe/London, with day and month names in the page's language."""
    shown = local(dt)  # type: ignore[arg-type]
    if shown is None:
        return ""
    return format_datetime(shown.replace(tzinfo=None), "EEE d MMM y, HH:mm", rebase=False)


def init_app(app: Flask) -> None:
    """Bind Flask-Babel to the app and give templates the language list."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(TRANSLATIONS))
    app.jinja_env.filters["kiosk_time"] = kiosk_time
    app.jinja_env.globals.update(languages=LANGUAGES, current_language=current_language)
