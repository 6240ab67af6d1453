"""The questions as data: loading and checking the form files in forms/.

A new Probation Instruction should mean editing a form file, not Python, so the loader is
strict about the files themselves: a mistake there is reported with the file and the id.
What a loaded form holds is in `form_model`; its names are imported from here too.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from court_tui.domain.form_model import (
    ANSWER_RULES,
    CHOICE_TYPES,
    NOT_KNOWN_LABEL,
    YES_NO_OPTIONS,
    CheckKind,
    Condition,
    Form,
    FormSet,
    Option,
    Prefill,
    Question,
    QuestionType,
    Section,
    visible,
    visible_questions,
)
from court_tui.resources import forms_dir

__all__ = [
    "CHOICE_TYPES",
    "CheckKind",
    "Condition",
    "Form",
    "FormError",
    "FormSet",
    "NOT_KNOWN_LABEL",
    "Option",
    "Prefill",
    "Question",
    "QuestionType",
    "Section",
    "YES_NO_OPTIONS",
    "build_form_set",
    "load_forms",
    "parse_form",
    "visible",
    "visible_questions",
]


class FormError(Exception):
    """A form file that cannot be used; the message names the file and the id."""


_QUESTION_KEYS = {
    "id",
    "label",
    "name",
    "hint",
    "help",
    "type",
    "required",
    "not_known",
    "options",
    "when",
    "follow_up",
    "format",
    "min",
    "max",
    "decimals",
    "past_only",
    "prefill",
}
_FORM_KEYS = {"id", "title", "section", "task", "order", "caption", "questions", "checks"}
_CONDITION_KEYS = {"question", "equals", "in", "includes", "answered", "rule"}
_FORMATS = {"", "crn", "pnc", "offence_code", "time"}


def _fail(path: Path, where: str, message: str) -> FormError:
    return FormError(f"{path.name}: {where}: {message}")


def _text(raw: Mapping[str, Any], key: str, path: Path, where: str, *, needed: bool) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str):
        raise _fail(path, where, f"'{key}' must be text")
    if needed and not value.strip():
        raise _fail(path, where, f"'{key}' is missing")
    return value


def _options(raw: Any, path: Path, where: str) -> tuple[Option, ...]:
    if not isinstance(raw, list):
        raise _fail(path, where, "'options' must be a list")
    options: list[Option] = []
    seen: set[str] = set()
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("value"), str):
            raise _fail(path, where, "each option needs a text 'value' and 'label'")
        value = item["value"]
        if value in seen:
            raise _fail(path, where, f"option '{value}' appears twice")
        if value == "not_known":
            raise _fail(path, where, "'not_known' is not an option; set not_known = true")
        seen.add(value)
        label = item.get("label", value)
        hint = item.get("hint", "")
        if not isinstance(label, str) or not isinstance(hint, str):
            raise _fail(path, where, f"option '{value}' label and hint must be text")
        options.append(Option(value, label, hint))
    return tuple(options)


def _condition(raw: Any, path: Path, where: str) -> Condition:
    if not isinstance(raw, dict) or not isinstance(raw.get("question"), str):
        raise _fail(path, where, "'when' needs the id of a 'question'")
    unknown = set(raw) - _CONDITION_KEYS
    if unknown:
        raise _fail(path, where, f"'when' has unknown keys: {', '.join(sorted(unknown))}")
    tests = [key for key in ("equals", "in", "includes", "answered", "rule") if key in raw]
    if len(tests) != 1:
        raise _fail(
            path, where, "'when' needs exactly one of equals, in, includes, answered, rule"
        )
    rule = raw.get("rule")
    if rule is not None and rule not in ANSWER_RULES:
        known = ", ".join(sorted(ANSWER_RULES))
        raise _fail(path, where, f"'when.rule' must be one of: {known}")
    any_of = raw.get("in", [])
    if not isinstance(any_of, list) or not all(isinstance(v, str) for v in any_of):
        raise _fail(path, where, "'when.in' must be a list of values")
    answered = raw.get("answered")
    if answered is not None and not isinstance(answered, bool):
        raise _fail(path, where, "'when.answered' must be true or false")
    for key in ("equals", "includes"):
        if key in raw and not isinstance(raw[key], str):
            raise _fail(path, where, f"'when.{key}' must be text")
    return Condition(
        question=raw["question"],
        equals=raw.get("equals"),
        any_of=tuple(any_of),
        includes=raw.get("includes"),
        answered=answered,
        rule=rule,
    )


def _number(raw: Mapping[str, Any], key: str, path: Path, where: str) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(path, where, f"'{key}' must be a number")
    return float(value)


def _question(raw: Any, form_id: str, section: str, path: Path, index: int) -> Question:
    if not isinstance(raw, dict):
        raise _fail(path, f"question {index}", "must be a table")
    qid = raw.get("id")
    if not isinstance(qid, str) or not qid.isidentifier() or not qid.islower():
        raise _fail(path, f"question {index}", "'id' must be a lower-case identifier")
    where = f"question '{qid}'"
    unknown = set(raw) - _QUESTION_KEYS
    if unknown:
        raise _fail(path, where, f"unknown keys: {', '.join(sorted(unknown))}")
    raw_type = raw.get("type")
    try:
        qtype = QuestionType(str(raw_type))
    except ValueError:
        allowed = ", ".join(t.value for t in QuestionType)
        raise _fail(path, where, f"unknown type '{raw_type}' (use one of {allowed})") from None
    options = _options(raw["options"], path, where) if "options" in raw else ()
    if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE) and not options:
        raise _fail(path, where, f"a {qtype.value} question needs options")
    if qtype not in CHOICE_TYPES and options:
        raise _fail(path, where, f"a {qtype.value} question takes no options")
    flags: dict[str, bool] = {}
    for key in ("required", "not_known", "past_only"):
        value = raw.get(key, False)
        if not isinstance(value, bool):
            raise _fail(path, where, f"'{key}' must be true or false")
        flags[key] = value
    follow_up = _text(raw, "follow_up", path, where, needed=False)
    if flags["not_known"] and not follow_up.strip():
        raise _fail(path, where, "a question that allows 'not known' needs a 'follow_up' action")
    fmt = _text(raw, "format", path, where, needed=False)
    if fmt not in _FORMATS:
        raise _fail(path, where, f"unknown format '{fmt}'")
    decimals = raw.get("decimals")
    if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int)):
        raise _fail(path, where, "'decimals' must be a whole number")
    prefill = _text(raw, "prefill", path, where, needed=False)
    if prefill and prefill not in set(Prefill):
        allowed = ", ".join(p.value for p in Prefill)
        raise _fail(path, where, f"unknown prefill '{prefill}' (use one of {allowed})")
    return Question(
        id=qid,
        label=_text(raw, "label", path, where, needed=True),
        type=qtype,
        form=form_id,
        section=section,
        name=_text(raw, "name", path, where, needed=False),
        hint=_text(raw, "hint", path, where, needed=False),
        help=_text(raw, "help", path, where, needed=False),
        required=flags["required"],
        not_known=flags["not_known"],
        options=options,
        when=_condition(raw["when"], path, where) if "when" in raw else None,
        follow_up=follow_up,
        format=fmt,
        minimum=_number(raw, "min", path, where),
        maximum=_number(raw, "max", path, where),
        decimals=decimals,
        past_only=flags["past_only"],
        prefill=Prefill(prefill) if prefill else None,
    )


def _checks(raw: Any, path: Path) -> tuple[CheckKind, ...]:
    if not isinstance(raw, list):
        raise _fail(path, "checks", "must be a list")
    kinds: list[CheckKind] = []
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise _fail(path, f"check {index}", "needs an 'id'")
        where = f"check '{item['id']}'"
        kinds.append(
            CheckKind(
                id=item["id"],
                title=_text(item, "title", path, where, needed=True),
                agency=_text(item, "agency", path, where, needed=True),
                follow_up=_text(item, "follow_up", path, where, needed=True),
            )
        )
    return tuple(kinds)


def parse_form(path: Path) -> tuple[Form, str, int]:
    """Read one form file; returns the form, its task wording and its order."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FormError(f"{path.name}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormError(f"{path.name}: cannot be read: {exc}") from None
    unknown = set(raw) - _FORM_KEYS
    if unknown:
        raise _fail(path, "form", f"unknown keys: {', '.join(sorted(unknown))}")
    form_id = _text(raw, "id", path, "form", needed=True)
    section = _text(raw, "section", path, "form", needed=False) or form_id
    order = raw.get("order", 0)
    if isinstance(order, bool) or not isinstance(order, int):
        raise _fail(path, "form", "'order' must be a whole number")
    raw_questions = raw.get("questions", [])
    if not isinstance(raw_questions, list):
        raise _fail(path, "form", "'questions' must be a list")
    questions = tuple(
        _question(q, form_id, section, path, i) for i, q in enumerate(raw_questions, start=1)
    )
    form = Form(
        id=form_id,
        title=_text(raw, "title", path, "form", needed=True),
        section=section,
        path=path,
        questions=questions,
        caption=_text(raw, "caption", path, "form", needed=False),
        checks=_checks(raw["checks"], path) if "checks" in raw else (),
    )
    return form, _text(raw, "task", path, "form", needed=False), order


