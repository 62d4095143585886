from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import AdminFactory, EducatorFactory, SchoolFactory
from toolbox.accounts.models import AuditEvent, User
from toolbox.content.models import ContentSource, ContentStatus, Lesson, Quiz
from toolbox.content.services import (
    content_approve,
    content_archive,
    content_publish,
    content_reject,
    content_submit_for_review,
    lesson_create,
    lesson_update,
    question_create,
    quiz_create,
)
from toolbox.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _lesson(author: User, source: str = "manual") -> Lesson:
    return lesson_create(
        author=author, title="Fractions", subject="Maths", grade_level="5", body_markdown="Halves.", source=source
    )


def _quiz(author: User, source: str = "manual", questions: int = 1) -> Quiz:
    quiz = quiz_create(author=author, title="Fractions quiz", subject="Maths", grade_level="5", source=source)
    for number in range(questions):
        question_create(actor=author, quiz=quiz, kind="short_answer", prompt=f"Q{number}", accepted_answers=["1/2"])
    return quiz


def _audit_actions(content: Lesson | Quiz) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(content.pk), target_type=content._meta.label_lower)
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.mark.parametrize("make", [_lesson, _quiz])
def test_draft_to_review_to_published_to_archived(educator: User, make: object) -> None:
    content = make(educator)  # type: ignore[operator]
    reviewer = EducatorFactory(school=educator.school)

    content_submit_for_review(actor=educator, content=content)
    assert content.status == ContentStatus.IN_REVIEW
    with time_machine.travel(NOW, tick=False):
        content_approve(actor=reviewer, content=content, notes="Clear and correct.")

    content.refresh_from_db()
    assert content.status == ContentStatus.PUBLISHED
    assert content.reviewed_by == reviewer
    assert content.reviewed_at == NOW
    assert content.published_at == NOW
    assert content.review_notes == "Clear and correct."

    content_archive(actor=reviewer, content=content)
    content.refresh_from_db()
    assert content.status == ContentStatus.ARCHIVED
    assert _audit_actions(content) == ["content.submitted", "content.approved", "content.archived"]
    approved = AuditEvent.objects.get(action="content.approved", target_id=str(content.pk))
    assert approved.actor == reviewer
    assert approved.school_id == educator.school_id
    assert approved.before == {"status": "in_review"}
    assert approved.after == {"status": "published", "notes": "Clear and correct."}


def test_reject_sends_back_to_draft_with_notes_and_the_author_can_fix_it(educator: User) -> None:
    lesson = _lesson(educator)
    reviewer = EducatorFactory(school=educator.school)
    content_submit_for_review(actor=educator, content=lesson)

    content_reject(actor=reviewer, content=lesson, notes="  Add a worked example.  ")

    lesson.refresh_from_db()
    assert lesson.status == ContentStatus.DRAFT
    assert lesson.review_notes == "Add a worked example."
    assert lesson.reviewed_by == reviewer
    assert lesson.published_at is None
    assert _audit_actions(lesson) == ["content.submitted", "content.rejected"]
    lesson_update(actor=educator, lesson=lesson, body_markdown="Halves, with an example.")
    content_submit_for_review(actor=educator, content=lesson)
    assert lesson.status == ContentStatus.IN_REVIEW


@pytest.mark.parametrize("notes", ["", "   "])
def test_reject_needs_notes(educator: User, notes: str) -> None:
    lesson = _lesson(educator)
    content_submit_for_review(actor=educator, content=lesson)

    with pytest.raises(InvalidInputError):
        content_reject(actor=educator, content=lesson, notes=notes)

    lesson.refresh_from_db()
    assert lesson.status == ContentStatus.IN_REVIEW
    assert _audit_actions(lesson) == ["content.submitted"]


def test_a_quiz_without_questions_cannot_go_for_review_or_out(educator: User) -> None:
    quiz = _quiz(educator, questions=0)
    ai_quiz = _quiz(educator, source="ai", questions=0)

    for step, content in ((content_submit_for_review, quiz), (content_publish, quiz), (content_approve, ai_quiz)):
        with pytest.raises(ConflictError, match="at least one question"):
            step(actor=educator, content=content)

    assert set(Quiz.objects.values_list("status", flat=True)) == {ContentStatus.DRAFT}


def test_a_hand_written_draft_is_submitted_before_it_is_approved(educator: User) -> None:
    lesson = _lesson(educator)

    with pytest.raises(ConflictError):
        content_approve(actor=educator, content=lesson)

    content_submit_for_review(actor=educator, content=lesson)
    content_approve(actor=educator, content=lesson)
    assert lesson.status == ContentStatus.PUBLISHED


def test_manual_content_can_be_published_directly(educator: User) -> None:
    lesson = _lesson(educator)

    content_publish(actor=educator, content=lesson)

    lesson.refresh_from_db()
    assert lesson.status == ContentStatus.PUBLISHED
    assert lesson.published_at is not None
    assert _audit_actions(lesson) == ["content.published"]


@pytest.mark.parametrize(
    ("start", "step", "kwargs"),
    [
        (ContentStatus.IN_REVIEW, content_submit_for_review, {}),
        (ContentStatus.PUBLISHED, content_submit_for_review, {}),
        (ContentStatus.PUBLISHED, content_approve, {}),
        (ContentStatus.ARCHIVED, content_approve, {}),
        (ContentStatus.PUBLISHED, content_reject, {"notes": "no"}),
        (ContentStatus.PUBLISHED, content_publish, {}),
        (ContentStatus.ARCHIVED, content_publish, {}),
        (ContentStatus.DRAFT, content_archive, {}),
        (ContentStatus.IN_REVIEW, content_archive, {}),
        (ContentStatus.ARCHIVED, content_archive, {}),
    ],
)
def test_steps_from_the_wrong_state_are_refused(
    educator: User, start: str, step: object, kwargs: dict[str, str]
) -> None:
    quiz = _quiz(educator)
    Quiz.objects.filter(pk=quiz.pk).update(status=start)

    with pytest.raises(ConflictError):
        step(actor=educator, content=quiz, **kwargs)  # type: ignore[operator]

    quiz.refresh_from_db()
    assert quiz.status == start
    assert not AuditEvent.objects.filter(action__startswith="content.").exists()


