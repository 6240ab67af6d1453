"""Every field id that Python names exists in the loaded forms, so renaming an id in a form
file fails here instead of silently turning a rule, an export column or a screen off."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import court_tui
from court_tui.domain import fields
from court_tui.domain.case import CheckRequest
from court_tui.domain.forms import FormSet, load_forms
from court_tui.store import tables

SOURCE = Path(court_tui.__file__).parent

# Which form file each group of the vocabulary names ids of.
GROUP_FORMS: dict[type, str] = {
    fields.Case: "case",
    fields.Report: "report",
    fields.Rosh: "rosh",
    fields.Rsr: "rsr",
    fields.RsrCalculator: "rsr_calculator",
    fields.Cas: "cas",
    fields.Check: "checks",
}

FIELD_SHAPE = re.compile(r"[a-z][a-z0-9_]*")
CHECK_FIELD_SHAPE = re.compile(r"checks\.([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)")
# Calls whose string argument is a question id: record.answer("crn"), forms.question(...),
# a screen's field_widget("rsr_score"), helpers such as _answer(record, forms, "rosh_level").
FIELD_CALLS = frozenset({"answer", "question", "field_widget", "answer_with", "text_answer"})
# Arguments that say a call is reading answers, so its string argument is a question id.
ANSWER_HOLDERS = frozenset({"answers", "record"})


@pytest.fixture(scope="module")
def forms() -> FormSet:
    return load_forms()


def _named(group: type) -> dict[str, str]:
    return {name: value for name, value in vars(group).items() if name.isupper()}


def test_every_id_in_the_vocabulary_is_in_its_form(forms: FormSet) -> None:
    for group, form_id in GROUP_FORMS.items():
        form = next(f for f in forms.forms if f.id == form_id)
        asked = {q.id for q in form.questions}
        for name, value in _named(group).items():
            assert value in asked, f"fields.{group.__name__}.{name} = {value!r}: not in {form_id}"


def test_sections_and_forms_are_those_loaded(forms: FormSet) -> None:
    assert set(_named(fields.Sections).values()) == {s.id for s in forms.sections}
    form_ids = {f.id for f in forms.forms}
    assert set(_named(fields.Forms).values()) <= form_ids


def test_check_fields_name_a_kind_and_a_checks_form_question(forms: FormSet) -> None:
    kind = forms.check_kinds()[0].id
    field = fields.check_field(kind, fields.Check.REQUESTED)
    assert field == f"checks.{kind}.requested"
    assert fields.split_check_field(field) == (kind, fields.Check.REQUESTED)
    assert fields.split_check_field(fields.Case.CRN) is None
    assert fields.split_check_field("checks.") is None
    assert fields.CHECK_FOLLOW_UP not in forms.questions


def test_a_check_has_one_set_of_fields_in_form_record_and_table(forms: FormSet) -> None:
    asked = [q.id for q in forms.check_form().questions]
    assert list(CheckRequest.model_fields) == asked
    assert list(_named(fields.Check).values()) == asked
    table = tables.CHECKS
    columns = [c.name for c in table.columns if c.name not in ("case_id", "kind", "status")]
    assert columns == asked


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _holds_answers(node: ast.expr) -> bool:
    return _dotted(node).rsplit(".", 1)[-1] in ANSWER_HOLDERS


def _text(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _field_literals(tree: ast.AST) -> Iterator[tuple[int, str | None]]:
    """String literals used as a question id: the key of an answers mapping, the argument
    of a call that reads an answer, the id compared with a question's, or a check's field."""
    for node in ast.walk(tree):
        text = _text(node)
        if text is not None and CHECK_FIELD_SHAPE.fullmatch(text):
            yield getattr(node, "lineno", 0), text
        found: list[ast.AST | None] = []
        if isinstance(node, ast.Subscript) and _holds_answers(node.value):
            found.append(node.slice)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else _dotted(func)
            if isinstance(func, ast.Attribute) and func.attr in ("get", "pop", "setdefault"):
                if _holds_answers(func.value) and node.args:
                    found.append(node.args[0])
            elif name.lstrip("_") in FIELD_CALLS or any(_holds_answers(a) for a in node.args):
                found.extend(a for a in node.args if _text(a) is not None)
            found.extend(
                key
                for keyword in node.keywords
                if keyword.arg == "answers" and isinstance(keyword.value, ast.Dict)
                for key in keyword.value.keys
            )
        elif isinstance(node, ast.Compare) and len(node.ops) == 1:
            left, right = node.left, node.comparators[0]
            if isinstance(node.ops[0], ast.In | ast.NotIn) and _holds_answers(right):
                found.append(left)
            for one, other in ((left, right), (right, left)):
                if _dotted(one) in ("q.id", "question.id"):
                    found.append(other)
        elif isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_holds_answers(t) for t in targets):
                found.extend(node.value.keys)
        for item in found:
            if item is None:
                continue
            text = _text(item)
            if text is None:
                yield getattr(item, "lineno", 0), None  # read through a name: counted only
            elif FIELD_SHAPE.fullmatch(text):
                yield getattr(item, "lineno", 0), text


def _unknown(text: str, forms: FormSet) -> bool:
    check = CHECK_FIELD_SHAPE.fullmatch(text)
    if check is None:
        return text not in forms.questions
    kinds = {kind.id for kind in forms.check_kinds()}
    asked = {q.id for q in forms.check_form().questions} | {fields.CHECK_FOLLOW_UP}
    return check[1] not in kinds or check[2] not in asked


def scan(root: Path, forms: FormSet) -> tuple[int, list[str]]:
    """How many places under ROOT read an answer by id (a literal or a name), and the
    literal ids no form has."""
    seen = 0
    unknown: list[str] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, text in _field_literals(tree):
            seen += 1
            if text is not None and _unknown(text, forms):
                unknown.append(f"{path.relative_to(root.parent)}:{line}: {text!r}")
    return seen, unknown


def test_every_field_id_spelled_in_the_source_is_in_the_forms(forms: FormSet) -> None:
    seen, unknown = scan(SOURCE, forms)
    assert seen >= 30, "the scan found almost nothing: has the way answers are read changed?"
    assert unknown == []


def test_the_scan_finds_a_field_id_no_form_has(tmp_path: Path, forms: FormSet) -> None:
    package = tmp_path / "court_tui"
    package.mkdir()
    (package / "example.py").write_text(
        "def rule(record, answers, forms):\n"
        "    answers.get('rosh_level')\n"
        "    record.answers['renamed_rsr_score']\n"
        "    forms.question('renamed_mappa_eligible')\n"
        "    return 'checks.domestic_abuse.asked' in answers\n",
        encoding="utf-8",
    )
    seen, unknown = scan(package, forms)
    assert seen == 4
    assert sorted(entry.split(": ", 1)[1] for entry in unknown) == [
        "'checks.domestic_abuse.asked'",
        "'renamed_mappa_eligible'",
        "'renamed_rsr_score'",
    ]