def build_form_set(paths: Iterable[Path]) -> FormSet:
    """Load and cross-check the form files at PATHS."""
    forms: list[Form] = []
    tasks: dict[str, tuple[str, int]] = {}
    lead_form: dict[str, str] = {}
    where_defined: dict[str, Path] = {}
    form_ids: dict[str, Path] = {}
    for path in sorted(paths):
        form, task, order = parse_form(path)
        if form.id in form_ids:
            raise _fail(
                path, "form", f"form id '{form.id}' is also used by {form_ids[form.id].name}"
            )
        form_ids[form.id] = path
        for question in form.questions:
            if question.id in where_defined:
                other = where_defined[question.id]
                also = "earlier in this file" if other == path else f"in {other.name}"
                raise _fail(path, f"question '{question.id}'", f"duplicate id (also {also})")
            where_defined[question.id] = path
        if task:
            if form.section in tasks:
                raise _fail(path, "form", f"section '{form.section}' has its task twice")
            tasks[form.section] = (task, order)
            lead_form[form.section] = form.id
        forms.append(form)
    questions = {q.id: q for form in forms for q in form.questions}
    for form in forms:
        for question in form.questions:
            if question.when is None:
                continue
            target = question.when.question
            if target not in questions:
                raise _fail(
                    form.path,
                    f"question '{question.id}'",
                    f"condition refers to '{target}', which no form has",
                )
            values = [question.when.equals, question.when.includes, *question.when.any_of]
            known = {o.value for o in questions[target].choices}
            for value in values:
                if value is not None and known and value not in known:
                    raise _fail(
                        form.path,
                        f"question '{question.id}'",
                        f"condition value '{value}' is not an option of '{target}'",
                    )
    sections: list[Section] = []
    for section_id, (task, order) in sorted(tasks.items(), key=lambda item: item[1][1]):
        # The form that names the task leads its section; the others follow in file order.
        members = tuple(
            sorted(
                (f for f in forms if f.section == section_id),
                key=lambda f: f.id != lead_form[section_id],
            )
        )
        sections.append(Section(id=section_id, task=task, order=order, forms=members))
    for form in forms:
        if form.section not in tasks:
            raise _fail(form.path, "form", f"section '{form.section}' has no form with a 'task'")
    return FormSet(forms=tuple(forms), sections=tuple(sections), questions=questions)


def load_forms(folder: Path | None = None) -> FormSet:
    """Load every *.toml form in FOLDER (the shipped forms by default)."""
    return _load_forms_cached(folder or forms_dir())


@cache
def _load_forms_cached(folder: Path) -> FormSet:
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        raise FormError(f"no form files found in {folder}")
    return build_form_set(paths)
