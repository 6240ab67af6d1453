"""A section of the case, built from its form files: the questions, validated on continue."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Static

from court_tui.domain.answering import answer_check, answer_question, with_draft
from court_tui.domain.answers import AnswerValue, is_not_known
from court_tui.domain.court_list import offence_search_text
from court_tui.domain.fields import CHECK_FOLLOW_UP, check_field, split_check_field
from court_tui.domain.forms import CheckKind, Form, visible
from court_tui.domain.prefill import with_prefills
from court_tui.domain.rules import Severity, value_problem
from court_tui.domain.summary import describe_follow_up
from court_tui.ui.case_session import CaseChanged, OpenCase, SaveCaseNow
from court_tui.ui.screens.follow_up import (
    FollowUpResult,
    follow_up_dialog,
    record_follow_up,
)
from court_tui.ui.screens.help import HelpScreen
from court_tui.ui.screens.offence_search import OFFENCE_CODE_FORMAT, OffenceSearchScreen
from court_tui.ui.typeahead import PageOrderFocus
from court_tui.ui.widgets.error_summary import ErrorSummary
from court_tui.ui.widgets.keys_footer import KeysFooter
from court_tui.ui.widgets.questions import QuestionField, dom_id, question_field
from court_tui.ui.widgets.status_line import StatusLine


class CheckFollowUp(Vertical):
    """The follow-up line and button for a tracked check that is still outstanding."""

    DEFAULT_CSS = """
    CheckFollowUp { height: auto; padding: 0 1; margin: 0 0 1 0; }
    CheckFollowUp > .question-error { color: $text-error; text-style: bold; display: none; }
    CheckFollowUp.-invalid { border-left: thick $error; padding-left: 0; }
    """

    def __init__(self, kind: CheckKind) -> None:
        self.field_id = check_field(kind.id, CHECK_FOLLOW_UP)
        super().__init__(id=dom_id(self.field_id))
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield Static("Follow-up for this check", classes="question-label")
        yield Static("", classes="question-error", markup=False)
        yield Static("", classes="follow-up-text", markup=False)
        yield Button("Record who will chase it", id="record-follow-up")

    def show(self, text: str | None) -> None:
        """Show the follow-up recorded, if any."""
        self.query_one(".follow-up-text", Static).update(text or "No follow-up recorded yet")

    def show_problem(self, error: str | None, warning: str | None = None) -> None:
        """Show ERROR ('Error: ...') or clear it."""
        slot = self.query_one(".question-error", Static)
        slot.update(f"Error: {error}" if error else "")
        slot.display = bool(error)
        self.set_class(bool(error), "-invalid")

    def focus_control(self) -> None:
        """Focus the button."""
        self.query_one(Button).focus()
        self.scroll_visible(animate=False)


class SectionScreen(PageOrderFocus):
    """The questions of one section, grouped on one screen as GOV.UK question pages allow."""

    CSS_PATH = "section.tcss"
    # No focus chosen by Textual: on_mount puts it on the first question. Textual's choice,
    # the scrolling list of questions, would restyle every question twice (as it takes the
    # focus and as it gives it up), the larger part of opening the screen.
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("ctrl+s", "continue", "Continue", id="section.continue"),
        Binding("escape", "back", "Back", id="section.back"),
        Binding("f1", "help", "Help", id="section.help"),
    ]

    def __init__(
        self,
        case: OpenCase,
        section_id: str,
        *,
        focus_field: str | None = None,
        from_check_answers: bool = False,
    ) -> None:
        super().__init__()
        self.case = case
        self.from_check_answers = from_check_answers
        self.section = case.forms.section(section_id)
        self.focus_field = focus_field
        self.today = date.today()
        # The answers other questions' conditions read: only a change to one of these can
        # show or hide a question, so other keystrokes skip the refresh.
        self.controlling = {
            q.when.question for q in case.forms.questions.values() if q.when is not None
        }

    # Building the screen

    def compose(self) -> ComposeResult:
        forms = self.section.forms
        yield Static(forms[0].title, id="heading", markup=False)
        yield Static(self.case.caption, id="case-caption", markup=False)
        with VerticalScroll(id="questions"):
            yield ErrorSummary()
            for index, form in enumerate(forms):
                if index:
                    yield Static(form.title, classes="subheading", markup=False)
                if form.caption:
                    yield Static(form.caption, classes="form-caption", markup=False)
                yield from self.compose_form(form)
            yield Button("Continue", id="continue", variant="primary")
        yield StatusLine()
        yield KeysFooter()

    def compose_form(self, form: Form) -> ComposeResult:
        """The fields of FORM (for the checks form, once for each tracked check)."""
        if form.checks:
            for kind in form.checks:
                yield Static(kind.title, classes="subheading", markup=False)
                for question in form.questions:
                    yield question_field(
                        question, check_field(kind.id, question.id), today=self.today
                    )
                yield CheckFollowUp(kind)
            return
        for question in form.questions:
            yield question_field(question, question.id, today=self.today)

    def on_mount(self) -> None:
        self.prefill()
        for field in self.fields():
            value, draft = self._stored(field)
            field.load(value, draft)
        self.refresh_fields()
        target = self.field_widget(self.focus_field) if self.focus_field else None
        if target is not None:
            target.focus_control()
        else:
            first = next((f for f in self.fields() if f.display), None)
            if first is not None:
                first.focus_control()
            else:
                self.query_one("#questions", VerticalScroll).focus()

    # Reading and writing the record

    def fields(self) -> list[QuestionField]:
        """Every question field on the screen, in order."""
        return list(self.query(QuestionField))

    def field_widget(self, field_id: str) -> QuestionField | CheckFollowUp | None:
        """The widget answering FIELD_ID, if it is on this screen."""
        found = self.query(f"#{dom_id(field_id)}")
        widget = found.first() if found else None
        return widget if isinstance(widget, QuestionField | CheckFollowUp) else None

    def _check_kind(self, field_id: str) -> CheckKind | None:
        split = split_check_field(field_id)
        if split is None:
            return None
        kind_id = split[0]
        return next(k for k in self.case.forms.check_kinds() if k.id == kind_id)

    def _answers_for(self, field: QuestionField) -> dict[str, AnswerValue]:
        kind = self._check_kind(field.field_id)
        if kind is None:
            return self.case.record.answers
        return self.case.record.check(kind.id).as_answers()

    def _stored(self, field: QuestionField) -> tuple[AnswerValue | None, str | None]:
        answers = self._answers_for(field)
        return answers.get(field.question.id), self.case.record.drafts.get(field.field_id)

    def _follow_up_key(self, field: QuestionField) -> str:
        return field.question.id

    def apply(self, field: QuestionField) -> None:
        """Put FIELD's answer into the open case."""
        entry = field.to_answer()
        record = with_draft(self.case.record, field.field_id, entry.draft)
        kind = self._check_kind(field.field_id)
        if kind is not None:
            record, unheld = answer_check(record, kind.id, field.question.id, entry.value)
            if unheld is not None:
                record = with_draft(record, field.field_id, unheld)
        else:
            record = answer_question(
                record,
                field.question.id,
                entry.value,
                officer=self.case.officer,
                today=self.today,
            )
        self.case.record = record
        if self.affects_others(field):
            self.prefill()
            self.refresh_fields()
        # Straight to the app, which saves it: on every key typed into an answer.
        self.app.post_message(CaseChanged())

    def prefill(self) -> tuple[str, ...]:
        """Answer the questions now asked and empty that court-tui already knows (the
        domain says which and with what), and show those answers; returns their ids."""
        record, filled = with_prefills(
            self.case.record,
            self.case.forms,
            self.section.id,
            officer=self.case.officer,
            today=self.today,
            offices=self.case.offices,
        )
        if not filled:
            return filled
        self.case.record = record
        self.show_filled(filled)
        return filled

    def show_filled(self, filled: tuple[str, ...]) -> None:
        """Show the answers court-tui just filled in, in the fields FILLED."""
        for field_id in filled:
            widget = self.field_widget(field_id)
            if isinstance(widget, QuestionField):
                widget.load(*self._stored(widget))
                widget.offer_prefilled()
        self.post_message(CaseChanged())

    def affects_others(self, field: QuestionField) -> bool:
        """Whether FIELD's answer can change what else the screen shows."""
        return field.question.id in self.controlling or field.question.not_known

    def refresh_fields(self) -> None:
        """Show the questions the answers so far ask, and each 'not known' follow-up."""
        record = self.case.record
        for field in self.fields():
            shown = visible(field.question, self._answers_for(field), self.case.forms)
            if field.display != shown:
                field.display = shown
            value, _ = self._stored(field)
            if is_not_known(value):
                follow_ups = record.open_follow_ups(self._follow_up_key(field))
                field.show_follow_up(
                    "Follow-up: " + describe_follow_up(follow_ups[0])
                    if follow_ups
                    else "No follow-up recorded yet"
                )
            else:
                field.show_follow_up(None)
        for box in self.query(CheckFollowUp):
            outstanding = record.check(box.kind.id).outstanding
            if box.display != outstanding:
                box.display = outstanding
            follow_ups = record.open_follow_ups(box.kind.id)
            box.show(describe_follow_up(follow_ups[0]) if follow_ups else None)

    @on(QuestionField.Changed)
    def _field_changed(self, event: QuestionField.Changed) -> None:
        event.stop()
        self.apply(event.field)
        if event.move_on:
            event.field.to_next_question()

    # 'Not known' and follow-ups

    @on(QuestionField.NotKnownChosen)
    def _not_known_chosen(self, event: QuestionField.NotKnownChosen) -> None:
        event.stop()
        field = event.field
        self.open_follow_up(field.question.id, field.question.label, field)

    @on(Button.Pressed, "#record-follow-up")
    def _check_follow_up(self, event: Button.Pressed) -> None:
        event.stop()
        box = event.button.parent
        if isinstance(box, CheckFollowUp):
            self.open_follow_up(box.kind.id, box.kind.title, None)

    def open_follow_up(self, key: str, subject: str, field: QuestionField | None) -> None:
        """Ask for the follow-up of KEY (a question id or a check kind)."""

        def done(result: FollowUpResult | None) -> None:
            if result is None:
                if field is not None:
                    value, draft = self._stored(field)
                    field.load(value, draft)
                return
            self.case.record = record_follow_up(self.case, key, result, self.today)
            if field is not None:
                # Keep whatever was typed before 'not known' as a draft.
                self.apply(field)
                field.focus_control()
            else:
                self.refresh_fields()
                self.post_message(CaseChanged())

        self.app.push_screen(follow_up_dialog(self.case, key, subject, self.today), done)

    # Continue, back, help

    def problems(self) -> list[tuple[str, str, Severity]]:
        """What stops this section: the domain's problems, and typed text not yet valid."""
        shown = {f.field_id: f for f in self.fields() if f.display}
        found: list[tuple[str, str, Severity]] = []
        for field_id, field in shown.items():
            value, draft = self._stored(field)
            if draft is not None and value is None:
                typed = value_problem(field.question, draft, self.today)
                if typed is not None:
                    found.append((field_id, typed[1], typed[0]))
        typed_wrong = {field_id for field_id, _, _ in found}
        for problem in self.case.assess().problems_for(self.section.id):
            if problem.field in typed_wrong:
                continue
            found.append((problem.field, problem.message, problem.severity))
        order = {field_id: index for index, field_id in enumerate(shown)}
        return sorted(found, key=lambda p: order.get(p[0], len(order)))

    def show_problems(self) -> list[tuple[str, str]]:
        """Show every problem inline and the stopping ones in the summary; returns those."""
        problems = self.problems()
        stopping = [(f, m) for f, m, s in problems if s is not Severity.WARNING]
        errors: dict[str, str] = {}
        warnings: dict[str, str] = {}
        for field_id, message, severity in problems:
            target = warnings if severity is Severity.WARNING else errors
            target.setdefault(field_id, message)
        for widget in [*self.fields(), *self.query(CheckFollowUp)]:
            widget.show_problem(errors.get(widget.field_id), warnings.get(widget.field_id))
        self.query_one(ErrorSummary).show(stopping)
        return stopping

    def action_continue(self) -> None:
        """Validate the section; on success save and show its answers to check."""
        if self.show_problems():
            return
        self.post_message(SaveCaseNow())
        if self.from_check_answers:
            self.dismiss(None)
            return
        from court_tui.ui.screens.check_answers import CheckAnswersScreen

        self.app.switch_screen(CheckAnswersScreen(self.case, self.section.id))

    @on(Button.Pressed, "#continue")
    def _continue_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_continue()

    def action_back(self) -> None:
        """Leave without validating; the draft is kept and saved."""
        self.post_message(SaveCaseNow())
        self.dismiss(None)

    def focused_question(self) -> QuestionField | None:
        """The question the focus is in, if any."""
        widget: Widget | None = self.focused
        while widget is not None and not isinstance(widget, QuestionField):
            parent = widget.parent
            widget = parent if isinstance(parent, Widget) else None
        return widget

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "help":
            # F1 is shown only where there is a question to help with.
            return self.focused_question() is not None
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_help(self) -> None:
        """Show the help for the question with the focus (for an offence code, a search of
        the offence codes by words that fills the code in)."""
        field = self.focused_question()
        if field is not None and field.question.format == OFFENCE_CODE_FORMAT:
            self.app.push_screen(
                OffenceSearchScreen(
                    field.question,
                    self.case.catalogue,
                    offence_search_text(self.case.record.answers),
                ),
                lambda code: self._offence_found(field, code),
            )
        elif field is not None:
            self.app.push_screen(HelpScreen(field.question))

    def _offence_found(self, field: QuestionField, code: str | None) -> None:
        if code is not None:
            field.load(code)
            self.apply(field)
        field.focus_control()

    @on(ErrorSummary.Selected)
    def _go_to_problem(self, event: ErrorSummary.Selected) -> None:
        event.stop()
        widget = self.field_widget(event.field_id)
        if widget is not None and widget.display:
            widget.focus_control()
