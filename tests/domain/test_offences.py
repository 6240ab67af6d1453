"""Offence categories, violence subtypes and the Manage Offences code lookup."""

from __future__ import annotations

import collections
import json
from pathlib import Path
from typing import Any

import pytest

from court_tui.domain.offences import (
    MatchKind,
    NotJsonError,
    OffenceDataError,
    empty_catalogue,
    load_offence_reference,
    parse_offence_mapping,
    parse_offence_reference,
    read_offence_mapping,
)
from court_tui.domain.rsr import OFFENCE_CATEGORIES, VIOLENCE_SUBTYPES

# Reference data the organisation supplies; never copied into the repository.
SHARED_MAPPING = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / ("offence-codes-actuarial.json")
)
needs_shared_mapping = pytest.mark.skipif(
    not SHARED_MAPPING.is_file(), reason="the Manage Offences mapping is not in ../shared/data"
)

# rsr.md: broadly violent, and never violent.
VIOLENT_CATEGORIES = {
    "violence_against_the_person",
    "acquisitive_violence",
    "public_order_and_harassment",
    "criminal_damage",
    "drunkenness",
}


def entry(actuarial: str, violent: bool, description: str = "An offence") -> dict[str, Any]:
    """One code's entry in the Manage Offences mapping format."""
    return {
        "parentGroupDescription": "A group",
        "categoryDescription": "A type",
        "subCategoryDescription": description,
        "actuarialCategory": actuarial,
        "flags": {"opdViolenceSex": False, "isViolentSanction": violent},
    }


SMALL_MAPPING = {
    "00000": entry("UNKNOWN", False, "Invalid Offence"),
    "06601": entry("PUBLIC_ORDER_AND_HARRASSMENT", True, "Affray"),
    "00514": entry("FIREARMS_MOST_SERIOUS", True, "Possession of firearms with intent"),
    "10501": entry("VIOLENCE_AGAINST_THE_PERSON_SUB_ABH", True, "Common  assault and battery"),
    "03000": entry("BURGLARY_DOMESTIC", False, "Burglary in a dwelling"),
    "05600": entry("CRIMINAL_DAMAGE", False, "Threat to damage property"),
}


# The categories and subtypes that ship with the app


def test_shipped_reference_has_the_model_categories_and_subtypes_in_order() -> None:
    reference = load_offence_reference()
    assert [c.name for c in reference.categories] == list(OFFENCE_CATEGORIES)
    assert [s.name for s in reference.subtypes] == list(VIOLENCE_SUBTYPES)
    assert all(c.title and c.description for c in (*reference.categories, *reference.subtypes))


def test_shipped_reference_says_what_is_violent_as_rsr_md_does() -> None:
    reference = load_offence_reference()
    assert {c.name for c in reference.categories if c.violent} == VIOLENT_CATEGORIES
    assert all(subtype.violent for subtype in reference.subtypes)


def test_reference_with_a_missing_category_is_refused() -> None:
    raw = json.loads(json.dumps(_reference_json()))
    raw["categories"] = raw["categories"][1:]
    with pytest.raises(OffenceDataError, match="missing: absconding_or_bail"):
        parse_offence_reference(json.dumps(raw))


def test_reference_entry_without_a_violent_flag_is_refused() -> None:
    raw = _reference_json()
    del raw["subtypes"][0]["violent"]
    with pytest.raises(OffenceDataError, match="true/false 'violent'"):
        parse_offence_reference(json.dumps(raw))


def test_reference_that_is_not_json_is_refused() -> None:
    with pytest.raises(OffenceDataError, match="not JSON"):
        parse_offence_reference("{")


def _reference_json() -> dict[str, Any]:
    reference = load_offence_reference()
    return {
        key: [
            {"name": e.name, "title": e.title, "description": e.description, "violent": e.violent}
            for e in entries
        ]
        for key, entries in (
            ("categories", reference.categories),
            ("subtypes", reference.subtypes),
        )
    }


# With nothing imported, the categories and subtypes are still there by name


def test_nothing_imported_still_finds_categories_and_subtypes() -> None:
    catalogue = empty_catalogue()
    assert catalogue.codes == {}
    assert len(catalogue.search("")) == 25
    arson = catalogue.search("arson")
    assert [(m.kind, m.category, m.violent) for m in arson] == [
        (MatchKind.CATEGORY, "criminal_damage", True)
    ]
    firearms = [m.subtype for m in catalogue.search("firearms") if m.kind is MatchKind.SUBTYPE]
    assert firearms == ["firearms_most_serious", "firearms_other", "weapons_non_firearm"]


def test_categories_are_found_by_their_model_name() -> None:
    matches = empty_catalogue().search("public_order_and_harassment")
    assert [m.category for m in matches] == ["public_order_and_harassment"]


def test_a_code_search_with_nothing_imported_finds_nothing() -> None:
    assert empty_catalogue().search("06601") == []


# Importing a Manage Offences mapping


def test_mapping_gives_category_subtype_and_violent_flag_per_code() -> None:
    catalogue = parse_offence_mapping(SMALL_MAPPING)
    assert catalogue.category_of("06601") == ("public_order_and_harassment", None)
    assert catalogue.category_of("00514") == (
        "violence_against_the_person",
        "firearms_most_serious",
    )
    assert catalogue.category_of("10501") == ("violence_against_the_person", "sub_abh")
    assert catalogue.category_of("00000") == (None, None)
    assert catalogue.category_of("99999") == (None, None)
    assert catalogue.violent_code_count == 3
    damage = catalogue.code("05600")
    assert damage is not None and damage.category == "criminal_damage" and not damage.violent
    assert catalogue.code(" 10501 ") is not None


