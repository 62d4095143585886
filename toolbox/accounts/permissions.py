"""The role rules of ToolBox, in one place.

Pages (through `toolbox.accounts.mixins`), API operations (through `toolbox.api.auth`) and
services all ask these functions. Each takes the acting user first and answers a yes or no;
callers decide whether a "no" means 404 (the object exists but the caller may not see it,
so ids leak nothing) or 403 (a whole area of the site is for another role).

Reading rules come in two shapes: `can_*` for one object, and `*_queryset` filters for
lists, so that a list never shows what a detail page would refuse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, Q, QuerySet

from toolbox.accounts.models import ParentLink, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from toolbox.ai.models import GenerationJob
    from toolbox.classroom.models import Classroom
    from toolbox.content.models import Lesson, Quiz
    from toolbox.learning.models import Assignment, Attempt

    AnyUser = User | AnonymousUser

ContentT = TypeVar("ContentT", "Lesson", "Quiz")
ModelT = TypeVar("ModelT", bound=Model)


def _is_active(user: AnyUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_role(user: AnyUser | None, role: str) -> bool:
    return _is_active(user) and getattr(user, "role", None) == role


def is_student(user: AnyUser | None) -> bool:
    return has_role(user, Role.STUDENT)


def is_educator(user: AnyUser | None) -> bool:
    return has_role(user, Role.EDUCATOR)


def is_parent(user: AnyUser | None) -> bool:
    return has_role(user, Role.PARENT)


def is_admin(user: AnyUser | None) -> bool:
    return has_role(user, Role.ADMIN)


def _same_school(user: User, school_id: int | None) -> bool:
    return school_id is not None and user.school_id == school_id


# --- Admin console -------------------------------------------------------------------------


def can_use_admin_site(user: AnyUser | None) -> bool:
    return is_admin(user) and bool(getattr(user, "is_staff", False))


def can_manage_school(user: AnyUser | None, school_id: int | None) -> bool:
    """Admins run their own school; an admin with no school runs the whole site."""
    if not is_admin(user):
        return False
    assert isinstance(user, User)
    return user.school_id is None or user.school_id == school_id


def can_manage_every_school(user: AnyUser | None) -> bool:
    """An admin with no school runs the whole site, and only they delete what every school
    shares (a learning objective, a badge, a schedule): other schools' rows hang on it."""
    return is_admin(user) and getattr(user, "school_id", None) is None


def can_add_or_delete_school(user: AnyUser | None) -> bool:
    """An admin of one school changes its settings but neither deletes it, which would take
    every class, person and grade of the school with it, nor adds another: schools are the
    site's to make and end."""
    return can_manage_every_school(user)


def admin_console_queryset(user: AnyUser | None, queryset: QuerySet[ModelT], *, school_field: str) -> QuerySet[ModelT]:
    """The rows of a model an admin may see and change in the admin console: their own
    school's (found through `school_field`, a lookup path such as "classroom__school"), or
    every school's for an admin with no school; nothing for anyone else."""
    if not is_admin(user):
        return queryset.none()
    assert isinstance(user, User)
    return queryset if user.school_id is None else queryset.filter(**{school_field: user.school_id})


def admin_console_sign_in_records(user: AnyUser | None, queryset: QuerySet[ModelT]) -> QuerySet[ModelT]:
    """The login throttle's records (django-axes: attempts, failures, sign-ins) an admin may
    see: those carrying a username of their own school's people. They name no school, and a
    username nobody has is the site's concern, so only an admin with no school sees every one."""
    if not is_admin(user):
        return queryset.none()
    assert isinstance(user, User)
    if user.school_id is None:
        return queryset
    return queryset.filter(username__in=User.objects.filter(school_id=user.school_id).values("username"))


def can_change_role(user: AnyUser | None, target: User) -> bool:
    """Roles are given by the admins who run the person's school (clients never pick their own)."""
    return can_manage_school(user, target.school_id)


# --- Classes ----------------------------------------------------------------------------------


def can_create_classroom(user: AnyUser | None) -> bool:
    return (is_educator(user) or is_admin(user)) and getattr(user, "school_id", None) is not None


def teaches(user: AnyUser | None, classroom: Classroom) -> bool:
    """The owner or a co-teacher of the class."""
    if not is_educator(user):
        return False
    assert isinstance(user, User)
    if classroom.owner_id == user.pk:
        return True
    return classroom.co_teachers.filter(pk=user.pk).exists()


