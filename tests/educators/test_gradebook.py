"""The gradebook, an attempt with its answers, grade overrides with a reason, the CSV
export, class insights, and fixed query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.educators.conftest import enrol
from tests.factories import AssignmentFactory, ClassroomFactory, EnrollmentFactory, StudentFactory
from tests.factories.learning import AttemptRowFactory, LessonAssignmentFactory, LessonProgressFactory
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom
from toolbox.learning.models import Answer, Assignment, Attempt, AttemptStatus, GradedBy, GradeOverride

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
Login = Callable[[User], Client]
TakeQuiz = Callable[..., Attempt]


def _short_answer(attempt: Attempt) -> Answer:
    return Answer.objects.get(attempt=attempt, response__has_key="text")


def test_the_gradebook_shows_scores_marks_and_averages(
    login: Login, educator: User, classroom: Classroom, assignment: Assignment, take_quiz: TakeQuiz
) -> None:
    ann, bob, _cy = enrol(classroom, 3)
    take_quiz(ann, assignment)
    take_quiz(bob, assignment, choice="Wall")
    past = AssignmentFactory(
        classroom=classroom,
        quiz=assignment.quiz,
        available_from=assignment.available_from - dt.timedelta(days=5),
        due_at=assignment.available_from - dt.timedelta(days=2),
    )

    response = login(educator).get(reverse("educators:gradebook", args=[classroom.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "table-sticky" in body
    attempt = Attempt.objects.get(student=ann)
    assert reverse("educators:attempt_detail", args=[classroom.pk, attempt.pk]) in body
    assert "100%" in body
    assert "50%" in body
    assert body.count("badge-missing") == 3
    assert past.pk
    assert "Assignment average" in body
    book = response.context["book"]
    assert book.columns[1].average_percent == Decimal("75.00")


def test_the_rows_shown_follow_each_change_after_a_first_visit(
    login: Login, educator: User, classroom: Classroom, assignment: Assignment, take_quiz: TakeQuiz
) -> None:
    """The rows' markup is cached (see `_presented_rows`): each change shows on the next visit."""
    ann, _bob = enrol(classroom, 2)
    client = login(educator)
    url = reverse("educators:gradebook", args=[classroom.pk])
    first = client.get(url).content.decode()
    assert "badge-submitted" not in first
    assert "badge-missing" not in first

    attempt = take_quiz(ann, assignment)
    assert reverse("educators:attempt_detail", args=[classroom.pk, attempt.pk]) in client.get(url).content.decode()

    ann.display_name = "Annabel Renamed"
    ann.save()
    quiz = assignment.quiz
    assert quiz is not None
    quiz.title = "Cells, retitled"
    quiz.save()
    assert "— Annabel Renamed, Cells, retitled</span>" in client.get(url).content.decode()

    # Nothing changes in the database when a due date passes; the page must still say so.
    with time_machine.travel(assignment.due_at + dt.timedelta(minutes=1)):
        assert "badge-missing" in client.get(url).content.decode()


def test_each_cell_carries_its_link_its_mark_and_a_label_for_screen_readers(
    login: Login, educator: User, classroom: Classroom, assignment: Assignment
) -> None:
    ann, bob, cy, _dee = (
        EnrollmentFactory(
            classroom=classroom, student=StudentFactory(school=classroom.school, display_name=name, last_name=name)
        ).student
        for name in ("Ann <b>", "Bob", "Cy", "Dee")
    )
    opened = assignment.available_from - dt.timedelta(days=5)
    past = AssignmentFactory(
        classroom=classroom,
        quiz__title="Past & present",
        available_from=opened,
        due_at=assignment.available_from - dt.timedelta(days=2),
    )
    lesson = LessonAssignmentFactory(
        classroom=classroom, available_from=opened, due_at=assignment.available_from - dt.timedelta(days=1)
    )
    late = AttemptRowFactory(
        assignment=past, student=ann, final_percent=Decimal("85.50"), submitted_at=past.due_at + dt.timedelta(hours=1)
    )
    waiting = AttemptRowFactory(
        assignment=past, student=bob, status=AttemptStatus.SUBMITTED, final_percent=None, submitted_at=past.due_at
    )
    AttemptRowFactory(
        assignment=assignment, student=cy, status=AttemptStatus.IN_PROGRESS, final_percent=None, submitted_at=None
    )
    LessonProgressFactory(student=ann, lesson=lesson.lesson, completed_at=lesson.due_at + dt.timedelta(hours=2))

    body = login(educator).get(reverse("educators:gradebook", args=[classroom.pk])).content.decode()

    def url(attempt: Attempt) -> str:
        return reverse("educators:attempt_detail", args=[classroom.pk, attempt.pk])

    late_badge = '<span class="badge badge-dot badge-late">Late</span>'
    assert (
        f'<td class="text-center"><a href="{url(late)}">85.5%<span class="visually-hidden">'
        f" — Ann &lt;b&gt;, Past &amp; present</span></a> {late_badge}</td>"
    ) in body
    assert (
        f'<td class="text-center"><a href="{url(waiting)}">'
        '<span class="badge badge-dot badge-submitted">To grade</span>'
        '<span class="visually-hidden"> — Bob, Past &amp; present</span></a></td>'
    ) in body
    assert f'<td class="text-center"><span class="badge badge-dot badge-done">Done</span> {late_badge}</td>' in body
    assert '<td class="text-center"><span class="badge badge-dot badge-in_progress">In progress</span></td>' in body
    assert body.count('<span class="badge badge-dot badge-missing">Missing</span>') == 5
    assert body.count('<span class="visually-hidden">Not started</span>') == 3
    assert "Ann <b>" not in body


