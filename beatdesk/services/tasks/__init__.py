"""Daily tasking: tasks with a derived priority, assignment, progress, carry-over, templates and the board."""

from beatdesk.services.tasks.board import board, local_priorities, task_view
from beatdesk.services.tasks.inputs import (
    Board, Duty, PersonTasks, TaskInput, TaskView, TemplateInput, TemplateView,
)
from beatdesk.services.tasks.priority import THRV, Assessment, assess
from beatdesk.services.tasks.templates import create_template, list_templates
from beatdesk.services.tasks.writes import (
    assign, bulk_assign, carry_over, create_from_template, create_task, set_status, update_task,
)

__all__ = [
    "THRV", "Assessment", "Board", "Duty", "PersonTasks", "TaskInput", "TaskView", "TemplateInput", "TemplateView",
    "assess", "assign", "board", "bulk_assign", "carry_over", "create_from_template", "create_task",
    "create_template", "list_templates", "local_priorities", "set_status", "task_view", "update_task",
]
