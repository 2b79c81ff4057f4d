"""Catalog hygiene: every word a person reads is in English and Spanish, and none hides outside gettext.

- Every message the code asks gettext for (templates and Python) has a Spanish translation that is
  neither empty nor fuzzy, with the same placeholders.
- A template holds no user-visible English outside a translation call: no text between tags, no
  ``title``/``aria-label``/``placeholder``/``alt``/button value, no capitalised phrase in a Jinja
  string literal.
- A refusal (``InvalidInput``, ``Conflict``, ``FieldError``...) is never raised with an English
  literal: its message goes through ``_()``.
- No message is used both counted (``ngettext``) and not: one catalog entry cannot serve both.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app import catalog
from app.i18n import LOCALES

APP = Path(catalog.APP_DIR)
TEMPLATES = APP / "templates"


# Words that are the same in both languages: names, abbreviations, units.
SAME_IN_BOTH = re.compile(r"^(Two Feet|EdTalks?|QR|ASL|iCal|CSV|JSON|API|OK|PDF|URL|HH:MM|Edcamp|Español|English)$")


def _all_templates() -> list[str]:
    return sorted(str(p.relative_to(APP)) for p in TEMPLATES.rglob("*.html"))


def _all_modules() -> list[str]:
    return sorted(str(p.relative_to(APP)) for p in APP.rglob("*.py"))


def test_every_message_has_spanish() -> None:
    gaps = catalog.gaps("es")
    assert not gaps, f"{len(gaps)} messages lack Spanish:\n" + "\n".join(map(str, gaps[:40]))


def test_no_translation_is_fuzzy_and_placeholders_match() -> None:
    problems = []
    for path, parsed in catalog.read_catalogs("es"):
        for entry in parsed:
            if not entry.id:
                continue
            ids = entry.id if isinstance(entry.id, tuple | list) else (entry.id,)
            strings = entry.string if isinstance(entry.string, tuple | list) else (entry.string,)
            if entry.fuzzy:
                problems.append(f"{path.name}: fuzzy {ids[0]!r}")
            wanted = _placeholders(ids[-1]) | _placeholders(ids[0])
            for string in strings:
                if string and _placeholders(string) - wanted:
                    problems.append(f"{path.name}: {ids[0]!r} -> {string!r} names another placeholder")
                if string and not _placeholders(string) >= _placeholders(ids[0]) - {"%(num)d", "%(n)s", "%(n)d"}:
                    problems.append(f"{path.name}: {ids[0]!r} -> {string!r} drops a placeholder")
    assert not problems, "\n".join(problems[:40])


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)[sd]|\{\w+\}", text))


def test_catalog_languages_are_the_interface_languages() -> None:
    assert LOCALES == ("en", "es")
    assert catalog.po_files("es"), "the Spanish catalog is missing"


# -- templates -------------------------------------------------------------------------------------

_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_TRANS_BLOCK = re.compile(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", re.S)
_JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_STRING = re.compile(r"""(?P<before>[\w.]*\(\s*|,\s*|)(?P<q>["'])(?P<text>(?:(?!(?P=q)).)*)(?P=q)""", re.S)
_TRANSLATED_CALL = re.compile(r"(^|[^\w.])(_|gettext|ngettext|pgettext|in_locale|bilingual|bilingual_n)\(\s*$")
_TEXT_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description", "aria-roledescription"}


class _Text(HTMLParser):
    """Collects text between tags and text attributes, outside ``<script>`` and ``<style>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        values = dict(attrs)
        for name, value in attrs:
            if value and (
                name in _TEXT_ATTRIBUTES or (name == "value" and values.get("type") in ("submit", "button", "reset"))
            ):
                self.found.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.found.append(data)


def _english(text: str) -> bool:
    words = re.sub(r"\x00", " ", text).strip(" \n\t·–—|/()[]:;,.!?•×+-=#*&")
    if not re.search(r"[A-Za-z]{2,}", words) or re.fullmatch(r"[a-z][a-z0-9_-]*", words):  # a CSS class
        return False
    return not SAME_IN_BOTH.match(words.strip())


def english_in_template(source: str) -> list[str]:
    """The user-visible English of a template outside translation calls."""
    source = _JINJA_COMMENT.sub("", source)
    source = _TRANS_BLOCK.sub("\x00", source)
    found = []
    for tag in _JINJA_TAG.findall(source):
        for literal in _STRING.finditer(tag):
            text = literal.group("text")
            preceding = tag[: literal.start("q")]
            # (A message's own placeholders, ``%(num)d``, are no parentheses of the template's.)
            if _TRANSLATED_CALL.search(preceding) or re.search(
                r"(_|gettext|pgettext)\((?:[^()]|%\(\w+\)[sd])*$", preceding
            ):
                continue
            # A capitalised phrase, or a sentence, in a string literal: a label that skipped gettext.
            if re.match(r"^[A-Z][a-z]+( [A-Za-z]|[.!?:]?$)", text) or re.search(r"[a-z] [a-z]+[.!?]$", text):
                found.append(f"literal {text!r}")
    parser = _Text()
    # A statement may sit inside a tag (``<body{% if x %} hx-headers=...{% endif %}>``): it goes.
    parser.feed(_JINJA_TAG.sub(lambda m: "" if m.group().startswith("{%") else "\x00", source))
    found += [f"text {t.strip()!r}" for t in parser.found if _english(t)]
    return found


@pytest.mark.parametrize("name", _all_templates())
def test_template_has_no_english_outside_translation(name: str) -> None:
    found = english_in_template((APP / name).read_text())
    assert not found, f"{name}: " + "; ".join(found[:20])


def test_a_message_used_both_counted_and_not_is_a_gap() -> None:
    counted = catalog.Message(("a teacher", "{count} teachers"), None, (("x.py", 1),), mixed=True)
    assert [gap.why.split(":")[0] for gap in catalog.gaps("es", [counted])] == ["used both counted and not"]


def test_the_template_check_finds_english() -> None:
    assert english_in_template("<p>Propose a topic</p>") == ["text 'Propose a topic'"]
    assert english_in_template('<input placeholder="Your name">') == ["text 'Your name'"]
    assert english_in_template("{{ 'Room for more' if x }}") == ["literal 'Room for more'"]
    assert english_in_template("<p>{{ _('Propose a topic') }}</p>") == []
    assert english_in_template("<p>{% trans %}Hello{% endtrans %} · {{ n }}</p>") == []
    assert english_in_template("<div class=\"{{ 'card marked' if m }}\">Two Feet</div>") == []
    assert english_in_template("{{ ngettext('%(num)d mark', '%(num)d marks', n) }}") == []


# -- Python ----------------------------------------------------------------------------------------

REFUSALS = {
    "DomainError",
    "InvalidInput",
    "NotFound",
    "NotAllowed",
    "NotAuthenticated",
    "WrongPhase",
    "BudgetExhausted",
    "Conflict",
    "TooBusy",
}


def english_refusals(source: str) -> list[str]:
    """Refusals raised with an English literal (or f-string) instead of a translated message."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name in REFUSALS:
            message = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "message"), None)
        elif name == "FieldError":
            message = (
                node.args[1]
                if len(node.args) > 1
                else next((k.value for k in node.keywords if k.arg == "message"), None)
            )
        else:
            continue
        if isinstance(message, ast.JoinedStr) or (
            isinstance(message, ast.Constant) and isinstance(message.value, str) and message.value
        ):
            found.append(f"line {node.lineno}: {name}({ast.unparse(message)[:60]})")
    return found


@pytest.mark.parametrize("name", _all_modules())
def test_refusals_go_through_gettext(name: str) -> None:
    found = english_refusals((APP / name).read_text())
    assert not found, f"{name}: " + "; ".join(found[:20])