def test_a_submission_waiting_for_a_grade_links_to_its_attempt(
    login: Login, educator: User, classroom: Classroom, assignment: Assignment, take_quiz: TakeQuiz
) -> None:
    attempt = take_quiz(enrol(classroom, 1)[0], assignment, text="something unexpected")
    assert attempt.status == AttemptStatus.SUBMITTED

    body = login(educator).get(reverse("educators:gradebook", args=[classroom.pk])).content.decode()

    assert "To grade" in body
    assert reverse("educators:attempt_detail", args=[classroom.pk, attempt.pk]) in body


def test_an_empty_gradebook_says_to_assign_work(login: Login, educator: User, classroom: Classroom) -> None:
    body = login(educator).get(reverse("educators:gradebook", args=[classroom.pk])).content.decode()
    assert "Nothing assigned yet" in body


def test_the_attempt_page_shows_each_answer_in_words(
    login: Login, educator: User, classroom: Classroom, assignment: Assignment, take_quiz: TakeQuiz
) -> None:
    student = enrol(classroom, 1)[0]
    attempt = take_quiz(student, assignment, text="an atom", choice="Wall")

    body = login(educator).get(reverse("educators:attempt_detail", args=[classroom.pk, attempt.pk])).content.decode()

    assert "an atom" in body
    assert "Wall" in body
    assert "Nucleus" in body
    assert "Needs your grade" in body
    assert "Not correct" in body
    assert "What is the smallest unit of life?" in body
    assert 'name="answer-' in body
    assert "Reason for the change" in body


def test_an_attempt_of_another_class_is_not_found_through_this_class(
    login: Login, educator: User, classroom: Classroom, assignment: Assignment, take_quiz: TakeQuiz
) -> None:
    student = enrol(classroom, 1)[0]
    attempt = take_quiz(student, assignment)
    mine_too = ClassroomFactory(school=educator.school, owner=educator)
    assert login(educator).get(reverse("educators:attempt_detail", args=[mine_too.pk, attempt.pk])).status_code == 404


def test_another_teacher_cannot_open_or_override_the_attempt(
    login: Login, educator: User, classroom: Classroom, assignment: Assignment, take_quiz: TakeQuiz
) -> None:
    attempt = take_quiz(enrol(classroom, 1)[0], assignment, text="atom")
    answer = _short_answer(attempt)
    stranger = ClassroomFactory(school=educator.school).owner
    client = login(stranger)
    assert client.get(reverse("educators:attempt_detail", args=[classroom.pk, attempt.pk])).status_code == 404
    response = client.post(
        reverse("educators:answer_override", args=[classroom.pk, attempt.pk, answer.pk]),
        {f"answer-{answer.pk}-points": "1", f"answer-{answer.pk}-reason": "x"},
    )
    assert response.status_code == 404
    assert not GradeOverride.objects.exists()


def test_an_override_with_a_reason_changes_the_score_and_is_recorded(
    login: Login, educator: User, classroom: Classroom, assignment: Assignment, take_quiz: TakeQuiz
) -> None:
    attempt = take_quiz(enrol(classroom, 1)[0], assignment, text="the cell")
    answer = _short_answer(attempt)
    prefix = f"answer-{answer.pk}"

    response = login(educator).post(
        reverse("educators:answer_override", args=[classroom.pk, attempt.pk, answer.pk]),
        {f"{prefix}-points": "1", f"{prefix}-reason": "Same meaning as “cell”.", f"{prefix}-feedback": "Good."},
        headers=HTMX,
    )

    attempt.refresh_from_db()
    answer.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="attempt"' in body
    assert "<html" not in body
    assert answer.points_awarded == Decimal("1.00")
    assert answer.graded_by == GradedBy.EDUCATOR
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.final_percent == Decimal("100.00")
    assert "Same meaning as “cell”." in body
    assert "Grade changed" in body


def test_an_override_without_a_reason_is_refused_by_the_reason_field(
    login: Login, educator: User, classroom: Classroom, assignment: Assignment, take_quiz: TakeQuiz
) -> None:
    attempt = take_quiz(enrol(classroom, 1)[0], assignment, text="atom")
    answer = _short_answer(attempt)
    prefix = f"answer-{answer.pk}"

    response = login(educator).post(
        reverse("educators:answer_override", args=[classroom.pk, attempt.pk, answer.pk]),
        {f"{prefix}-points": "1", f"{prefix}-reason": ""},
    )

    assert response.status_code == 422
    assert f'id="id_{prefix}-reason_error"' in response.content.decode()
    assert not GradeOverride.objects.exists()