def can_view_classroom(user: AnyUser | None, classroom: Classroom) -> bool:
    if teaches(user, classroom) or can_manage_school(user, classroom.school_id):
        return True
    if is_student(user):
        return classroom.enrollments.filter(student_id=user.pk, status="active").exists()  # type: ignore[union-attr]
    return False


def can_edit_classroom(user: AnyUser | None, classroom: Classroom) -> bool:
    return teaches(user, classroom) or can_manage_school(user, classroom.school_id)


def can_archive_classroom(user: AnyUser | None, classroom: Classroom) -> bool:
    """Only the owner (or an admin) archives; co-teachers help run a class but do not end it."""
    if is_educator(user):
        return classroom.owner_id == user.pk  # type: ignore[union-attr]
    return can_manage_school(user, classroom.school_id)


def can_choose_co_teachers(user: AnyUser | None, classroom: Classroom) -> bool:
    """Co-teachers see every student's work, so only the owner (or an admin) brings them in
    or takes them off; it is the same rule as archiving."""
    return can_archive_classroom(user, classroom)


def can_import_roster(user: AnyUser | None, classroom: Classroom) -> bool:
    """Roster imports create student accounts, so they follow the rule for running the class."""
    return can_edit_classroom(user, classroom)


def can_join_classroom(user: AnyUser | None) -> bool:
    return is_student(user)


def classrooms_visible_to(user: AnyUser | None, queryset: QuerySet[Classroom]) -> QuerySet[Classroom]:
    if is_educator(user):
        return queryset.filter(Q(owner_id=user.pk) | Q(co_teachers__id=user.pk)).distinct()  # type: ignore[union-attr]
    if is_student(user):
        return queryset.filter(enrollments__student_id=user.pk, enrollments__status="active")  # type: ignore[union-attr]
    if is_admin(user):
        assert isinstance(user, User)
        return queryset if user.school_id is None else queryset.filter(school_id=user.school_id)
    return queryset.none()


# --- Students and parents ---------------------------------------------------------------------


def educator_teaches_student(user: AnyUser | None, student: User) -> bool:
    if not is_educator(user):
        return False
    from toolbox.classroom.models import Enrollment

    return (
        # An archived class has ended: its teacher keeps the class's records, but no longer
        # manages the student through it.
        Enrollment.objects.filter(student_id=student.pk, status="active", classroom__is_archived=False)
        .filter(Q(classroom__owner_id=user.pk) | Q(classroom__co_teachers__id=user.pk))  # type: ignore[union-attr]
        .exists()
    )


def parent_link_for(user: AnyUser | None, student: User) -> ParentLink | None:
    if not is_parent(user):
        return None
    return ParentLink.objects.filter(parent_id=user.pk, student_id=student.pk).first()  # type: ignore[union-attr]


def can_view_student(user: AnyUser | None, student: User) -> bool:
    """See a student's profile and progress (not necessarily every grade)."""
    if not _is_active(user) or student.role != Role.STUDENT:
        return False
    assert isinstance(user, User)
    if user.pk == student.pk:
        return True
    if is_educator(user):
        return educator_teaches_student(user, student)
    if is_parent(user):
        return parent_link_for(user, student) is not None
    return can_manage_school(user, student.school_id)


def can_view_student_grades(user: AnyUser | None, student: User) -> bool:
    if is_parent(user):
        link = parent_link_for(user, student)
        return link is not None and link.can_view_grades
    return can_view_student(user, student)


def can_manage_student(user: AnyUser | None, student: User) -> bool:
    """Remove from a class, create parent invites, override grades."""
    if is_educator(user):
        return educator_teaches_student(user, student)
    return can_manage_school(user, student.school_id)


def can_link_child(user: AnyUser | None) -> bool:
    return is_parent(user)


def children_of(user: AnyUser | None) -> QuerySet[User]:
    if not is_parent(user):
        return User.objects.none()
    return User.objects.filter(parent_links__parent_id=user.pk, role=Role.STUDENT)  # type: ignore[union-attr]


# --- Content ----------------------------------------------------------------------------------


def can_author_content(user: AnyUser | None) -> bool:
    return (is_educator(user) or is_admin(user)) and getattr(user, "school_id", None) is not None


