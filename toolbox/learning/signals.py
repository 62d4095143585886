"""Keeps the cached page data of students and parents fresh (toolbox/freshness.py): any
saved or deleted row that a student's pages show replaces the generation of the students it
belongs to, once the change commits.

Receivers cover every write that goes through `save()` or `delete()`, the services' and the
admin console's alike. Bulk writes (`bulk_create`, `QuerySet.update()`), which send no
signal, call `users_changed` themselves where they are made.

A row moved to another student or class (the admin console can) refreshes both: the owners
it had when it was loaded are remembered (`post_init`) next to the ones it is saved with.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model, Q
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from toolbox.accounts.models import ParentLink, Role, School, User
from toolbox.classroom.models import Classroom, Enrollment
from toolbox.content.models import Lesson, Quiz
from toolbox.freshness import everyone_changed, users_changed
from toolbox.learning.models import (
    Assignment,
    Attempt,
    Badge,
    LessonProgress,
    Mastery,
    Notification,
    PracticeItem,
    PracticeSet,
    StudentBadge,
    StudentStats,
)

# Rows that belong to one user, by the attname of the user's foreign key.
USER_OWNED: dict[type[Model], tuple[str, ...]] = {
    Attempt: ("student_id",),
    Enrollment: ("student_id",),
    LessonProgress: ("student_id",),
    Mastery: ("student_id",),
    StudentStats: ("student_id",),
    StudentBadge: ("student_id",),
    PracticeSet: ("student_id",),
    Notification: ("user_id",),
    ParentLink: ("parent_id", "student_id"),
}
# Rows whose change shows on the pages of every student of a class.
CLASS_OWNED: dict[type[Model], str] = {Assignment: "classroom_id", Classroom: "id"}
# Saving a user only to record a sign-in changes nothing their pages show.
SIGN_IN_FIELDS = frozenset({"last_login"})


def students_of_classrooms(classroom_ids: Iterable[int | None]) -> list[int]:
    """Every student enrolled in these classes, removed ones included (a removal is itself
    a change to their pages)."""
    ids = {classroom_id for classroom_id in classroom_ids if classroom_id is not None}
    if not ids:
        return []
    return list(Enrollment.objects.filter(classroom_id__in=ids).values_list("student_id", flat=True).distinct())


def classrooms_changed(*, classroom_ids: Iterable[int | None]) -> None:
    users_changed(user_ids=students_of_classrooms(classroom_ids))


def content_changed(*, lesson_ids: Iterable[int] = (), quiz_ids: Iterable[int] = ()) -> None:
    """A lesson or quiz changed (its title, its status, its body): the students of every
    class it is assigned to."""
    lessons, quizzes = list(lesson_ids), list(quiz_ids)
    if not lessons and not quizzes:
        return
    classroom_ids = (
        Assignment.objects.filter(Q(lesson_id__in=lessons) | Q(quiz_id__in=quizzes))
        .values_list("classroom_id", flat=True)
        .distinct()
    )
    classrooms_changed(classroom_ids=list(classroom_ids))


def _owners(instance: Model, fields: Iterable[str]) -> set[Any]:
    loaded = getattr(instance, "_loaded_owners", {})
    return {value for field in fields for value in (getattr(instance, field), loaded.get(field))}


def _remember_owners(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    fields = USER_OWNED.get(sender) or (CLASS_OWNED[sender],)
    instance._loaded_owners = {field: instance.__dict__.get(field) for field in fields}  # type: ignore[attr-defined]


def _user_owned_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    users_changed(user_ids=_owners(instance, USER_OWNED[sender]))


def _class_owned_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    classrooms_changed(classroom_ids=_owners(instance, (CLASS_OWNED[sender],)))


for _model in [*USER_OWNED, *CLASS_OWNED]:
    post_init.connect(_remember_owners, sender=_model, dispatch_uid=f"freshness-owners-{_model.__name__}")
for _model in USER_OWNED:
    post_save.connect(_user_owned_changed, sender=_model, dispatch_uid=f"freshness-saved-{_model.__name__}")
    post_delete.connect(_user_owned_changed, sender=_model, dispatch_uid=f"freshness-deleted-{_model.__name__}")
for _model in CLASS_OWNED:
    post_save.connect(_class_owned_changed, sender=_model, dispatch_uid=f"freshness-saved-{_model.__name__}")
    post_delete.connect(_class_owned_changed, sender=_model, dispatch_uid=f"freshness-deleted-{_model.__name__}")


@receiver(post_save, sender=PracticeItem)
@receiver(post_delete, sender=PracticeItem)
def practice_item_changed(sender: type[PracticeItem], instance: PracticeItem, **kwargs: Any) -> None:
    if PracticeItem.practice_set.is_cached(instance):  # pyright: ignore[reportAttributeAccessIssue]
        student_ids = [instance.practice_set.student_id]
    else:
        student_ids = list(PracticeSet.objects.filter(pk=instance.practice_set_id).values_list("student_id", flat=True))
    users_changed(user_ids=student_ids)


@receiver(post_save, sender=Lesson)
@receiver(post_delete, sender=Lesson)
def lesson_changed(sender: type[Lesson], instance: Lesson, **kwargs: Any) -> None:
    content_changed(lesson_ids=[instance.pk])


@receiver(post_save, sender=Quiz)
@receiver(post_delete, sender=Quiz)
def quiz_changed(sender: type[Quiz], instance: Quiz, **kwargs: Any) -> None:
    content_changed(quiz_ids=[instance.pk])


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def user_changed(sender: type[User], instance: User, update_fields: Iterable[str] | None = None, **kwargs: Any) -> None:
    """A user's own name, role or school shows on their pages and their parents' pages; an
    educator's name shows on the work they set (the API names who assigned it)."""
    if update_fields is not None and set(update_fields) <= SIGN_IN_FIELDS:
        return
    users_changed(user_ids=[instance.pk])
    if instance.role == Role.EDUCATOR:
        classroom_ids = Assignment.objects.filter(assigned_by_id=instance.pk).values_list("classroom_id", flat=True)
        classrooms_changed(classroom_ids=list(classroom_ids.distinct()))


@receiver(post_save, sender=Badge)
@receiver(post_delete, sender=Badge)
@receiver(post_save, sender=School)
@receiver(post_delete, sender=School)
def shared_row_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """A badge's name or icon, or a school's time zone, shows on many students' pages."""
    everyone_changed()
