"""English and Spanish: which language a request is answered in, and the catalogs.

Every word a person reads goes through gettext: ``_("Propose a topic")`` in Python and in
templates (the Jinja2 i18n extension, new-style: ``{{ _("%(n)s marks left", n=left) }}`` escapes
its values), ``ngettext`` for plurals, and ``_l`` for words defined once at import time (enum
labels, error titles) that must be read in each request's language.

The language of a request (:func:`negotiate`): the attendee's own choice (the ``twofeet_lang``
cookie, set by one tap on any page), else the browser's ``Accept-Language``, else the event's main
language, else English. It lives in a context variable that holds a mutable :class:`Choice`, so a
dependency that runs in a worker thread (where the event is read) can still fill in the event's
language for the rest of the request.

The catalogs are ``app/locale/<lang>/LC_MESSAGES/*.po``, compiled when first read (no build step,
no ``.mo`` in the tree). English is the source language: it needs no catalog.
``tests/architecture/test_catalog.py`` fails when a message has no Spanish or a fuzzy one.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The interface's languages, the first being the source language and the last resort.
LOCALES = ("en", "es")
DEFAULT_LOCALE = "en"
#: Each language's own name, as its speakers write it (the switch shows the other's).
NATIVE_NAMES = {"en": "English", "es": "Español"}
LANG_COOKIE = "twofeet_lang"


@dataclass
class Choice:
    """The language of one request or socket; ``chosen`` when the person or their browser said so."""

    locale: str = DEFAULT_LOCALE
    chosen: bool = False


_current: ContextVar[Choice | None] = ContextVar("twofeet_locale", default=None)


def current() -> str:
    """The language the current request is answered in."""
    choice = _current.get()
    return choice.locale if choice is not None else DEFAULT_LOCALE


def chosen() -> bool:
    """Whether the person or their browser chose the current language (not the event's default)."""
    choice = _current.get()
    return choice is not None and choice.chosen


def begin(choice: Choice) -> Any:
    """Make ``choice`` the language of this context; returns the token :func:`end` takes."""
    return _current.set(choice)


def end(token: Any) -> None:
    _current.reset(token)


def fall_back_to(locale: str) -> None:
    """The event's main language, for a request whose person and browser did not choose one."""
    choice = _current.get()
    if choice is not None and not choice.chosen and locale in LOCALES:
        choice.locale = locale


@contextlib.contextmanager
def using(locale: str) -> Iterator[None]:
    """Render or word something in ``locale`` (a pushed fragment per language, a bilingual board)."""
    token = _current.set(Choice(locale if locale in LOCALES else DEFAULT_LOCALE, chosen=True))
    try:
        yield
    finally:
        _current.reset(token)


def parse_accept_language(header: str) -> list[str]:
    """The primary language tags of an ``Accept-Language`` header, most wanted first.

    >>> parse_accept_language("es-MX,es;q=0.9,en-US;q=0.8,en;q=0.7")
    ['es', 'es', 'en', 'en']
    >>> parse_accept_language("en;q=0.2, es")
    ['es', 'en']
    """
    wanted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().split("-")[0].lower()
        if primary and primary != "*" and quality > 0:
            wanted.append((-quality, index, primary))
    return [tag for _, _, tag in sorted(wanted)]


def negotiate(cookie: str | None, accept_language: str | None) -> Choice:
    """The language for a request: the person's choice, else their browser's, else (not chosen) English."""
    if cookie in LOCALES:
        return Choice(cookie, chosen=True)
    for tag in parse_accept_language(accept_language or ""):
        if tag in LOCALES:
            return Choice(tag, chosen=True)
    return Choice(DEFAULT_LOCALE, chosen=False)


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalog of ``locale`` (every ``.po`` of its folder, merged); English: none."""
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    merged: Translations | None = None
    for path in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as po:
            catalog = read_po(po, locale=locale)
        compiled = io.BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)  # a fuzzy entry is not a translation yet
        compiled.seek(0)
        part = Translations(compiled)
        merged = part if merged is None else merged.merge(part)
    return merged or NullTranslations()


def gettext(message: str) -> str:
    """``message`` in the current language (as written when the catalog lacks it)."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for ``n`` in the current language."""
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart from the same English in another ``context``."""
    return translations(current()).pgettext(context, message)


def lazy_gettext(message: str) -> LazyProxy:
    """A message worded in each reader's language when it is read, not when it is defined."""
    return LazyProxy(gettext, message, enable_cache=False)


def in_locale(message: str, locale: str) -> str:
    """``message`` in ``locale``, whatever the request's language (a bilingual board's "Ahora / Now")."""
    return translations(locale if locale in LOCALES else DEFAULT_LOCALE).gettext(message)


_ = gettext
_l = lazy_gettext
