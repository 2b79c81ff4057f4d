"""The message catalogs' upkeep: what the code asks to translate, and what the catalogs lack.

Used by ``tests/architecture/test_catalog.py`` (a message without Spanish, or with a fuzzy one,
fails the suite) and by ``twofeet messages`` (writes ``app/locale/messages.pot`` and brings
``es/LC_MESSAGES/messages.po`` up to date, keeping every translation already made). Nothing here
runs when the app serves: the catalogs are compiled when first read (``app/i18n.py``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from app.i18n import LOCALE_DIR, LOCALES

APP_DIR = Path(__file__).resolve().parent
#: The words the code asks gettext for: ``_``/``gettext`` and ``_l``/``lazy_gettext`` (one message),
#: ``ngettext`` (singular, plural), ``pgettext`` (context, message).
KEYWORDS: dict[str, tuple[int | tuple[int, str], ...] | None] = {
    "_": None,
    "gettext": None,
    "_l": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "bilingual": None,  # a shared screen's words (app/bilingual.py)
    "bilingual_n": (1, 2),
}
METHOD_MAP = [("templates/**.html", "jinja2"), ("templates/**.ics", "jinja2"), ("**.py", "python")]
OPTIONS_MAP = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}


@dataclass(frozen=True)
class Message:
    """One message the code uses: its id (a tuple for a plural), context, and where it is."""

    id: str | tuple[str, str]
    context: str | None
    locations: tuple[tuple[str, int], ...]
    # Used both counted (ngettext) and not (gettext): one catalog entry cannot serve both.
    mixed: bool = False

    @property
    def key(self) -> str:
        return self.id[0] if isinstance(self.id, tuple) else self.id


def extract() -> list[Message]:
    """Every message in ``app/`` (templates and Python), once, in the order first found."""
    found: dict[tuple[str, str | None], Message] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(APP_DIR), method_map=METHOD_MAP, options_map=OPTIONS_MAP, keywords=KEYWORDS
    ):
        msgid = (message[0], message[1]) if isinstance(message, tuple | list) else message
        key = (msgid[0] if isinstance(msgid, tuple) else msgid, context)
        if not key[0]:
            continue
        known = found.get(key)
        where = ((filename, lineno),)
        mixed = known is not None and (known.mixed or isinstance(known.id, str) != isinstance(msgid, str))
        found[key] = Message(msgid, context, (known.locations if known else ()) + where, mixed)
    return list(found.values())


def po_files(locale: str) -> list[Path]:
    return sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po"))


def read_catalogs(locale: str) -> Iterator[tuple[Path, Catalog]]:
    for path in po_files(locale):
        with path.open("rb") as po:
            yield path, read_po(po, locale=locale)


@dataclass(frozen=True)
class Gap:
    """A message a catalog does not translate (yet): missing, empty, or fuzzy."""

    message: Message
    why: str

    def __str__(self) -> str:
        where = ", ".join(f"{f}:{n}" for f, n in self.message.locations[:3])
        return f"{self.message.key!r} ({self.why}; {where})"


def gaps(locale: str, messages: list[Message] | None = None) -> list[Gap]:
    """The messages the code uses that ``locale``'s catalogs leave untranslated or fuzzy."""
    entries: dict[tuple[str, str | None], tuple[bool, object]] = {}
    for _path, catalog in read_catalogs(locale):
        for entry in catalog:
            if not entry.id:
                continue
            key = (entry.id[0] if isinstance(entry.id, tuple | list) else entry.id, entry.context)
            done = bool(entry.string) and (
                all(entry.string) if isinstance(entry.string, tuple | list) else bool(entry.string)
            )
            # A later part that translates a message wins over one that leaves it empty.
            if key not in entries or done:
                entries[key] = (entry.fuzzy, entry.string if done else None)
    missing = []
    for message in extract() if messages is None else messages:
        found = entries.get((message.key, message.context))
        if message.mixed:
            missing.append(Gap(message, "used both counted and not: give one of them a context"))
        elif found is None:
            missing.append(Gap(message, "missing"))
        elif found[0]:
            missing.append(Gap(message, "fuzzy"))
        elif found[1] is None:
            missing.append(Gap(message, "empty"))
    return missing


def new_catalog(locale: str) -> Catalog:
    """An empty catalog with our header: Spanish plurals as translators write them (one, other)."""
    catalog = Catalog(
        locale=locale,
        project="Two Feet",
        copyright_holder="the Two Feet contributors",
        language_team="Two Feet <https://github.com/two-feet>",
        last_translator="Two Feet contributors",
        charset="utf-8",
        fuzzy=False,
    )
    # CLDR adds a "many" form for exact millions; nobody counts a million marks at an Edcamp.
    catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS)]
    return catalog


PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


def template(messages: list[Message], locale: str = "es") -> Catalog:
    """A catalog of ``messages`` (the ``.pot``)."""
    catalog = new_catalog(locale)
    for message in messages:
        catalog.add(message.id, locations=message.locations, context=message.context)
    return catalog


def update(locale: str = "es") -> tuple[Path, int]:
    """Write ``messages.pot`` and merge every part of ``locale`` into its ``messages.po``.

    Keeps each translation already made (from any ``.po`` of the folder), adds new messages empty,
    drops messages the code no longer uses, and removes the other parts. Returns the file and how
    many messages it still lacks.
    """
    assert locale in LOCALES and locale != LOCALES[0]
    messages = extract()
    pot = template(messages, locale)
    with (LOCALE_DIR / "messages.pot").open("wb") as out:
        write_po(out, pot, width=100, omit_header=False, sort_output=False)
    known: dict[tuple[str, str | None], str | tuple[str, ...]] = {}
    parts = list(read_catalogs(locale))
    for _path, catalog in parts:
        for entry in catalog:
            if entry.id and entry.string and not entry.fuzzy:
                key = (entry.id[0] if isinstance(entry.id, tuple | list) else entry.id, entry.context)
                known[key] = (
                    tuple(entry.string) if isinstance(entry.string, list) else entry.string
                )  # a later part wins, as when loaded
    merged = new_catalog(locale)
    for message in messages:
        string = known.get((message.key, message.context), "")
        if isinstance(message.id, str) != isinstance(string, str):  # the code made it (or stopped it being) counted
            string = "" if isinstance(message.id, str) else ("", "")
        merged.add(message.id, string, locations=message.locations, context=message.context)
    target = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    buffer = io.BytesIO()
    write_po(buffer, merged, width=100, sort_output=False)
    target.write_bytes(buffer.getvalue())
    for path, _catalog in parts:
        if path != target:
            path.unlink()
    return target, len(gaps(locale, messages))