def content_library_queryset(user: AnyUser | None, queryset: QuerySet[ContentT]) -> QuerySet[ContentT]:
    """The lessons or quizzes a user may browse and manage: an educator's or admin's school
    (everything for a site-wide admin). Students reach content only through assignments."""
    if is_educator(user):
        assert isinstance(user, User)
        return queryset.filter(school_id=user.school_id) if user.school_id is not None else queryset.none()
    if is_admin(user):
        assert isinstance(user, User)
        return queryset if user.school_id is None else queryset.filter(school_id=user.school_id)
    return queryset.none()


def can_view_content(user: AnyUser | None, content: Lesson | Quiz) -> bool:
    """Educators see their school's library; students see published work assigned to them."""
    if is_educator(user):
        assert isinstance(user, User)
        return _same_school(user, content.school_id)
    if can_manage_school(user, content.school_id):
        return True
    if is_student(user) and content.status == "published":
        return _is_assigned_to_student(content, user)  # type: ignore[arg-type]
    return False


def _is_assigned_to_student(content: Lesson | Quiz, student: User) -> bool:
    from toolbox.content.models import Lesson
    from toolbox.learning.models import Assignment

    field = "lesson" if isinstance(content, Lesson) else "quiz"
    return Assignment.objects.filter(
        **{field: content},
        classroom__enrollments__student_id=student.pk,
        classroom__enrollments__status="active",
        classroom__is_archived=False,
    ).exists()


def can_edit_content(user: AnyUser | None, content: Lesson | Quiz) -> bool:
    """Drafts are edited by their author or any educator of the school; published work is
    frozen (archive it and write a new version) so that students never see it change."""
    if content.status not in ("draft", "in_review"):
        return False
    if is_educator(user):
        assert isinstance(user, User)
        return _same_school(user, content.school_id)
    return can_manage_school(user, content.school_id)


def can_submit_for_review(user: AnyUser | None, content: Lesson | Quiz) -> bool:
    return can_edit_content(user, content) and content.status == "draft"


def can_review_content(user: AnyUser | None, content: Lesson | Quiz) -> bool:
    """Approve or reject. Any educator of the school may review, including the author of an
    AI draft: the rule that matters is that a person looks at it before students do."""
    if is_educator(user):
        assert isinstance(user, User)
        return _same_school(user, content.school_id)
    return can_manage_school(user, content.school_id)


def can_publish_content(user: AnyUser | None, content: Lesson | Quiz) -> bool:
    """Publish without a separate approval: only hand-written work, by someone who could
    review it. AI drafts reach students only through an approval."""
    return content.source != "ai" and can_review_content(user, content)


def can_archive_content(user: AnyUser | None, content: Lesson | Quiz) -> bool:
    return can_review_content(user, content)


# --- Assignments and attempts -----------------------------------------------------------------


def can_assign(user: AnyUser | None, classroom: Classroom) -> bool:
    return can_edit_classroom(user, classroom)


def can_view_assignment(user: AnyUser | None, assignment: Assignment) -> bool:
    return can_view_classroom(user, assignment.classroom)


def can_attempt(user: AnyUser | None, assignment: Assignment) -> bool:
    return is_student(user) and can_view_classroom(user, assignment.classroom)


def can_view_attempt(user: AnyUser | None, attempt: Attempt) -> bool:
    if is_student(user):
        return attempt.student_id == user.pk  # type: ignore[union-attr]
    if is_educator(user):
        return teaches(user, attempt.assignment.classroom)
    if is_parent(user):
        return can_view_student_grades(user, attempt.student)
    return can_manage_school(user, attempt.assignment.classroom.school_id)


def can_grade_attempt(user: AnyUser | None, attempt: Attempt) -> bool:
    if is_educator(user):
        return teaches(user, attempt.assignment.classroom)
    return can_manage_school(user, attempt.assignment.classroom.school_id)


def can_regrade_quiz(user: AnyUser | None, quiz: Quiz) -> bool:
    """Regrade every attempt at a quiz after its answer key is fixed: whoever may review
    the school's content may correct it, across all the classes that took it."""
    return can_review_content(user, quiz)


# --- AI generation ----------------------------------------------------------------------------


def can_request_generation(user: AnyUser | None) -> bool:
    return can_author_content(user)


def can_view_generation_job(user: AnyUser | None, job: GenerationJob) -> bool:
    if is_educator(user):
        return job.created_by_id == user.pk  # type: ignore[union-attr]
    return can_manage_school(user, job.school_id)
