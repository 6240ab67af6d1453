"""The case task list (GOV.UK 'complete multiple tasks'): each task with its status in words."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
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
    ]

    def __init__(self, case: OpenCase) -> None:
        super().__init__()
        self.case = case

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
        self.show_tasks()

    def show_tasks(self) -> None:
        """List the tasks with their statuses as the domain assesses them today."""
        assessment = self.case.assess()
        tasks = self.query_one("#tasks", OptionList)
        highlighted = tasks.highlighted
        tasks.clear_options()
        for task in assessment.tasks:
            tasks.add_option(Option(_task_prompt(task), id=task.id))
        if tasks.option_count:
            tasks.highlighted = min(highlighted or 0, tasks.option_count - 1)
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
        if task_id == HANDOVER_TASK:
            from court_tui.ui.screens.handover import HandoverScreen

            self.app.push_screen(HandoverScreen(self.case))
        elif task_id == FOLLOW_UPS_TASK:
            from court_tui.ui.screens.follow_ups import FollowUpsScreen

            self.app.push_screen(FollowUpsScreen(self.case))
        else:
            from court_tui.ui.screens.rsr import section_screen

            self.app.push_screen(section_screen(self.case, task_id))

    def action_back(self) -> None:
        """Back to the list of cases, saving first."""
        self.post_message(SaveCaseNow())
        self.dismiss(None)


def _task_prompt(task: Task) -> Text:
    style = "bold" if task.status is TaskStatus.PROBLEM else ""
    return Text.assemble(task.name.ljust(NAME_WIDTH), " ", (task.status.value, style))


# The newest notes a task list shows, one line each; the rest are in the supervisor's
# review.
OVERSIGHT_SHOWN = 3


def _oversight_text(lines: tuple[str, ...]) -> str:
    newest = list(reversed(lines))[:OVERSIGHT_SHOWN]
    text = "Supervisor's notes, newest first:\n" + "\n".join(f"- {line}" for line in newest)
    if len(lines) > len(newest):
        text += f"\n(and {len(lines) - len(newest)} earlier)"
    return text  # one line each, cut with an ellipsis (tasks.tcss)
