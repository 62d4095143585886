"""The learning models in the admin console.

Ledgers and audit rows (grade overrides, XP events, badge awards, running totals) are
read-only here: they change only through the services, which keep them consistent. Large
foreign keys use autocomplete (people) or raw ids (classes, content, attempts) so that no
page loads a whole table into a select box.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from toolbox.accounts import permissions
from toolbox.accounts.admin_scoping import SchoolScopedAdmin, SharedRowsAdmin
from toolbox.classroom.models import Classroom
from toolbox.learning.models import (
    Answer,
    Assignment,
    Attempt,
    Badge,
    GradeOverride,
    LessonProgress,
    Mastery,
    Notification,
    PracticeItem,
    PracticeSet,
    StudentBadge,
    StudentStats,
    XPEvent,
)
from toolbox.learning.selectors import classrooms_gradebook_csv_stream


@admin.action(description="Download gradebook CSV")
def download_gradebook_csv(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Classroom]
) -> StreamingHttpResponse:
    """Stream the selected classes' gradebooks (one row per student, class and assignment),
    limited to the classes this admin runs."""
    classrooms = permissions.classrooms_visible_to(request.user, queryset)  # pyright: ignore[reportArgumentType]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        classrooms_gradebook_csv_stream(classrooms=classrooms), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="gradebook-{stamp}.csv"'
    return response


class ReadOnlyAdmin(admin.ModelAdmin):
    """For ledgers and audit rows: visible to admins, written only by the services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(SchoolScopedAdmin):
    school_field = "classroom__school"
    list_display = [
        "__str__",
        "kind",
        "classroom",
        "available_from",
        "due_at",
        "close_at",
        "score_policy",
        "accept_late",
    ]
    list_filter = ["score_policy", "accept_late", "classroom__school", "classroom__subject"]
    search_fields = ["quiz__title", "lesson__title", "classroom__name"]
    list_select_related = ["classroom", "quiz", "lesson"]
    raw_id_fields = ["classroom", "quiz", "lesson"]
    autocomplete_fields = ["assigned_by"]
    date_hierarchy = "due_at"


ANSWER_COLUMNS: tuple[str, ...] = (
    "question_key",
    "response",
    "is_correct",
    "points_awarded",
    "graded_by",
    "needs_review",
    "feedback",
)


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ANSWER_COLUMNS
    readonly_fields = ANSWER_COLUMNS


OVERRIDE_COLUMNS: tuple[str, ...] = ("changed_at", "changed_by", "answer", "old_score", "new_score", "reason")


class GradeOverrideInline(ReadOnlyInline):
    model = GradeOverride
    fk_name = "attempt"
    fields = OVERRIDE_COLUMNS
    readonly_fields = OVERRIDE_COLUMNS


@admin.register(Attempt)
class AttemptAdmin(SchoolScopedAdmin):
    school_field = "assignment__classroom__school"
    list_display = [
        "id",
        "student",
        "assignment",
        "number",
        "status",
        "submitted_at",
        "final_percent",
        "late_penalty_percent",
        "submitted_by_server",
    ]
    list_filter = ["status", "submitted_by_server", "assignment__classroom__school"]
    search_fields = ["student__username", "student__last_name", "assignment__quiz__title", "idempotency_key"]
    list_select_related = ["student", "assignment__classroom", "assignment__quiz", "assignment__lesson"]
    autocomplete_fields = ["student"]
    raw_id_fields = ["assignment"]
    readonly_fields = ["snapshot", "idempotency_key", "submitted_by_server"]
    date_hierarchy = "started_at"
    inlines = [AnswerInline, GradeOverrideInline]


@admin.register(Answer)
class AnswerAdmin(SchoolScopedAdmin):
    school_field = "attempt__assignment__classroom__school"
    list_display = ["id", "attempt", "question_key", "is_correct", "points_awarded", "graded_by", "needs_review"]
    list_filter = ["graded_by", "needs_review", "is_correct"]
    search_fields = ["attempt__student__username", "attempt__student__last_name", "feedback"]
    list_select_related = ["attempt__student", "attempt__assignment__quiz", "attempt__assignment__lesson"]
    raw_id_fields = ["attempt", "question"]
    readonly_fields = ["ai_suggested_points", "ai_suggested_feedback", "ai_suggestion_confidence"]


