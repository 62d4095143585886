"""Every write of the learning domain. Import from here: `from toolbox.learning.services import …`."""

from toolbox.learning.services.assignments import assignment_create, assignment_update
from toolbox.learning.services.attempts import (
    attempt_expires_at,
    attempt_save_answer,
    attempt_start,
    attempt_submit,
    attempts_submit_expired,
    late_penalty_percent,
)
from toolbox.learning.services.gamification import badge_award, streak_record_activity, xp_grant
from toolbox.learning.services.notifications import (
    notification_create,
    notification_mark_read,
    notifications_mark_all_read,
)
from toolbox.learning.services.progress import lesson_complete, lesson_progress_record, mastery_next_score
from toolbox.learning.services.regrades import attempt_regrade, grade_override, quiz_regrade

__all__ = [
    "assignment_create",
    "assignment_update",
    "attempt_expires_at",
    "attempt_regrade",
    "attempt_save_answer",
    "attempt_start",
    "attempt_submit",
    "attempts_submit_expired",
    "badge_award",
    "grade_override",
    "late_penalty_percent",
    "lesson_complete",
    "lesson_progress_record",
    "mastery_next_score",
    "notification_create",
    "notification_mark_read",
    "notifications_mark_all_read",
    "quiz_regrade",
    "streak_record_activity",
    "xp_grant",
]
