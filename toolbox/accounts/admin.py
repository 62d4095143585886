from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from toolbox.accounts.admin_scoping import SchoolScopedAdmin
from toolbox.accounts.models import AuditEvent, ParentLink, School, User


@admin.register(School)
class SchoolAdmin(SchoolScopedAdmin):
    school_field = "pk"
    list_display = ["name", "slug", "time_zone", "daily_token_budget", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}


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

    def save_model(self, request: HttpRequest, obj: User, form: object, change: bool) -> None:
        from toolbox.accounts.audit import audit_record

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
