"""Offence categories, violence subtypes and the Home Office offence-code lookup.

Court staff told the inspectors they were unclear about what counts as a violent offence,
and the RSR counts violent sanctions, so the lookup answers that plainly for a code (the
Manage Offences `isViolentSanction` flag) and for a category by name. The categories and
subtypes ship with the app; the code mapping is reference data the organisation supplies
and is imported, never bundled.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from court_tui.domain.rsr.inputs import (
    OFFENCE_CATEGORIES,
    VIOLENCE_AGAINST_THE_PERSON,
    VIOLENCE_SUBTYPES,
)
from court_tui.resources import data_dir

CATEGORIES_FILE = "offence-categories.json"
OFFENCE_CODE = re.compile(r"\d{5}")

# Manage Offences names the five violence subtypes as categories of their own, and spells
# one category its own way; every other actuarial category is the RSR name in capitals.
_SUBTYPE_CATEGORIES = {
    "FIREARMS_MOST_SERIOUS": "firearms_most_serious",
    "FIREARMS_OTHER": "firearms_other",
    "WEAPONS_NON_FIREARM": "weapons_non_firearm",
    "VIOLENCE_AGAINST_THE_PERSON_ABH_PLUS": "abh_plus",
    "VIOLENCE_AGAINST_THE_PERSON_SUB_ABH": "sub_abh",
}
_ACTUARIAL_CATEGORIES: Mapping[str, tuple[str | None, str | None]] = MappingProxyType(
    {
        **{name.upper(): (name, None) for name in OFFENCE_CATEGORIES},
        "PUBLIC_ORDER_AND_HARRASSMENT": ("public_order_and_harassment", None),
        **{
            actuarial: (VIOLENCE_AGAINST_THE_PERSON, subtype)
            for actuarial, subtype in _SUBTYPE_CATEGORIES.items()
        },
        "UNKNOWN": (None, None),
    }
)


# What to do when no offence codes are loaded, wherever the officer meets that.
IMPORT_CODES_ADVICE = (
    "No offence codes are loaded. Import a Manage Offences actuarial mapping with "
    "`court-tui offences import FILE`."
)


class OffenceDataError(ValueError):
    """Offence reference data that cannot be used; the message says what is wrong."""


class NotJsonError(OffenceDataError):
    """The file given is not JSON at all."""


class MatchKind(StrEnum):
    """What a search result is."""

    CATEGORY = "category"
    SUBTYPE = "subtype"
    CODE = "code"


@dataclass(frozen=True, slots=True)
class OffenceCategory:
    """One of the 20 RSR offence categories, or one of the 5 violence subtypes."""

    name: str
    title: str
    description: str
    violent: bool


@dataclass(frozen=True, slots=True)
class OffenceCode:
    """One Home Office offence code as Manage Offences classifies it."""

    code: str
    description: str
    offence_group: str
    offence_type: str
    actuarial_category: str
    category: str | None
    subtype: str | None
    violent: bool


@dataclass(frozen=True, slots=True)
class OffenceMatch:
    """One search result: a code, a category or a subtype, with whether it is violent."""

    kind: MatchKind
    code: str | None
    description: str
    category: str | None
    subtype: str | None
    violent: bool


@dataclass(frozen=True, slots=True)
class OffenceReference:
    """The categories and subtypes, by name, with plain descriptions."""

    categories: tuple[OffenceCategory, ...]
    subtypes: tuple[OffenceCategory, ...]

    def category(self, name: str) -> OffenceCategory:
        """The category called NAME."""
        for category in self.categories:
            if category.name == name:
                return category
        raise KeyError(name)

    def subtype(self, name: str) -> OffenceCategory:
        """The violence subtype called NAME."""
        for subtype in self.subtypes:
            if subtype.name == name:
                return subtype
        raise KeyError(name)


def _entries(
    raw: Any, key: str, expected: tuple[str, ...], where: str
) -> tuple[OffenceCategory, ...]:
    items = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise OffenceDataError(f"{where}: '{key}' must be a list")
    entries: list[OffenceCategory] = []
    for item in items:
        if not (
            isinstance(item, dict)
            and all(isinstance(item.get(k), str) for k in ("name", "title", "description"))
            and isinstance(item.get("violent"), bool)
        ):
            raise OffenceDataError(
                f"{where}: each of '{key}' needs text name, title and description and a "
                "true/false 'violent'"
            )
        entries.append(
            OffenceCategory(item["name"], item["title"], item["description"], item["violent"])
        )
    names = [entry.name for entry in entries]
    if sorted(names) != sorted(expected):
        missing = sorted(set(expected) - set(names))
        extra = sorted(set(names) - set(expected))
        raise OffenceDataError(
            f"{where}: '{key}' must name each of the model's {len(expected)} exactly once "
            f"(missing: {', '.join(missing) or 'none'}; not in the model or repeated: "
            f"{', '.join(extra) or ', '.join(n for n in names if names.count(n) > 1)})"
        )
    order = {name: index for index, name in enumerate(expected)}
    return tuple(sorted(entries, key=lambda entry: order[entry.name]))


def parse_offence_reference(text: str, where: str = CATEGORIES_FILE) -> OffenceReference:
    """The categories file's TEXT, checked against the model's category and subtype names."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OffenceDataError(f"{where}: not JSON: {exc}") from None
    return OffenceReference(
        categories=_entries(raw, "categories", OFFENCE_CATEGORIES, where),
        subtypes=_entries(raw, "subtypes", VIOLENCE_SUBTYPES, where),
    )


