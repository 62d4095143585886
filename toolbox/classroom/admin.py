from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from toolbox.accounts.admin_scoping import SchoolScopedAdmin, SchoolScopedChoices
from toolbox.classroom.models import (
    Classroom,
    Enrollment,
    EnrollmentStatus,
    ParentInvite,
    RosterImport,
    SetPasswordLink,
)
from toolbox.classroom.services import classroom_archive, join_code_regenerate
from toolbox.classroom.services.classrooms import unused_join_code
from toolbox.errors import DomainError
from toolbox.learning.admin import download_gradebook_csv


class EnrollmentInline(SchoolScopedChoices, admin.TabularInline):
    model = Enrollment
    extra = 0
    autocomplete_fields = ["student"]
    fields = ["student", "status", "joined_at", "removed_at"]
    readonly_fields = ["joined_at", "removed_at"]


@admin.register(Classroom)
class ClassroomAdmin(SchoolScopedAdmin):
    school_field = "school"
    list_display = ["name", "subject", "grade_level", "school", "owner", "join_code", "active_students", "is_archived"]
    list_filter = ["is_archived", "school", "grade_level", "subject"]
    search_fields = ["name", "subject", "join_code", "owner__username", "owner__last_name"]
    autocomplete_fields = ["owner", "co_teachers", "school"]
    readonly_fields = ["join_code", "created_at", "updated_at"]
    inlines = [EnrollmentInline]
    actions = ["archive_classrooms", "regenerate_join_codes", download_gradebook_csv]

    def save_model(self, request: HttpRequest, obj: Classroom, form: object, change: bool) -> None:
        if not obj.join_code:
            # Codes are never typed in: drawn from the unambiguous alphabet like every other class's.
            obj.join_code = unused_join_code()
        super().save_model(request, obj, form, change)  # type: ignore[arg-type]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Classroom]:
        return (
            super()
            .get_queryset(request)
            .select_related("school", "owner")
            .annotate(active_student_count=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ACTIVE)))
        )

    @admin.display(description="Active students", ordering="active_student_count")
    def active_students(self, classroom: Classroom) -> int:
        return classroom.active_student_count  # type: ignore[attr-defined]

    @admin.action(description="Archive the selected classes")
    def archive_classrooms(self, request: HttpRequest, queryset: QuerySet[Classroom]) -> None:
        archived = 0
        for classroom in queryset:
            try:
                classroom_archive(actor=request.user, classroom=classroom)  # type: ignore[arg-type]
            except DomainError as error:
                self.message_user(request, f"{classroom}: {error.message}", messages.ERROR)
            else:
                archived += 1
        self.message_user(request, f"Archived {archived} class{'es' if archived != 1 else ''}.", messages.SUCCESS)

    @admin.action(description="Give the selected classes new join codes")
    def regenerate_join_codes(self, request: HttpRequest, queryset: QuerySet[Classroom]) -> None:
        for classroom in queryset:
            try:
                code = join_code_regenerate(actor=request.user, classroom=classroom)  # type: ignore[arg-type]
            except DomainError as error:
                self.message_user(request, f"{classroom}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{classroom}: the new join code is {code}.", messages.SUCCESS)


@admin.register(Enrollment)
class EnrollmentAdmin(SchoolScopedAdmin):
    school_field = "classroom__school"
    list_display = ["student", "classroom", "status", "joined_at", "removed_at"]
    list_filter = ["status", "classroom__school"]
    search_fields = ["student__username", "student__last_name", "classroom__name", "classroom__join_code"]
    autocomplete_fields = ["student", "classroom"]
    list_select_related = ["student", "classroom"]


@admin.register(ParentInvite)
class ParentInviteAdmin(SchoolScopedAdmin):
    school_field = "student__school"
    list_display = ["code", "student", "created_by", "created_at", "expires_at", "redeemed_at", "redeemed_by"]
    list_filter = [("redeemed_at", admin.EmptyFieldListFilter)]
    search_fields = ["code", "student__username", "student__last_name", "sent_to_email"]
    autocomplete_fields = ["student"]
    list_select_related = ["student", "created_by", "redeemed_by"]
    readonly_fields = [
        "code",
        "created_by",
        "created_at",
        "redeemed_at",
        "redeemed_by",
        "sent_to_email",
        "roster_import",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Invites are made through parent_invite_create, which draws an unused code.
        return False


@admin.register(SetPasswordLink)
class SetPasswordLinkAdmin(SchoolScopedAdmin):
    school_field = "user__school"
    list_display = ["user", "created_at", "expires_at", "used_at", "roster_import"]
    list_filter = [("used_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__last_name"]
    list_select_related = ["user", "roster_import"]
    readonly_fields = ["user", "token", "created_at", "roster_import", "used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(RosterImport)
class RosterImportAdmin(SchoolScopedAdmin):
    school_field = "classroom__school"
    list_display = [
        "created_at",
        "classroom",
        "imported_by",
        "rows",
        "created_students",
        "enrolled_existing",
        "already_enrolled",
    ]
    list_filter = ["classroom__school"]
    search_fields = ["classroom__name", "imported_by__username", "file_sha256"]
    list_select_related = ["classroom", "imported_by"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RosterImport | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: RosterImport | None = None) -> bool:
        return False
