"""Languages of the pages: nb, nn, da and en, through Flask-Babel.

Texts live in gettext catalogues under medsam_match/translations (the
message ids are the English texts; `make install` compiles them, see
docs/translations.md). This module picks a request's language and writes
dates and times the way each language does.

The language of a page is, first, the one its user picked with the switch;
then the municipality's locale; then the browser's Accept-Language; and
bokmål when nothing fits. Each page family (the volunteers' /my/, the staff
workspace) sets `g.language` in its before-request hook; Flask-Babel's
locale selector reads it.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g, has_request_context, request
from flask_babel import Babel, pgettext

# The languages and how dates, times and roles are written: a module of its
# own (medsam_match/language.py), so the services use it without the web.
from ..language import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    LANGUAGES,
    choose_language,
    clock,
    current_language,
    date_text,
    normalise,
    role_name,
    upper_first,
    when,
    when_parts,
)

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


def _select_locale() -> str:
    if not has_request_context():
        return DEFAULT_LANGUAGE
    chosen = g.get("language")
    if chosen in LANGUAGES:
        return str(chosen)
    return choose_language(None, None, request.accept_languages.values())


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=_select_locale,
          default_translation_directories=str(TRANSLATIONS_DIR),
          default_locale=DEFAULT_LANGUAGE)
    app.jinja_env.globals.update(
        when=when, when_parts=when_parts, date_text=date_text, clock=clock,
        role_name=role_name, LANGUAGES=LANGUAGES, LANGUAGE_NAMES=LANGUAGE_NAMES,
    )
    app.jinja_env.filters["upper_first"] = upper_first


__all__ = ["LANGUAGES", "LANGUAGE_NAMES", "choose_language", "clock", "current_language",
           "date_text", "init_app", "normalise", "pgettext", "role_name", "when", "when_parts"]
