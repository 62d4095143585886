from __future__ import annotations

import json

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from toolbox.accounts import permissions
from toolbox.accounts.admin_scoping import (
    SchoolScopedAdmin,
    SharedRowsAdmin,
    SignInAttemptsAdmin,
    SignInRecordsAdmin,
    rescope,
)
from toolbox.accounts.audit import audit_record
from toolbox.accounts.models import AuditEvent, ParentLink, School, User
from toolbox.accounts.privacy import student_data_export, student_erase
from toolbox.errors import DomainError

rescope(Group, SharedRowsAdmin)
for sign_in_record, rules in (
    (AccessAttempt, SignInAttemptsAdmin),
    (AccessFailureLog, SignInRecordsAdmin),
    (AccessLog, SignInRecordsAdmin),
):
    if admin.site.is_registered(sign_in_record):  # django-axes registers them unless AXES_ENABLE_ADMIN is off
        rescope(sign_in_record, rules)


@admin.register(School)
class SchoolAdmin(SchoolScopedAdmin):
    school_field = "pk"
    list_display = ["name", "slug", "time_zone", "daily_token_budget", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and permissions.can_add_or_delete_school(
            request.user  # pyright: ignore[reportArgumentType]
        )

    def has_delete_permission(self, request: HttpRequest, obj: School | None = None) -> bool:
        return super().has_delete_permission(request, obj) and permissions.can_add_or_delete_school(
            request.user  # pyright: ignore[reportArgumentType]
        )


@admin.register(User)
class UserAdmin(SchoolScopedAdmin, DjangoUserAdmin):
    school_field = "school"
    list_display = ["username", "name", "email", "role", "school", "is_active", "last_login"]
    list_filter = ["role", "school", "is_active"]
    search_fields = ["username", "first_name", "last_name", "display_name", "email", "clerk_user_id"]
    autocomplete_fields = ["school"]
    readonly_fields = ["is_staff", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "display_name", "email", "grade_level")}),
        ("School and role", {"fields": ("school", "role", "is_active", "is_staff", "is_superuser", "digest_opt_in")}),
        ("Sign-in", {"fields": ("clerk_user_id", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "role", "school", "password1", "password2")}),
    )
    actions = ["export_student_data", "erase_students"]

    @admin.action(description="Export the selected student's data (JSON)")
    def export_student_data(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one student to export.", messages.ERROR)
            return None
        student = queryset.get()
        try:
            export = student_data_export(actor=request.user, student=student)  # type: ignore[arg-type]
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return None
        response = HttpResponse(json.dumps(export, indent=2), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="student-{student.pk}-data.json"'
        return response

    @admin.action(description="Erase the selected students' personal data")
    def erase_students(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse | None:
        if request.POST.get("confirm") != "yes":
            # Erasing cannot be undone: ask once more, naming who would be erased.
            return TemplateResponse(
                request,
                "admin/accounts/user/erase_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Erase students' personal data?",
                    "students": list(queryset),
                    "opts": self.model._meta,
                    "action_checkbox_name": ACTION_CHECKBOX_NAME,
                },
            )
        erased = 0
        for student in queryset:
            try:
                student_erase(actor=request.user, student=student)  # type: ignore[arg-type]
            except DomainError as error:
                self.message_user(request, f"{student.name}: {error.message}", messages.ERROR)
            else:
                erased += 1
        if erased:
            self.message_user(
                request,
                f"Erased the personal data of {erased} student(s); their scores stay, anonymous.",
                messages.SUCCESS,
            )
        return None

    def save_model(self, request: HttpRequest, obj: User, form: object, change: bool) -> None:
        previous_role = User.objects.filter(pk=obj.pk).values_list("role", flat=True).first() if change else None
        super().save_model(request, obj, form, change)  # type: ignore[arg-type]
        if change and previous_role != obj.role:
            audit_record(
                actor=request.user,  # type: ignore[arg-type]
                action="user.role_changed",
                target=obj,
                school=obj.school,
                before={"role": previous_role},
                after={"role": obj.role},
            )


@admin.register(ParentLink)
class ParentLinkAdmin(SchoolScopedAdmin):
    school_field = "student__school"
    list_display = ["parent", "student", "can_view_grades", "created_at"]
    list_filter = ["can_view_grades"]
    search_fields = ["parent__username", "student__username", "parent__last_name", "student__last_name"]
    autocomplete_fields = ["parent", "student"]

    def has_delete_permission(self, request: HttpRequest, obj: ParentLink | None = None) -> bool:
        """A parent can have children at two schools. Django asks this of every row that a
        delete would take with it, so deleting the parent from one school's console stops at
        (and does not name) the link to the other school's child."""
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_manage_school(request.user, obj.student.school_id))  # pyright: ignore[reportArgumentType]

    def save_model(self, request: HttpRequest, obj: ParentLink, form: object, change: bool) -> None:
        before = ParentLink.objects.filter(pk=obj.pk).values("parent", "student", "can_view_grades").first()
        super().save_model(request, obj, form, change)  # type: ignore[arg-type]
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action="parent_link.changed" if change else "parent_link.created",
            target=obj,
            school=obj.student.school,
            before=before,
            after=_link_state(obj),
        )

    def delete_model(self, request: HttpRequest, obj: ParentLink) -> None:
        _audit_link_deleted(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ParentLink]) -> None:
        for link in queryset.select_related("student__school"):
            _audit_link_deleted(request, link)
        super().delete_queryset(request, queryset)


def _link_state(link: ParentLink) -> dict[str, object]:
    return {"parent": link.parent_id, "student": link.student_id, "can_view_grades": link.can_view_grades}


def _audit_link_deleted(request: HttpRequest, link: ParentLink) -> None:
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action="parent_link.deleted",
        target=link,
        school=link.student.school,
        before=_link_state(link),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(SchoolScopedAdmin):
    school_field = "school"
    list_display = ["created_at", "action", "actor", "target_type", "target_id", "school"]
    list_filter = ["action", "school"]
    search_fields = ["action", "target_id", "actor__username"]
    date_hierarchy = "created_at"
    readonly_fields = ["actor", "action", "target_type", "target_id", "school", "before", "after", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
