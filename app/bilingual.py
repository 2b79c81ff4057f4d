"""The words of screens everyone shares (the projector board, a door, the printed board and signs).

On a bilingual event (``event.bilingual``) each of the screen's own words is shown in both
languages, the event's main language first: ``<span lang="es">Ahora</span><span class="bi-2"> /
<span lang="en">Now</span></span>``; the second one smaller and dimmer (``board.css``,
``print.css``), so a projector stays readable from the back of the room. User-written text (titles,
names) is never translated, so it stays as written. On any other event it is plain gettext.

Templates call ``bilingual("Now")`` and ``bilingual_n("%(num)s topic", "%(num)s topics", n)`` with
the same ``%(name)s`` placeholders as ``_()`` (values are escaped); both are gettext keywords of
``app/catalog.py``, so their messages need Spanish like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup, escape

from app import i18n


def languages(event: Any) -> tuple[str, ...]:
    """The languages a shared screen of ``event`` speaks, main first; one unless it is bilingual."""
    if event is None or not getattr(event, "bilingual", False):
        return (i18n.current(),)
    main = event.language if event.language in i18n.LOCALES else i18n.DEFAULT_LOCALE
    return (main, *(code for code in i18n.LOCALES if code != main))


def _words(context: Any, word: Callable[[str], str], values: dict[str, Any]) -> Markup:
    spoken = languages(context.get("event"))
    parts = [Markup(word(code)) % {k: escape(v) for k, v in values.items()} for code in spoken]
    if len(parts) == 1:
        return parts[0]
    first = Markup('<span lang="{}">{}</span>').format(spoken[0], parts[0])
    rest = Markup("").join(
        Markup(' / <span lang="{}">{}</span>').format(c, p) for c, p in zip(spoken[1:], parts[1:], strict=True)
    )
    return first + Markup('<span class="bi-2">{}</span>').format(rest)


@pass_context
def bilingual(context: Any, message: str, **values: Any) -> Markup:
    """``message`` in the screen's language, or in both on a bilingual event."""
    return _words(context, lambda code: i18n.in_locale(message, code), values)


@pass_context
def bilingual_n(context: Any, singular: str, plural: str, n: int, **values: Any) -> Markup:
    """A counted message (``%(num)s`` is ``n`` unless given) in the screen's language, or in both."""
    values.setdefault("num", n)

    def word(code: str) -> str:
        return i18n.translations(code if code in i18n.LOCALES else i18n.DEFAULT_LOCALE).ngettext(singular, plural, n)

    return _words(context, word, values)