def load_offence_reference(path: Path | None = None) -> OffenceReference:
    """The shipped categories and subtypes (or those in the file at PATH)."""
    return _load_reference_cached(path or data_dir() / CATEGORIES_FILE)


@cache
def _load_reference_cached(path: Path) -> OffenceReference:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OffenceDataError(f"{path.name}: cannot be read: {exc}") from None
    return parse_offence_reference(text, path.name)


def _plain(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> str:
    return _plain(text.replace("_", " ")).casefold()


@dataclass(frozen=True)
class OffenceCatalogue:
    """The categories and subtypes, and the offence codes imported (none until an import)."""

    reference: OffenceReference
    codes: Mapping[str, OffenceCode] = field(default_factory=dict)
    _haystacks: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def code(self, code: str) -> OffenceCode | None:
        """The offence with Home Office CODE, if it was imported."""
        return self.codes.get(code.strip())

    @property
    def violent_code_count(self) -> int:
        """How many imported codes count as violent sanctions."""
        return sum(1 for offence in self.codes.values() if offence.violent)

    def category_of(self, code: str) -> tuple[str | None, str | None]:
        """The RSR category and violence subtype for CODE; (None, None) when unknown."""
        offence = self.code(code)
        if offence is None:
            return None, None
        return offence.category, offence.subtype

    def to_mapping(self) -> dict[str, dict[str, Any]]:
        """The imported codes in the Manage Offences mapping format they were read from."""
        return {
            code: {
                "parentGroupDescription": offence.offence_group,
                "categoryDescription": offence.offence_type,
                "subCategoryDescription": offence.description,
                "actuarialCategory": offence.actuarial_category,
                "flags": {"isViolentSanction": offence.violent},
            }
            for code, offence in sorted(self.codes.items())
        }

    def search(self, text: str) -> list[OffenceMatch]:
        """Categories, subtypes and codes matching TEXT (a code or its start, or words)."""
        query = text.strip()
        if not query:
            return self._reference_matches(lambda _: True)
        if query.isdigit():
            return [
                _code_match(self.codes[code])
                for code in sorted(self.codes)
                if code.startswith(query)
            ]
        words = _words(query).split()

        def matches(haystack: str) -> bool:
            return all(word in haystack for word in words)

        found = self._reference_matches(
            lambda entry: matches(_words(f"{entry.name} {entry.title} {entry.description}"))
        )
        found.extend(
            _code_match(self.codes[code])
            for code in sorted(self.codes)
            if matches(self._haystack(self.codes[code]))
        )
        return found

    def code_matches(self, text: str) -> list[OffenceMatch]:
        """The imported offence codes matching TEXT (a code or its start, or words)."""
        return [match for match in self.search(text) if match.kind is MatchKind.CODE]

    def _haystack(self, offence: OffenceCode) -> str:
        haystack = self._haystacks.get(offence.code)
        if haystack is None:
            haystack = _words(
                " ".join(
                    (
                        offence.code,
                        offence.description,
                        offence.offence_group,
                        offence.offence_type,
                        offence.category or "",
                        offence.subtype or "",
                    )
                )
            )
            self._haystacks[offence.code] = haystack
        return haystack

    def _reference_matches(self, keep: Callable[[OffenceCategory], bool]) -> list[OffenceMatch]:
        found = [
            OffenceMatch(MatchKind.CATEGORY, None, c.title, c.name, None, c.violent)
            for c in self.reference.categories
            if keep(c)
        ]
        found.extend(
            OffenceMatch(
                MatchKind.SUBTYPE, None, s.title, VIOLENCE_AGAINST_THE_PERSON, s.name, s.violent
            )
            for s in self.reference.subtypes
            if keep(s)
        )
        return found


def _code_match(offence: OffenceCode) -> OffenceMatch:
    return OffenceMatch(
        MatchKind.CODE,
        offence.code,
        offence.description,
        offence.category,
        offence.subtype,
        offence.violent,
    )


def _offence_code(code: Any, raw: Any) -> OffenceCode:
    if not isinstance(code, str) or not OFFENCE_CODE.fullmatch(code):
        raise OffenceDataError(f"'{code}' is not a 5-digit Home Office offence code")
    if not isinstance(raw, dict):
        raise OffenceDataError(f"offence {code}: must be an object")
    texts: dict[str, str] = {}
    for key in ("subCategoryDescription", "categoryDescription", "parentGroupDescription"):
        value = raw.get(key, "")
        if not isinstance(value, str):
            raise OffenceDataError(f"offence {code}: '{key}' must be text")
        texts[key] = _plain(value)
    actuarial = raw.get("actuarialCategory")
    if not isinstance(actuarial, str):
        raise OffenceDataError(f"offence {code}: 'actuarialCategory' is missing")
    if actuarial not in _ACTUARIAL_CATEGORIES:
        raise OffenceDataError(
            f"offence {code}: actuarialCategory '{actuarial}' is not one court-tui knows"
        )
    flags = raw.get("flags")
    violent = flags.get("isViolentSanction") if isinstance(flags, dict) else None
    if not isinstance(violent, bool):
        raise OffenceDataError(f"offence {code}: 'flags.isViolentSanction' must be true or false")
    category, subtype = _ACTUARIAL_CATEGORIES[actuarial]
    return OffenceCode(
        code=code,
        description=texts["subCategoryDescription"] or texts["categoryDescription"],
        offence_group=texts["parentGroupDescription"],
        offence_type=texts["categoryDescription"],
        actuarial_category=actuarial,
        category=category,
        subtype=subtype,
        violent=violent,
    )


def parse_offence_mapping(
    raw: object, reference: OffenceReference | None = None
) -> OffenceCatalogue:
    """A Manage Offences actuarial mapping (decoded JSON, keyed by code) as a catalogue."""
    if not isinstance(raw, dict):
        kind = "an array" if isinstance(raw, list) else f"{json.dumps(raw)[:20]}"
        raise OffenceDataError(f"expected a JSON object keyed by 5-digit offence code, not {kind}")
    if not raw:
        raise OffenceDataError("the mapping has no offence codes")
    codes = {code: _offence_code(code, entry) for code, entry in raw.items()}
    return OffenceCatalogue(reference or load_offence_reference(), MappingProxyType(codes))


def read_offence_mapping(
    data: str | bytes, reference: OffenceReference | None = None
) -> OffenceCatalogue:
    """The mapping file's contents DATA as a catalogue; raises NotJsonError or OffenceDataError."""
    try:
        raw = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise NotJsonError(f"not JSON: {exc}") from None
    return parse_offence_mapping(raw, reference)


def empty_catalogue(reference: OffenceReference | None = None) -> OffenceCatalogue:
    """The categories and subtypes alone, as before any import."""
    return OffenceCatalogue(reference or load_offence_reference())
