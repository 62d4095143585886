"""Every write of the content app. Import from here: `from toolbox.content.services import …`."""

from toolbox.content.markdown import markdown_render
from toolbox.content.services.lessons import lesson_create, lesson_update
from toolbox.content.services.questions import question_create, question_delete, question_update, questions_reorder
from toolbox.content.services.quizzes import quiz_create, quiz_snapshot, quiz_update
from toolbox.content.services.workflow import (
    content_approve,
    content_archive,
    content_publish,
    content_reject,
    content_submit_for_review,
)

__all__ = [
    "content_approve",
    "content_archive",
    "content_publish",
    "content_reject",
    "content_submit_for_review",
    "lesson_create",
    "lesson_update",
    "markdown_render",
    "question_create",
    "question_delete",
    "question_update",
    "questions_reorder",
    "quiz_create",
    "quiz_snapshot",
    "quiz_update",
]