def test_points_above_the_question_maximum_are_refused_by_the_points_field(
    login: Login, educator: User, classroom: Classroom, assignment: Assignment, take_quiz: TakeQuiz
) -> None:
    attempt = take_quiz(enrol(classroom, 1)[0], assignment, text="atom")
    answer = _short_answer(attempt)
    prefix = f"answer-{answer.pk}"

    response = login(educator).post(
        reverse("educators:answer_override", args=[classroom.pk, attempt.pk, answer.pk]),
        {f"{prefix}-points": "5", f"{prefix}-reason": "Generous"},
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{prefix}-points_error"' in body
    assert "between 0 and 1" in body
    assert not GradeOverride.objects.exists()


def test_confirming_the_ai_suggestion_uses_its_points_and_feedback(
    login: Login, educator: User, classroom: Classroom, assignment: Assignment, take_quiz: TakeQuiz
) -> None:
    attempt = take_quiz(enrol(classroom, 1)[0], assignment, text="a tiny cell thing")
    answer = _short_answer(attempt)
    Answer.objects.filter(pk=answer.pk).update(
        ai_suggested_points=Decimal("1"), ai_suggested_feedback="Right idea.", ai_suggestion_confidence=0.9
    )
    client = login(educator)
    page = client.get(reverse("educators:attempt_detail", args=[classroom.pk, attempt.pk])).content.decode()
    assert "AI suggestion" in page
    assert "Confirm the suggestion" in page

    client.post(
        reverse("educators:answer_override", args=[classroom.pk, attempt.pk, answer.pk]),
        {
            f"answer-{answer.pk}-points": "1.00",
            f"answer-{answer.pk}-feedback": "Right idea.",
            f"answer-{answer.pk}-reason": "Confirmed the AI suggestion.",
        },
    )

    answer.refresh_from_db()
    assert answer.graded_by == GradedBy.AI_SUGGESTED
    assert answer.feedback == "Right idea."


def test_the_csv_export_streams_the_gradebook(
    login: Login, educator: User, classroom: Classroom, assignment: Assignment, take_quiz: TakeQuiz
) -> None:
    student = enrol(classroom, 1)[0]
    take_quiz(student, assignment)

    response = login(educator).get(reverse("educators:gradebook_csv", args=[classroom.pk]))

    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="gradebook-7b-science.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[arg-type]
    assert rows[0][0] == "Student"
    assert rows[0][1] == "Username"
    assert rows[1][:3] == [student.name, student.username, "100.00"]


def test_insights_show_mastery_as_numbers_and_the_most_missed_question(
    login: Login, educator: User, classroom: Classroom, assignment: Assignment, take_quiz: TakeQuiz
) -> None:
    ann, bob = enrol(classroom, 2)
    take_quiz(ann, assignment, choice="Wall")
    take_quiz(bob, assignment, choice="Wall")

    body = login(educator).get(reverse("educators:insights", args=[classroom.pk])).content.decode()

    assert "SCI.7.CELL" in body
    assert 'class="heat heat-' in body
    assert "%" in body
    assert "Which part holds the DNA?" in body
    assert "“Wall”" in body
    assert "(2×)" in body


def test_insights_without_objectives_say_what_to_do(login: Login, educator: User, classroom: Classroom) -> None:
    body = login(educator).get(reverse("educators:insights", args=[classroom.pk])).content.decode()
    assert "No objectives to measure yet" in body
    assert "No missed questions" in body


@pytest.mark.parametrize("size", [10, 60])
def test_the_gradebook_runs_a_fixed_number_of_queries(
    login: Login,
    educator: User,
    classroom: Classroom,
    assignment: Assignment,
    take_quiz: TakeQuiz,
    size: int,
    django_assert_max_num_queries,
) -> None:
    students = enrol(classroom, size)
    for student in students[:3]:
        take_quiz(student, assignment)
    AssignmentFactory(classroom=classroom, quiz=assignment.quiz)
    client = login(educator)
    with django_assert_max_num_queries(8):  # 1 of them: the navigation's review-queue count, while not cached
        response = client.get(reverse("educators:gradebook", args=[classroom.pk]))
    assert response.status_code == 200
    # One page of rows; the count above them is the whole class's.
    assert len(response.context["rows"]) == min(size, 50)
    assert response.context["book"].student_count == size


def test_an_attempt_opened_from_a_list_goes_to_its_page_under_its_class(
    login: Login, educator: User, classroom: Classroom, assignment: Assignment, take_quiz: TakeQuiz
) -> None:
    attempt = take_quiz(enrol(classroom, 1)[0], assignment, text="atom")

    response = login(educator).get(reverse("educators:attempt_open", args=[attempt.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("educators:attempt_detail", args=[classroom.pk, attempt.pk])


def test_another_teacher_opening_the_attempt_learns_nothing(
    login: Login, classroom: Classroom, assignment: Assignment, take_quiz: TakeQuiz
) -> None:
    attempt = take_quiz(enrol(classroom, 1)[0], assignment)
    stranger = ClassroomFactory(school=classroom.school).owner
    assert login(stranger).get(reverse("educators:attempt_open", args=[attempt.pk])).status_code == 404