def test_status_is_read_from_the_database_not_the_callers_copy(educator: User) -> None:
    lesson = _lesson(educator)
    stale = Lesson.objects.get(pk=lesson.pk)
    content_publish(actor=educator, content=lesson)

    with pytest.raises(ConflictError):
        lesson_update(actor=educator, lesson=stale, title="Sneaky edit")
    with pytest.raises(ConflictError):
        content_publish(actor=educator, content=stale)


# --- Who may do what -------------------------------------------------------------------------


def test_students_and_parents_cannot_move_content(educator: User, student: User, parent: User) -> None:
    quiz = _quiz(educator)
    content_submit_for_review(actor=educator, content=quiz)

    for actor in (student, parent):
        for step, kwargs in (
            (content_approve, {}),
            (content_reject, {"notes": "bad"}),
            (content_publish, {}),
            (content_submit_for_review, {}),
        ):
            with pytest.raises(NotFoundError):
                step(actor=actor, content=quiz, **kwargs)  # type: ignore[operator]
    quiz.refresh_from_db()
    assert quiz.status == ContentStatus.IN_REVIEW


def test_educators_of_another_school_cannot_review_or_archive(educator: User) -> None:
    lesson = _lesson(educator)
    content_submit_for_review(actor=educator, content=lesson)
    outsider = EducatorFactory(school=SchoolFactory())
    outside_admin = AdminFactory(school=outsider.school)

    for actor in (outsider, outside_admin):
        with pytest.raises(NotFoundError):
            content_approve(actor=actor, content=lesson)
        with pytest.raises(NotFoundError):
            content_reject(actor=actor, content=lesson, notes="no")
    content_approve(actor=educator, content=lesson)
    with pytest.raises(NotFoundError):
        content_archive(actor=outsider, content=lesson)
    lesson.refresh_from_db()
    assert lesson.status == ContentStatus.PUBLISHED


def test_a_student_assigned_published_content_still_cannot_archive_it(educator: User, student: User) -> None:
    from tests.factories import AssignmentFactory, ClassroomFactory, EnrollmentFactory

    quiz = _quiz(educator)
    content_publish(actor=educator, content=quiz)
    classroom = ClassroomFactory(school=educator.school, owner=educator)
    EnrollmentFactory(classroom=classroom, student=student)
    AssignmentFactory(classroom=classroom, quiz=quiz)

    with pytest.raises(ForbiddenError):
        content_archive(actor=student, content=quiz)


def test_the_schools_admin_can_review(educator: User, admin_user: User) -> None:
    lesson = _lesson(educator, source="ai")

    content_approve(actor=admin_user, content=lesson)

    assert lesson.status == ContentStatus.PUBLISHED


# --- AI drafts reach students only through a review -----------------------------------------


@pytest.mark.parametrize("make", [_lesson, _quiz])
def test_ai_draft_cannot_be_published_without_approval(educator: User, admin_user: User, make: object) -> None:
    content = make(educator, source="ai")  # type: ignore[operator]
    assert content.status == ContentStatus.DRAFT

    for actor in (educator, admin_user):
        with pytest.raises(ConflictError, match="AI"):
            content_publish(actor=actor, content=content)
    content_submit_for_review(actor=educator, content=content)
    with pytest.raises(ConflictError, match="AI"):
        content_publish(actor=admin_user, content=content)
    content_reject(actor=admin_user, content=content, notes="Wrong grade level.")
    with pytest.raises(ConflictError, match="AI"):
        content_publish(actor=educator, content=content)

    content.refresh_from_db()
    assert content.status == ContentStatus.DRAFT
    assert content.published_at is None
    assert "content.published" not in _audit_actions(content)


def test_ai_draft_is_published_by_an_educators_approval_even_from_draft(educator: User) -> None:
    quiz = _quiz(educator, source="ai")

    content_approve(actor=educator, content=quiz, notes="Checked every answer.")

    quiz.refresh_from_db()
    assert quiz.status == ContentStatus.PUBLISHED
    assert quiz.source == ContentSource.AI
    assert quiz.reviewed_by == educator
    assert _audit_actions(quiz) == ["content.approved"]


def test_an_ai_draft_cannot_be_relabelled_manual_to_dodge_review(educator: User) -> None:
    lesson = _lesson(educator, source="ai")

    with pytest.raises(InvalidInputError):
        lesson_update(actor=educator, lesson=lesson, source="manual")
    with pytest.raises(ConflictError):
        content_publish(actor=educator, content=lesson)
    lesson.refresh_from_db()
    assert (lesson.source, lesson.status) == ("ai", "draft")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_move_the_content_once(educator: User) -> None:
    """The row lock makes the second reviewer see the first one's decision."""
    import threading

    from django.db import connection

    lesson = _lesson(educator)
    content_submit_for_review(actor=educator, content=lesson)
    reviewers = [EducatorFactory(school=educator.school) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def review(reviewer: User) -> None:
        try:
            barrier.wait()
            content_approve(actor=reviewer, content=Lesson.objects.get(pk=lesson.pk))
            outcomes.append("approved")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=review, args=(reviewer,)) for reviewer in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["approved", "conflict"]
    assert AuditEvent.objects.filter(action="content.approved", target_id=str(lesson.pk)).count() == 1