@admin.register(GradeOverride)
class GradeOverrideAdmin(SchoolScopedAdmin, ReadOnlyAdmin):
    school_field = "attempt__assignment__classroom__school"
    list_display = ["changed_at", "attempt", "answer", "changed_by", "old_score", "new_score", "reason"]
    list_filter = ["attempt__assignment__classroom__school"]
    search_fields = ["reason", "changed_by__username", "attempt__student__username"]
    list_select_related = ["changed_by", "attempt__student", "attempt__assignment__quiz", "attempt__assignment__lesson"]
    date_hierarchy = "changed_at"


@admin.register(LessonProgress)
class LessonProgressAdmin(SchoolScopedAdmin):
    school_field = "student__school"
    list_display = ["student", "lesson", "percent", "time_spent_seconds", "completed_at", "updated_at"]
    list_filter = [("completed_at", admin.EmptyFieldListFilter)]
    search_fields = ["student__username", "student__last_name", "lesson__title"]
    list_select_related = ["student", "lesson"]
    autocomplete_fields = ["student"]
    raw_id_fields = ["lesson"]


@admin.register(Mastery)
class MasteryAdmin(SchoolScopedAdmin):
    school_field = "student__school"
    list_display = ["student", "objective", "score", "answers_counted", "mastered_at", "updated_at"]
    list_filter = [("mastered_at", admin.EmptyFieldListFilter), "objective__subject"]
    search_fields = ["student__username", "student__last_name", "objective__code"]
    list_select_related = ["student", "objective"]
    autocomplete_fields = ["student"]
    raw_id_fields = ["objective"]


@admin.register(XPEvent)
class XPEventAdmin(SchoolScopedAdmin, ReadOnlyAdmin):
    school_field = "student__school"
    list_display = ["created_at", "student", "amount", "description", "source"]
    search_fields = ["student__username", "student__last_name", "source"]
    list_select_related = ["student"]
    date_hierarchy = "created_at"


@admin.register(StudentStats)
class StudentStatsAdmin(SchoolScopedAdmin, ReadOnlyAdmin):
    school_field = "student__school"
    list_display = ["student", "total_xp", "current_streak", "longest_streak", "last_active_on"]
    search_fields = ["student__username", "student__last_name"]
    list_select_related = ["student"]


@admin.register(Badge)
class BadgeAdmin(SharedRowsAdmin, admin.ModelAdmin):
    list_display = ["icon", "name", "code", "description"]
    search_fields = ["name", "code"]


@admin.register(StudentBadge)
class StudentBadgeAdmin(SchoolScopedAdmin, ReadOnlyAdmin):
    school_field = "student__school"
    list_display = ["awarded_at", "student", "badge"]
    list_filter = ["badge"]
    search_fields = ["student__username", "student__last_name", "badge__name"]
    list_select_related = ["student", "badge"]


PRACTICE_ITEM_COLUMNS: tuple[str, ...] = ("position", "question", "response", "is_correct", "answered_at")


class PracticeItemInline(ReadOnlyInline):
    model = PracticeItem
    fields = PRACTICE_ITEM_COLUMNS
    readonly_fields = PRACTICE_ITEM_COLUMNS


@admin.register(PracticeSet)
class PracticeSetAdmin(SchoolScopedAdmin):
    school_field = "student__school"
    list_display = ["student", "for_date", "created_at", "completed_at"]
    list_filter = ["for_date", ("completed_at", admin.EmptyFieldListFilter)]
    search_fields = ["student__username", "student__last_name"]
    list_select_related = ["student"]
    autocomplete_fields = ["student"]
    raw_id_fields = ["objectives"]
    date_hierarchy = "for_date"
    inlines = [PracticeItemInline]


@admin.register(PracticeItem)
class PracticeItemAdmin(SchoolScopedAdmin):
    school_field = "practice_set__student__school"
    list_display = ["practice_set", "position", "question", "is_correct", "answered_at"]
    list_filter = ["is_correct"]
    search_fields = ["practice_set__student__username"]
    list_select_related = ["practice_set__student", "question"]
    raw_id_fields = ["practice_set", "question"]


@admin.register(Notification)
class NotificationAdmin(SchoolScopedAdmin):
    school_field = "user__school"
    list_display = ["created_at", "user", "kind", "message", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "message", "dedupe_key"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    date_hierarchy = "created_at"
