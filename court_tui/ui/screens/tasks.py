"""The case task list (GOV.UK 'complete multiple tasks'): each task with its status in words."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from court_tui.domain.assessment import FOLLOW_UPS_TASK, HANDOVER_TASK, Task, TaskStatus
from court_tui.ui.case_session import OpenCase, SaveCaseNow
from court_tui.ui.widgets.keys_footer import KeysFooter
from court_tui.ui.widgets.options import prompts
from court_tui.ui.widgets.status_line import StatusLine

NAME_WIDTH = 44


class TaskListScreen(Screen[None]):
    """What is left to do on one case."""

    CSS_PATH = "tasks.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back to cases", id="tasks.back"),
        Binding("n", "read_notes", "Read notes", id="tasks.read_notes"),
    ]

    def __init__(self, case: OpenCase) -> None:
        super().__init__()
        self.case = case
        self._task_opened = False

    def compose(self) -> ComposeResult:
        yield Static(self.case.caption, id="heading", markup=False)
        yield Static("", id="progress", markup=False)
        yield Static("", id="message", markup=False)
        yield Static(_oversight_text(self.case.oversight), id="oversight", markup=False)
        yield OptionList(id="tasks")
        yield StatusLine()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#oversight", Static).display = bool(self.case.oversight)
        self.show_tasks()
        self.query_one("#tasks", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.query_one("#heading", Static).update(self.case.caption)
        self.show_tasks(onward=self._task_opened)
        self._task_opened = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "read_notes":
            return bool(self.case.oversight)
        return True

    def show_tasks(self, onward: bool = False) -> None:
        """List the tasks with their statuses as the domain assesses them today; ONWARD
        (back from a task) moves the cursor off a task now completed to the next one not."""
        assessment = self.case.assess()
        tasks = self.query_one("#tasks", OptionList)
        highlighted = tasks.highlighted
        tasks.clear_options()
        for task in assessment.tasks:
            tasks.add_option(Option(_task_prompt(task), id=task.id))
        if tasks.option_count:
            at = min(highlighted or 0, tasks.option_count - 1)
            if onward:
                at = _next_to_do(assessment.tasks, at)
            tasks.highlighted = at
        self.query_one("#progress", Static).update(
            f"{assessment.tasks_completed} of {len(assessment.tasks)} tasks completed"
        )
        self.query_one("#message", Static).update("")

    @property
    def task_lines(self) -> list[str]:
        """The tasks as shown."""
        tasks = self.query_one("#tasks", OptionList)
        return prompts(tasks)

    @on(OptionList.OptionSelected, "#tasks")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.open_task(event.option.id)

    def open_task(self, task_id: str) -> None:
        """Go to TASK_ID, unless it cannot start yet."""
        task = self.case.assess().task(task_id)
        if task.status is TaskStatus.CANNOT_START:
            self.query_one("#message", Static).update(task.why_not)
            return
        self._task_opened = True
        if task_id == HANDOVER_TASK:
            from court_tui.ui.screens.handover import HandoverScreen

            self.app.push_screen(HandoverScreen(self.case))
        elif task_id == FOLLOW_UPS_TASK:
            from court_tui.ui.screens.follow_ups import FollowUpsScreen

            self.app.push_screen(FollowUpsScreen(self.case))
        else:
            from court_tui.ui.screens.rsr import section_screen

            self.app.push_screen(section_screen(self.case, task_id))

    def action_read_notes(self) -> None:
        """Every supervisor's note on the case, in full."""
        if self.case.oversight:
            self.app.push_screen(NotesScreen(self.case.oversight))

    def action_back(self) -> None:
        """Back to the list of cases, saving first."""
        self.post_message(SaveCaseNow())
        self.dismiss(None)


def _next_to_do(tasks: tuple[Task, ...], at: int) -> int:
    """AT, unless that task is completed: then the next task not completed (wrapping),
    or AT when every task is."""
    if tasks[at].status is not TaskStatus.COMPLETED:
        return at
    for step in range(1, len(tasks)):
        index = (at + step) % len(tasks)
        if tasks[index].status is not TaskStatus.COMPLETED:
            return index
    return at


def _task_prompt(task: Task) -> Text:
    style = "bold" if task.status is TaskStatus.PROBLEM else ""
    return Text.assemble(task.name.ljust(NAME_WIDTH), " ", (task.status.value, style))


# The newest notes a task list shows, one line each; `n` reads every note in full.
OVERSIGHT_SHOWN = 3


def _oversight_text(lines: tuple[str, ...]) -> str:
    newest = list(reversed(lines))[:OVERSIGHT_SHOWN]
    text = "Supervisor's notes, newest first (n reads them in full):\n" + "\n".join(
        f"- {line}" for line in newest
    )
    if len(lines) > len(newest):
        text += f"\n(and {len(lines) - len(newest)} earlier)"
    return text  # one line each, cut with an ellipsis (tasks.tcss)


class NotesScreen(ModalScreen[None]):
    """The supervisors' notes on a case, newest first, each wrapped in full."""

    CSS_PATH = "tasks.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close notes", id="notes.close"),
        Binding("n", "close", "Close notes", show=False, id="notes.close_n"),
    ]

    def __init__(self, lines: tuple[str, ...]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="notes"):
            yield Static("Supervisor's notes, newest first", id="notes-heading", markup=False)
            for line in reversed(self.lines):
                yield Static(f"- {line}", classes="note", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#notes").focus()

    def action_close(self) -> None:
        """Back to the task list."""
        self.dismiss(None)