def test_descriptions_lose_runs_of_spaces() -> None:
    catalogue = parse_offence_mapping(SMALL_MAPPING)
    offence = catalogue.code("10501")
    assert offence is not None and offence.description == "Common assault and battery"


def test_search_by_code_or_its_first_digits() -> None:
    catalogue = parse_offence_mapping(SMALL_MAPPING)
    assert [m.code for m in catalogue.search("06601")] == ["06601"]
    assert [m.code for m in catalogue.search("00")] == ["00000", "00514"]


def test_search_by_words_needs_every_word_in_any_case() -> None:
    catalogue = parse_offence_mapping(SMALL_MAPPING)
    codes = [m.code for m in catalogue.search("ASSAULT battery") if m.kind is MatchKind.CODE]
    assert codes == ["10501"]
    assert [m.code for m in catalogue.search("battery dwelling")] == []


def test_search_puts_categories_before_codes() -> None:
    catalogue = parse_offence_mapping(SMALL_MAPPING)
    kinds = [m.kind for m in catalogue.search("burglary")]
    assert kinds[0] is MatchKind.CATEGORY and kinds[-1] is MatchKind.CODE


def test_mapping_round_trips_through_its_own_format() -> None:
    catalogue = parse_offence_mapping(SMALL_MAPPING)
    assert parse_offence_mapping(catalogue.to_mapping()).codes == catalogue.codes


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([1, 2], "expected a JSON object keyed by 5-digit offence code, not an array"),
        ({}, "the mapping has no offence codes"),
        ({"6601": entry("DRUNKENNESS", True)}, "'6601' is not a 5-digit Home Office offence code"),
        ({"06601": "Affray"}, "offence 06601: must be an object"),
        ({"06601": entry("ROBBERY", True)}, "actuarialCategory 'ROBBERY' is not one court-tui"),
        ({"06601": {**entry("DRUNKENNESS", True), "flags": {}}}, "isViolentSanction"),
        (
            {"06601": {**entry("DRUNKENNESS", True), "actuarialCategory": None}},
            "'actuarialCategory' is missing",
        ),
        (
            {"06601": {**entry("DRUNKENNESS", True), "categoryDescription": 3}},
            "'categoryDescription' must be text",
        ),
    ],
)
def test_mapping_that_is_not_the_format_is_refused(raw: Any, message: str) -> None:
    with pytest.raises(OffenceDataError, match=message.replace("(", r"\(")):
        parse_offence_mapping(raw)


def test_mapping_that_is_not_json_is_refused_as_such() -> None:
    with pytest.raises(NotJsonError):
        read_offence_mapping(b"\xff\xfe not json")
    with pytest.raises(NotJsonError):
        read_offence_mapping("{")


# The real mapping, when the organisation's copy is at hand


@needs_shared_mapping
def test_shared_mapping_imports_every_code() -> None:
    catalogue = read_offence_mapping(SHARED_MAPPING.read_bytes())
    assert len(catalogue.codes) == 3039
    assert catalogue.violent_code_count == 634
    uncategorised = [code for code, o in catalogue.codes.items() if o.category is None]
    assert uncategorised == ["00000", "00001"]


@needs_shared_mapping
@pytest.mark.parametrize(
    ("code", "category", "subtype", "violent"),
    [
        ("06601", "public_order_and_harassment", None, True),  # affray
        ("10501", "violence_against_the_person", "sub_abh", True),  # common assault
        ("00101", "violence_against_the_person", "abh_plus", True),  # murder
        ("02900", "acquisitive_violence", None, True),  # aggravated burglary in a dwelling
        ("08610", "sexual_against_child", None, False),  # indecent photograph of a child
    ],
)
def test_shared_mapping_known_codes(
    code: str, category: str, subtype: str | None, violent: bool
) -> None:
    offence = read_offence_mapping(SHARED_MAPPING.read_bytes()).code(code)
    assert offence is not None
    assert (offence.category, offence.subtype, offence.violent) == (category, subtype, violent)


@needs_shared_mapping
def test_shipped_violent_flags_agree_with_most_codes_in_each_category() -> None:
    catalogue = read_offence_mapping(SHARED_MAPPING.read_bytes())
    reference = load_offence_reference()
    votes: dict[str, collections.Counter[bool]] = collections.defaultdict(collections.Counter)
    for offence in catalogue.codes.values():
        if offence.subtype:
            votes[offence.subtype][offence.violent] += 1
        elif offence.category:
            votes[offence.category][offence.violent] += 1
    for entry_ in (*reference.categories, *reference.subtypes):
        if entry_.name == "violence_against_the_person":
            continue  # its codes all carry a subtype, checked as subtypes
        assert votes[entry_.name].most_common(1)[0][0] is entry_.violent, entry_.name


def test_code_matches_are_the_imported_codes_alone() -> None:
    catalogue = parse_offence_mapping(SMALL_MAPPING)
    # "burglary" names categories too; only codes can fill in an offence code.
    assert [m.code for m in catalogue.code_matches("burglary")] == ["03000"]
    assert [m.code for m in catalogue.code_matches("05")] == ["05600"]
    assert empty_catalogue().code_matches("burglary") == []
