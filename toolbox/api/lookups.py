"""Load the object a path names, or answer 404 when it does not exist or the caller may not
see it (ids leak nothing). Every rule comes from toolbox.accounts.permissions; services then
check what the caller may do with it."""

from __future__ import annotations

from toolbox.accounts import permissions
from toolbox.accounts.models import Role, User
from toolbox.classroom.models import Classroom
from toolbox.content.models import LearningObjective, Lesson, Question, Quiz
from toolbox.errors import InvalidInputError, NotFoundError
from toolbox.learning.models import Assignment, Attempt, Notification


def visible_classroom(user: User, classroom_id: int) -> Classroom:
    classroom = Classroom.objects.select_related("owner", "school").filter(pk=classroom_id).first()
    if classroom is None or not permissions.can_view_classroom(user, classroom):
        raise NotFoundError("This class does not exist, or you are not part of it.")
    return classroom


def any_student(student_id: int) -> User:
    """A student account by id; callers pass it to a service or selector that checks the
    caller's rights to it (and answers 404 itself when they have none)."""
    student = User.objects.filter(pk=student_id, role=Role.STUDENT).first()
    if student is None:
        raise NotFoundError("This student does not exist, or you do not teach them.")
    return student


def visible_student(user: User, student_id: int) -> User:
    student = User.objects.select_related("school").filter(pk=student_id, role=Role.STUDENT).first()
    if student is None or not permissions.can_view_student(user, student):
        raise NotFoundError("This student does not exist, or you may not see them.")
    return student


def visible_lesson(user: User, lesson_id: int) -> Lesson:
    lesson = Lesson.objects.filter(pk=lesson_id).first()
    if lesson is None or not permissions.can_view_content(user, lesson):
        raise NotFoundError("No such lesson.")
    return lesson


def visible_quiz(user: User, quiz_id: int) -> Quiz:
    quiz = Quiz.objects.filter(pk=quiz_id).first()
    if quiz is None or not permissions.can_view_content(user, quiz):
        raise NotFoundError("No such quiz.")
    return quiz


def visible_question(user: User, question_id: int) -> Question:
    question = Question.objects.select_related("quiz").filter(pk=question_id).first()
    if question is None or not permissions.can_view_content(user, question.quiz):
        raise NotFoundError("No such question.")
    return question


def lesson_for_field(user: User, lesson_id: int | None, *, field: str) -> Lesson | None:
    """A lesson named in a request body: one the caller may not see is an invalid value."""
    if lesson_id is None:
        return None
    lesson = Lesson.objects.filter(pk=lesson_id).first()
    if lesson is None or not permissions.can_view_content(user, lesson):
        raise InvalidInputError(f"There is no lesson {lesson_id} you can use.", field=field)
    return lesson


def quiz_for_field(user: User, quiz_id: int | None, *, field: str) -> Quiz | None:
    if quiz_id is None:
        return None
    quiz = Quiz.objects.filter(pk=quiz_id).first()
    if quiz is None or not permissions.can_view_content(user, quiz):
        raise InvalidInputError(f"There is no quiz {quiz_id} you can use.", field=field)
    return quiz


def objective_for_field(objective_id: int | None, *, field: str) -> LearningObjective | None:
    if objective_id is None:
        return None
    objective = LearningObjective.objects.filter(pk=objective_id).first()
    if objective is None:
        raise InvalidInputError(f"There is no learning objective {objective_id}.", field=field)
    return objective


def visible_assignment(user: User, assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.select_related("classroom", "lesson", "quiz", "assigned_by").filter(pk=assignment_id).first()
    )
    if assignment is None or not permissions.can_view_assignment(user, assignment):
        raise NotFoundError("This assignment does not exist, or it is not for you.")
    return assignment


def visible_attempt(user: User, attempt_id: int) -> Attempt:
    attempt = (
        Attempt.objects.select_related("assignment__classroom", "assignment__quiz", "student")
        .filter(pk=attempt_id)
        .first()
    )
    if attempt is None or not permissions.can_view_attempt(user, attempt):
        raise NotFoundError("This attempt does not exist, or you may not see it.")
    return attempt


def own_attempt(student: User, attempt_id: int) -> Attempt:
    """An attempt the caller took: only its student may answer or submit it."""
    attempt = visible_attempt(student, attempt_id)
    if attempt.student_id != student.pk:
        raise NotFoundError("This attempt does not exist, or you may not see it.")
    return attempt


def own_notification(user: User, notification_id: int) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, user_id=user.pk).first()
    if notification is None:
        raise NotFoundError("This notification does not exist.")
    return notification
