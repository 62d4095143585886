"""School scoping for the admin console.

An admin of a school runs that school and no other (`permissions.can_manage_school`); the
admin console is where they do it, so every model admin that holds a school's people, classes
or grades lists, opens and offers in its forms only that school's rows. Rows outside the
queryset answer as missing, the same way an unknown id does.

Rows that no school owns (shared catalogues, the site's schedules) are seen and changed by
every admin but deleted, or acted on in bulk, only by an admin of the whole site; the login
throttle's records belong to the school of the username they carry. Models that other apps
register (auth, django-axes, django-celery-beat) get these rules through `rescope`.

Django hands a bulk action the rows selected on the scoped list, but an action may ignore
them and work on the whole table (django-axes' "clean up expired attempts"), and a row of
the list may be shared by every school: both are offered to an admin of one school only
where the action keeps to their rows.
"""

from __future__ import annotations

import types
from typing import Any, ClassVar

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.db.models import ForeignKey, Model, QuerySet
from django.db.models.fields.related import RelatedField
from django.http import HttpRequest

from toolbox.accounts import permissions


class SchoolScopedChoices(BaseModelAdmin):
    """For model admins and for inlines that can add rows."""

    def get_field_queryset(self, db: str | None, db_field: RelatedField, request: HttpRequest) -> QuerySet[Any] | None:
        """The choices of a foreign key are scoped like the related model's own admin, so
        that a posted id from another school fails validation."""
        queryset = super().get_field_queryset(db, db_field, request)
        related_model: type[Model] = db_field.remote_field.model  # pyright: ignore[reportAssignmentType]
        related_admin = self.admin_site._registry.get(related_model)
        if not isinstance(related_admin, SchoolScopedAdmin):
            return queryset
        base = queryset if queryset is not None else related_model._default_manager.using(db)
        return permissions.admin_console_queryset(
            request.user,  # pyright: ignore[reportArgumentType]
            base,
            school_field=related_admin.school_field,
        )


class SchoolScopedAdmin(SchoolScopedChoices, admin.ModelAdmin):
    """Declare `school_field`, the lookup from the model to its school ("school",
    "classroom__school", "student__school", or "pk" for School itself)."""

    school_field: ClassVar[str]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return permissions.admin_console_queryset(
            request.user,  # pyright: ignore[reportArgumentType]
            super().get_queryset(request),
            school_field=self.school_field,
        )

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        """A school admin cannot leave a row's own school empty: a user without a school
        who is made an admin would run every school."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name == self.school_field:
            field.required = field.required or getattr(request.user, "school_id", None) is not None
        return field


class SharedRowsAdmin(admin.ModelAdmin):
    """For rows no school owns. Deleting one takes every school's rows that hang on it (their
    mastery on an objective, their awards of a badge) with it, and the confirmation page
    lists them by name, so only an admin of the whole site may. Bulk actions are theirs too:
    switching the site's schedules off, on or running them now (django-celery-beat's
    actions) does it for every school."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and permissions.can_manage_every_school(
            request.user  # pyright: ignore[reportArgumentType]
        )

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        if permissions.can_manage_every_school(request.user):  # pyright: ignore[reportArgumentType]
            return super().get_actions(request)
        return {}


class SignInRecordsAdmin(admin.ModelAdmin):
    """For django-axes' records of sign-ins: an admin sees only their school's people's, and
    of the bulk actions gets only those that act on the rows selected in that list."""

    actions_on_selected_rows: ClassVar[frozenset[str]] = frozenset({"delete_selected"})

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return permissions.admin_console_sign_in_records(
            request.user,  # pyright: ignore[reportArgumentType]
            super().get_queryset(request),
        )

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if permissions.can_manage_every_school(request.user):  # pyright: ignore[reportArgumentType]
            return actions
        return {name: action for name, action in actions.items() if name in self.actions_on_selected_rows}


class SignInAttemptsAdmin(SignInRecordsAdmin):
    """For django-axes' attempts, whose "clean up expired attempts" action clears every
    school's (so it is the site admin's)."""

    @admin.action(description="Clean up expired attempts")
    def cleanup_expired_attempts(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # django-axes counts the cool-off back from the time its sign-in checks stamp on the
        # request; an admin page is no sign-in, so without the stamp the action fails.
        AxesProxyHandler.update_request(request)
        super().cleanup_expired_attempts(request, queryset)  # pyright: ignore[reportAttributeAccessIssue]


def rescope(model: type[Model], rules: type[BaseModelAdmin]) -> None:
    """Register again a model that another app registered, with `rules` in front of its admin."""
    registered = type(admin.site.get_model_admin(model))
    rescoped = types.new_class(registered.__name__, (rules, registered), exec_body=_in_this_module)
    admin.site.unregister(model)
    admin.site.register(model, rescoped)


def _in_this_module(namespace: dict[str, Any]) -> None:
    namespace["__module__"] = __name__
