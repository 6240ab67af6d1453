"""Loading the form files: a mistake in a file is a clear error naming the file and the id."""

from __future__ import annotations

from pathlib import Path

import pytest

from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.forms import (
    FormError,
    FormSet,
    QuestionType,
    load_forms,
    visible,
)

GOOD_FORM = """\
id = "alpha"
title = "Alpha"
task = "Do the alpha task"
order = 1

[[questions]]
id = "colour"
label = "Colour"
type = "single_choice"
options = [{ value = "red", label = "Red" }, { value = "green", label = "Green" }]
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(folder: Path) -> str:
    with pytest.raises(FormError) as raised:
        load_forms(folder)
    return str(raised.value)


def test_a_good_form_file_loads(tmp_path: Path) -> None:
    write(tmp_path, "alpha.toml", GOOD_FORM)
    forms = load_forms(tmp_path)
    assert [s.id for s in forms.sections] == ["alpha"]
    assert forms.section("alpha").task == "Do the alpha task"
    assert [o.label for o in forms.question("colour").choices] == ["Red", "Green"]


def test_an_unknown_type_names_the_file_the_id_and_the_types(tmp_path: Path) -> None:
    write(
        tmp_path,
        "alpha.toml",
        GOOD_FORM + '\n[[questions]]\nid = "shade"\nlabel = "Shade"\ntype = "dropdown"\n',
    )
    message = load_error(tmp_path)
    assert message.startswith("alpha.toml: question 'shade': unknown type 'dropdown'")
    for qtype in QuestionType:
        assert qtype.value in message


def test_a_missing_type_is_reported_for_the_question(tmp_path: Path) -> None:
    write(tmp_path, "alpha.toml", GOOD_FORM + '\n[[questions]]\nid = "shade"\nlabel = "Shade"\n')
    message = load_error(tmp_path)
    assert message.startswith("alpha.toml: question 'shade': unknown type")


def test_a_duplicate_id_within_a_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        "alpha.toml",
        GOOD_FORM
        + '\n[[questions]]\nid = "colour"\nlabel = "Colour again"\ntype = "short_text"\n',
    )
    assert load_error(tmp_path) == (
        "alpha.toml: question 'colour': duplicate id (also earlier in this file)"
    )


def test_a_duplicate_id_across_files_names_both_files(tmp_path: Path) -> None:
    write(tmp_path, "alpha.toml", GOOD_FORM)
    write(
        tmp_path,
        "beta.toml",
        'id = "beta"\ntitle = "Beta"\ntask = "Do beta"\norder = 2\n\n'
        '[[questions]]\nid = "colour"\nlabel = "Colour"\ntype = "short_text"\n',
    )
    assert load_error(tmp_path) == (
        "beta.toml: question 'colour': duplicate id (also in alpha.toml)"
    )


def test_a_duplicate_form_id_across_files(tmp_path: Path) -> None:
    write(tmp_path, "alpha.toml", GOOD_FORM)
    write(tmp_path, "beta.toml", 'id = "alpha"\ntitle = "Beta"\n')
    message = load_error(tmp_path)
    assert message.startswith("beta.toml: form:")
    assert "'alpha'" in message and "alpha.toml" in message


def test_a_condition_on_a_missing_id(tmp_path: Path) -> None:
    write(
        tmp_path,
        "alpha.toml",
        GOOD_FORM + '\n[[questions]]\nid = "shade"\nlabel = "Shade"\ntype = "short_text"\n'
        'when = { question = "hue", equals = "red" }\n',
    )
    assert load_error(tmp_path) == (
        "alpha.toml: question 'shade': condition refers to 'hue', which no form has"
    )


def test_a_condition_on_a_question_in_another_file_is_allowed(tmp_path: Path) -> None:
    write(tmp_path, "alpha.toml", GOOD_FORM)
    write(
        tmp_path,
        "beta.toml",
        'id = "beta"\ntitle = "Beta"\ntask = "Do beta"\norder = 2\n\n'
        '[[questions]]\nid = "shade"\nlabel = "Shade"\ntype = "short_text"\n'
        'when = { question = "colour", equals = "red" }\n',
    )
    forms = load_forms(tmp_path)
    shade = forms.question("shade")
    assert visible(shade, {"colour": "red"}, forms)
    assert not visible(shade, {"colour": "green"}, forms)


@pytest.mark.parametrize(
    "condition",
    [
        'when = { question = "colour", equals = "blue" }',
        'when = { question = "colour", in = ["red", "blue"] }',
    ],
)
def test_a_condition_value_that_is_not_an_option(tmp_path: Path, condition: str) -> None:
    write(
        tmp_path,
        "alpha.toml",
        GOOD_FORM + f'\n[[questions]]\nid = "shade"\nlabel = "Shade"\ntype = "short_text"\n'
        f"{condition}\n",
    )
    assert load_error(tmp_path) == (
        "alpha.toml: question 'shade': condition value 'blue' is not an option of 'colour'"
    )


def test_a_condition_on_a_yes_no_question_knows_yes_and_no(tmp_path: Path) -> None:
    write(
        tmp_path,
        "alpha.toml",
        GOOD_FORM + '\n[[questions]]\nid = "agreed"\nlabel = "Agreed?"\ntype = "yes_no"\n'
        '\n[[questions]]\nid = "why"\nlabel = "Why"\ntype = "long_text"\n'
        'when = { question = "agreed", equals = "maybe" }\n',
    )
    assert load_error(tmp_path) == (
        "alpha.toml: question 'why': condition value 'maybe' is not an option of 'agreed'"
    )


def test_not_known_without_a_follow_up_action(tmp_path: Path) -> None:
    write(
        tmp_path,
        "alpha.toml",
        GOOD_FORM + '\n[[questions]]\nid = "size"\nlabel = "Size"\ntype = "short_text"\n'
        "not_known = true\n",
    )
    assert load_error(tmp_path) == (
        "alpha.toml: question 'size': a question that allows 'not known' needs a "
        "'follow_up' action"
    )


def test_not_known_as_an_option_is_refused(tmp_path: Path) -> None:
    write(
        tmp_path,
        "alpha.toml",
        GOOD_FORM.replace(
            '{ value = "green", label = "Green" }', '{ value = "not_known", label = "Not known" }'
        ),
    )
    message = load_error(tmp_path)
    assert message.startswith("alpha.toml: question 'colour':")
    assert "set not_known = true" in message


def test_an_unknown_key_is_named(tmp_path: Path) -> None:
    write(tmp_path, "alpha.toml", GOOD_FORM + "mandatory = true\n")
    assert load_error(tmp_path) == "alpha.toml: question 'colour': unknown keys: mandatory"


def test_a_file_that_is_not_toml_is_named(tmp_path: Path) -> None:
    write(tmp_path, "alpha.toml", GOOD_FORM)
    write(tmp_path, "broken.toml", 'id = "broken\n')
    assert load_error(tmp_path).startswith("broken.toml: not valid TOML")


def test_a_section_without_a_task_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "alpha.toml", GOOD_FORM.replace('task = "Do the alpha task"\n', ""))
    assert load_error(tmp_path) == "alpha.toml: form: section 'alpha' has no form with a 'task'"


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    assert "no form files found" in load_error(tmp_path)


# The shipped forms.


def test_the_shipped_forms_load_with_the_six_tasks_in_order(forms: FormSet) -> None:
    assert [s.id for s in forms.sections] == ["case", "report", "checks", "rsr", "rosh", "cas"]
    for section in forms.sections:
        assert section.task, section.id


def test_the_shipped_forms_have_both_checks(forms: FormSet) -> None:
    kinds = {kind.id: kind for kind in forms.check_kinds()}
    assert set(kinds) == {"domestic_abuse", "safeguarding"}
    assert kinds["domestic_abuse"].agency == "Police"
    assert kinds["safeguarding"].agency == "Children's services"
    for kind in kinds.values():
        assert kind.follow_up.startswith("Chase ")


def test_every_shipped_not_known_question_has_a_follow_up_action(forms: FormSet) -> None:
    allowing = {q.id for q in forms.questions.values() if q.not_known}
    # The criteria and identifiers the inspection found answered 'not known'.
    assert {"crn", "pnc", "rsr_score", "rosh_level", "mappa_eligible"} <= allowing
    assert "deportation_eligible" in allowing
    for question_id in allowing:
        assert forms.question(question_id).follow_up.strip(), question_id


def test_public_interest_cannot_be_not_known(forms: FormSet) -> None:
    # An officer's own judgement is never 'not known': it is yes with a reason, or no.
    assert not forms.question("public_interest").not_known


def test_shipped_questions_are_hidden_or_shown_by_their_conditions(forms: FormSet) -> None:
    rar_days = forms.question("rar_days")
    assert visible(rar_days, {"rar_proposed": "yes"}, forms)
    assert not visible(rar_days, {"rar_proposed": "no"}, forms)
    # A hidden question hides the questions that depend on it.
    actions = forms.question("ro_rosh_actions")
    assert visible(
        actions, {"rosh_full_analysis_needed": "yes", "rosh_full_analysis_done": "no"}, forms
    )
    assert not visible(
        actions, {"rosh_full_analysis_needed": "no", "rosh_full_analysis_done": "no"}, forms
    )
    rsr_date = forms.question("rsr_date")
    assert visible(rsr_date, {"rsr_score": "4.20"}, forms)
    assert not visible(rsr_date, {"rsr_score": NOT_KNOWN}, forms)


def test_the_form_that_names_the_task_leads_its_section() -> None:
    from court_tui.domain.forms import load_forms

    section = load_forms().section("rsr")
    assert section.forms[0].id == "rsr"
    assert section.forms[0].title == "RSR score"
    assert [q.id for q in section.questions][:2] == ["rsr_source", "rsr_score"]


def test_a_condition_may_name_a_domain_rule_and_only_a_known_one(tmp_path: Path) -> None:
    write(
        tmp_path,
        "alpha.toml",
        GOOD_FORM + '\n[[questions]]\nid = "shade"\nlabel = "Shade"\ntype = "short_text"\n'
        'when = { question = "colour", rule = "guessed" }\n',
    )
    assert load_error(tmp_path) == (
        "alpha.toml: question 'shade': 'when.rule' must be one of: "
        "decided_against_allocation_rules"
    )
