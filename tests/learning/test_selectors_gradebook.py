from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from tests.factories import ClassroomFactory, EnrollmentFactory, LessonFactory, QuizFactory
from tests.factories.learning import AssignmentFactory, AttemptRowFactory, LessonProgressFactory
from toolbox.accounts.models import Role, User
from toolbox.classroom.models import Classroom, Enrollment, EnrollmentStatus
from toolbox.learning.models import Assignment, Attempt, AttemptStatus, LessonProgress, ScorePolicy
from toolbox.learning.selectors import (
    classrooms_gradebook_csv_rows,
    classrooms_gradebook_csv_stream,
    csv_safe,
    gradebook_csv_rows,
    gradebook_csv_stream,
    gradebook_for_classroom,
    gradebook_page,
    school_gradebook_csv_stream,
)
from toolbox.learning.selectors import gradebook_csv as gradebook_csv_module

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def _attempt(assignment: Assignment, student: User, number: int, percent: str | None, **fields: object) -> Attempt:
    defaults: dict[str, object] = {
        "status": AttemptStatus.GRADED if percent is not None else AttemptStatus.SUBMITTED,
        "submitted_at": assignment.due_at - dt.timedelta(hours=1),
        "final_percent": Decimal(percent) if percent is not None else None,
    }
    defaults.update(fields)
    return AttemptRowFactory(assignment=assignment, student=student, number=number, **defaults)


@pytest.fixture
def term(db: None) -> dict[str, object]:
    """A class of three active students and one removed, with a history that exercises
    every rule: best and last policies, late, missing, in progress, awaiting a grade, lessons."""
    classroom = ClassroomFactory()
    ann, bob, cy = (
        EnrollmentFactory(classroom=classroom, student__first_name=first, student__last_name=last).student
        for first, last in (("Ann", "Able"), ("Bob", "Brown"), ("Cy", "Cole"))
    )
    gone = EnrollmentFactory(classroom=classroom, status=EnrollmentStatus.REMOVED, student__last_name="Aaron").student
    opened = NOW - dt.timedelta(days=20)
    best = AssignmentFactory(classroom=classroom, available_from=opened, due_at=NOW - dt.timedelta(days=2))
    last = AssignmentFactory(
        classroom=classroom, available_from=opened, due_at=NOW - dt.timedelta(days=1), score_policy=ScorePolicy.LAST
    )
    future = AssignmentFactory(classroom=classroom, available_from=opened, due_at=NOW + dt.timedelta(days=5))
    lesson = AssignmentFactory(
        classroom=classroom,
        quiz=None,
        lesson=LessonFactory(school=classroom.school),
        available_from=opened,
        due_at=NOW - dt.timedelta(hours=20),
    )

    _attempt(best, ann, 1, "60")
    _attempt(best, ann, 2, "90")
    _attempt(best, bob, 1, "70", submitted_at=best.due_at + dt.timedelta(hours=3))
    _attempt(best, gone, 1, "10")
    _attempt(last, ann, 1, "90")
    _attempt(last, ann, 2, "50")
    _attempt(last, bob, 1, "80")
    _attempt(last, bob, 2, None, status=AttemptStatus.IN_PROGRESS, submitted_at=None)
    _attempt(last, cy, 1, None)
    _attempt(future, ann, 1, "100", submitted_at=NOW - dt.timedelta(hours=1))
    _attempt(future, cy, 1, None, status=AttemptStatus.IN_PROGRESS, submitted_at=None)
    assert lesson.lesson is not None
    LessonProgressFactory(student=ann, lesson=lesson.lesson, completed_at=lesson.due_at - dt.timedelta(hours=5))
    LessonProgressFactory(student=bob, lesson=lesson.lesson, completed_at=lesson.due_at + dt.timedelta(hours=5))
    LessonProgressFactory(student=cy, lesson=lesson.lesson, percent=40, completed_at=None)
    return {
        "classroom": classroom,
        "students": (ann, bob, cy),
        "assignments": (best, last, lesson, future),
    }


def test_gradebook_counts_best_or_last_attempt_and_flags_late_missing_and_in_progress(
    term: dict[str, object],
) -> None:
    classroom = term["classroom"]
    assert isinstance(classroom, Classroom)

    book = gradebook_for_classroom(classroom=classroom, now=NOW)

    # Columns in due-date order; rows by last name; the removed student is gone.
    assert [c.assignment_id for c in book.columns] == [a.pk for a in term["assignments"]]  # type: ignore[attr-defined]
    assert [row.student.name for row in book.rows] == ["Ann Able", "Bob Brown", "Cy Cole"]
    ann, bob, cy = book.rows
    best, last, lesson, future = range(4)

    assert ann.cells[best].score_percent == Decimal("90")
    assert ann.cells[last].score_percent == Decimal("50")
    assert bob.cells[best].score_percent == Decimal("70")
    assert bob.cells[best].is_late
    assert not ann.cells[best].is_late
    assert bob.cells[last].score_percent == Decimal("80")
    assert bob.cells[last].is_in_progress
    assert cy.cells[best].is_missing
    assert cy.cells[best].status == "missing"
    assert cy.cells[last].is_awaiting_grade
    assert not cy.cells[last].is_missing
    assert bob.cells[future].status == "not_started"
    assert not bob.cells[future].is_missing
    assert cy.cells[future].status == "in_progress"

    assert ann.cells[lesson].status == "done"
    assert not ann.cells[lesson].is_late
    assert bob.cells[lesson].is_done
    assert bob.cells[lesson].is_late
    assert cy.cells[lesson].is_missing
    assert cy.cells[lesson].is_in_progress

    # Averages: missing quizzes count 0 after the due date; blanks not yet due, grades
    # still pending and lessons are left out.
    assert ann.average_percent == Decimal("80.00")
    assert bob.average_percent == Decimal("75.00")
    assert cy.average_percent == Decimal("0.00")
    assert book.columns[best].average_percent == Decimal("53.33")
    assert book.columns[last].average_percent == Decimal("65.00")
    assert book.columns[future].average_percent == Decimal("100.00")
    assert book.columns[lesson].average_percent is None
    assert book.columns[best].missing_count == 1
    assert book.columns[lesson].late_count == 1
    assert cy.missing_count == 2


def test_a_tie_under_the_best_policy_counts_the_earlier_attempt(term: dict[str, object]) -> None:
    classroom = term["classroom"]
    assert isinstance(classroom, Classroom)
    best = term["assignments"][0]  # type: ignore[index]
    cy = term["students"][2]  # type: ignore[index]
    first = _attempt(best, cy, 1, "75")
    _attempt(best, cy, 2, "75", submitted_at=best.due_at + dt.timedelta(days=1))

    cell = gradebook_for_classroom(classroom=classroom, now=NOW).rows[2].cells[0]

    assert cell.counted_attempt_id == first.pk
    assert not cell.is_late


def test_missing_appears_only_once_the_due_date_has_passed(db: None) -> None:
    enrollment = EnrollmentFactory()
    due = timezone.now() + dt.timedelta(days=1)
    AssignmentFactory(classroom=enrollment.classroom, due_at=due)

    assert not gradebook_for_classroom(classroom=enrollment.classroom).rows[0].cells[0].is_missing
    with time_machine.travel(due + dt.timedelta(minutes=1)):
        cell = gradebook_for_classroom(classroom=enrollment.classroom).rows[0].cells[0]
    assert cell.is_missing


# --- One page of rows under the whole class's totals ----------------------------------------


def _classroom_of(term: dict[str, object]) -> Classroom:
    classroom = term["classroom"]
    assert isinstance(classroom, Classroom)
    return classroom


def test_a_page_holds_its_students_rows_under_the_whole_class_totals(term: dict[str, object]) -> None:
    classroom = _classroom_of(term)
    whole = gradebook_for_classroom(classroom=classroom, now=NOW)

    first = gradebook_page(classroom=classroom, page_number=1, per_page=2, now=NOW)
    second = gradebook_page(classroom=classroom, page_number="2", per_page=2, now=NOW)

    assert first.rows() == whole.rows[:2]
    assert second.rows() == whole.rows[2:]
    assert second.page_obj.number == 2
    for page in (first, second):
        # Averages and counts are over every student, not the page's.
        assert page.columns == whole.columns
        assert page.class_average_percent == whole.class_average_percent == Decimal("51.67")
        assert page.student_count == whole.student_count == 3
    # A page past the end shows the last one, as every list does.
    assert gradebook_page(classroom=classroom, page_number=9, per_page=2, now=NOW).rows() == whole.rows[2:]


def test_the_class_totals_are_read_from_the_cache_while_nothing_changes(
    term: dict[str, object], django_assert_num_queries
) -> None:
    classroom = _classroom_of(term)
    with django_assert_num_queries(4):  # + the whole class's attempts and lesson progress
        gradebook_page(classroom=classroom, page_number=1, per_page=2, now=NOW)

    with django_assert_num_queries(2):  # assignments, students
        page = gradebook_page(classroom=classroom, page_number=1, per_page=2, now=NOW)
    with django_assert_num_queries(2):  # the page's attempts and lesson progress
        rows = page.rows()

    whole = gradebook_for_classroom(classroom=classroom, now=NOW)
    assert (page.columns, rows) == (whole.columns, whole.rows[:2])


def _submit_a_score(term: dict[str, object]) -> dt.datetime:
    future, cy = term["assignments"][3], term["students"][2]  # type: ignore[index]
    _attempt(future, cy, 2, "40", submitted_at=NOW - dt.timedelta(hours=1))
    return NOW


def _change_a_grade(term: dict[str, object]) -> dt.datetime:
    attempt = Attempt.objects.get(assignment=term["assignments"][3], final_percent=Decimal("100"))  # type: ignore[index]
    attempt.final_percent = Decimal("20")
    attempt.save()
    return NOW


def _finish_a_lesson(term: dict[str, object]) -> dt.datetime:
    progress = LessonProgress.objects.get(student=term["students"][2], completed_at=None)  # type: ignore[index]
    progress.percent = 100
    progress.completed_at = NOW - dt.timedelta(hours=2)
    progress.save()
    return NOW


def _remove_a_student(term: dict[str, object]) -> dt.datetime:
    enrollment = Enrollment.objects.get(student=term["students"][0])  # type: ignore[index]
    enrollment.status = EnrollmentStatus.REMOVED
    enrollment.save()
    return NOW


def _enrol_a_student(term: dict[str, object]) -> dt.datetime:
    EnrollmentFactory(classroom=term["classroom"])
    return NOW


def _move_a_due_date(term: dict[str, object]) -> dt.datetime:
    future = term["assignments"][3]  # type: ignore[index]
    future.due_at = NOW - dt.timedelta(hours=1)
    future.save()
    return NOW


def _let_a_due_date_pass(term: dict[str, object]) -> dt.datetime:
    return NOW + dt.timedelta(days=6)


@pytest.mark.parametrize(
    "change",
    [
        _submit_a_score,
        _change_a_grade,
        _finish_a_lesson,
        _remove_a_student,
        _enrol_a_student,
        _move_a_due_date,
        _let_a_due_date_pass,
    ],
)
def test_the_class_totals_on_every_page_follow_each_change(term: dict[str, object], change) -> None:
    classroom = _classroom_of(term)
    before = gradebook_page(classroom=classroom, page_number=1, per_page=2, now=NOW)

    now = change(term)

    after = gradebook_page(classroom=classroom, page_number=1, per_page=2, now=now)
    whole = gradebook_for_classroom(classroom=classroom, now=now)
    assert (after.columns, after.class_average_percent, after.student_count) == (
        whole.columns,
        whole.class_average_percent,
        whole.student_count,
    )
    assert (after.columns, after.class_average_percent, after.student_count) != (
        before.columns,
        before.class_average_percent,
        before.student_count,
    )


# --- Query budgets -------------------------------------------------------------------------


def _bulk_classroom(students: int, assignments: int, *, attempts_per_cell: int = 2) -> Classroom:
    """A class with attempts in every cell and one lesson column, inserted in bulk."""
    classroom = ClassroomFactory()
    users = User.objects.bulk_create(
        User(
            username=f"{classroom.join_code}-s{i}",
            first_name=f"First{i}",
            last_name=f"Last{i:04d}",
            role=Role.STUDENT,
            school=classroom.school,
        )
        for i in range(students)
    )
    Enrollment.objects.bulk_create(Enrollment(classroom=classroom, student=user) for user in users)
    quiz = QuizFactory(school=classroom.school)
    start = timezone.now() - dt.timedelta(days=90)
    made = Assignment.objects.bulk_create(
        Assignment(
            classroom=classroom,
            quiz=quiz,
            assigned_by=classroom.owner,
            available_from=start,
            due_at=start + dt.timedelta(days=index + 1),
        )
        for index in range(assignments - 1)
    )
    lesson = LessonFactory(school=classroom.school)
    Assignment.objects.create(
        classroom=classroom,
        lesson=lesson,
        assigned_by=classroom.owner,
        available_from=start,
        due_at=start + dt.timedelta(days=2),
    )
    Attempt.objects.bulk_create(
        Attempt(
            assignment=assignment,
            student=user,
            number=number + 1,
            status=AttemptStatus.GRADED,
            started_at=start,
            submitted_at=start + dt.timedelta(days=1),
            final_percent=Decimal(50 + number * 10),
        )
        for assignment in made
        for user in users
        for number in range(attempts_per_cell)
    )
    LessonProgress.objects.bulk_create(
        LessonProgress(student=user, lesson=lesson, percent=100, completed_at=start) for user in users
    )
    return classroom


GRADEBOOK_BUDGET = 4


@pytest.mark.parametrize(("students", "assignments"), [(10, 5), (200, 5), (10, 60)])
def test_gradebook_query_count_does_not_grow_with_the_class(
    db: None, django_assert_max_num_queries, students: int, assignments: int
) -> None:
    classroom = _bulk_classroom(students, assignments, attempts_per_cell=1)

    with django_assert_max_num_queries(GRADEBOOK_BUDGET):
        book = gradebook_for_classroom(classroom=classroom)

    assert len(book.rows) == students
    assert len(book.columns) == assignments


@pytest.mark.slow
def test_gradebook_of_200_students_by_60_assignments_stays_within_budget(
    db: None, django_assert_max_num_queries
) -> None:
    classroom = _bulk_classroom(200, 60, attempts_per_cell=1)

    with django_assert_max_num_queries(GRADEBOOK_BUDGET):
        book = gradebook_for_classroom(classroom=classroom)

    assert len(book.rows) * len(book.columns) == 12_000
    assert all(row.average_percent == Decimal("50.00") for row in book.rows)


@pytest.mark.parametrize("students", [10, 200])
def test_csv_export_query_count_does_not_grow_with_the_class(
    db: None, django_assert_max_num_queries, students: int
) -> None:
    classroom = _bulk_classroom(students, 6)

    with django_assert_max_num_queries(GRADEBOOK_BUDGET):
        rows = list(gradebook_csv_rows(classroom=classroom))

    assert len(rows) == students + 2


# --- CSV -------------------------------------------------------------------------------------


def _parse(stream: object) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(stream))))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+41 22", "'+41 22"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ann", "Ann"),
        ("", ""),
    ],
)
def test_csv_safe_neutralises_formula_triggers(raw: str, safe: str) -> None:
    assert csv_safe(raw) == safe


def test_csv_export_matches_the_page_and_neutralises_every_cell(term: dict[str, object]) -> None:
    classroom = term["classroom"]
    assert isinstance(classroom, Classroom)
    ann = term["students"][0]  # type: ignore[index]
    ann.display_name = '=HYPERLINK("http://evil.test","click")'
    ann.save()
    quiz = term["assignments"][0].quiz  # type: ignore[index]
    quiz.title = "@SUM(1+1)"
    quiz.save()

    rows = _parse(gradebook_csv_stream(classroom=classroom, now=NOW))

    header, *students, averages = rows
    assert header[0] == "Student"
    assert header[2].startswith("'@SUM(1+1) (due ")
    assert header[-1] == "Average"
    assert [row[0] for row in students] == ['\'=HYPERLINK("http://evil.test","click")', "Bob Brown", "Cy Cole"]
    assert students[0][2:] == ["90.00", "50.00", "done", "100.00", "80.00"]
    assert students[1][2:] == ["70.00 (late)", "80.00", "done (late)", "", "75.00"]
    assert students[2][2:] == ["missing", "submitted", "missing", "in progress", "0.00"]
    assert averages == ["Assignment average", "", "53.33", "65.00", "", "100.00", ""]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_csv_rows_agree_with_the_page_for_a_large_class(db: None) -> None:
    """The export merges three sorted streams; it must pair every attempt with its student."""
    classroom = _bulk_classroom(120, 4)
    Attempt.objects.filter(student__last_name="Last0007").update(final_percent=Decimal("99"))
    book = gradebook_for_classroom(classroom=classroom)

    exported = list(gradebook_csv_rows(classroom=classroom))[1:-1]

    assert [row[1] for row in exported] == [row.student.username for row in book.rows]
    for row, page_row in zip(exported, book.rows, strict=True):
        assert row[-1] == str(page_row.average_percent)
    assert exported[7][2] == "99.00"


def test_csv_orders_names_byte_for_byte_and_pairs_attempts_with_unusual_names(db: None) -> None:
    classroom = ClassroomFactory()
    assignment = AssignmentFactory(classroom=classroom)
    names = ["Zed", "zed", "Émile", "de Vries", "O'Neil", "Zed"]
    for index, last in enumerate(names):
        student = EnrollmentFactory(classroom=classroom, student__last_name=last, student__first_name="A").student
        _attempt(assignment, student, 1, str(10 + index))

    rows = list(gradebook_csv_rows(classroom=classroom))[1:-1]

    assert [row[0].split(" ", 1)[1] for row in rows] == sorted(names)
    scores = {row[1]: row[2] for row in rows}
    page = {
        row.student.username: str(row.cells[0].score_percent)
        for row in gradebook_for_classroom(classroom=classroom).rows
    }
    assert scores == page


def test_csv_stream_yields_before_reading_every_student(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    classroom = _bulk_classroom(50, 3)
    consumed: list[int] = []
    merged = gradebook_csv_module._students_in_classes

    def counting(classrooms):
        for entry in merged(classrooms):
            consumed.append(entry.student.id)
            yield entry

    monkeypatch.setattr(gradebook_csv_module, "_students_in_classes", counting)
    monkeypatch.setattr(gradebook_csv_module, "STREAM_PIECE_CHARS", 1)

    stream = gradebook_csv_stream(classroom=classroom)
    header = next(stream)
    first_student = next(stream)

    assert header.startswith("Student,Username")
    assert first_student.startswith("First0 Last0000,")
    assert len(consumed) == 1
    assert len(list(stream)) == 50


def test_school_export_lists_each_student_class_and_assignment(term: dict[str, object]) -> None:
    classroom = term["classroom"]
    assert isinstance(classroom, Classroom)
    ann = term["students"][0]  # type: ignore[index]
    other = ClassroomFactory(school=classroom.school, name="History")
    EnrollmentFactory(classroom=other, student=ann)
    essay = AssignmentFactory(
        classroom=other, available_from=NOW - dt.timedelta(days=9), due_at=NOW - dt.timedelta(days=3)
    )
    _attempt(essay, ann, 1, "88")
    archived = ClassroomFactory(school=classroom.school, is_archived=True)
    EnrollmentFactory(classroom=archived, student=ann)
    AssignmentFactory(classroom=archived)

    rows = _parse(school_gradebook_csv_stream(school=classroom.school, now=NOW))

    header, *body = rows
    assert header == ["Student", "Username", "Class", "Assignment", "Kind", "Due", "Score", "Status", "Late"]
    assert len(body) == 3 * 4 + 1
    ann_rows = [row for row in body if row[1] == ann.username]
    assert [row[2] for row in ann_rows] == [classroom.name] * 4 + ["History"]
    assert ann_rows[-1][6:] == ["88.00", "graded", "no"]
    bob_best = next(row for row in body if row[0] == "Bob Brown")
    assert bob_best[6:] == ["70.00", "graded", "yes"]


def test_long_export_shows_every_cell_as_the_page_does(term: dict[str, object]) -> None:
    """The export takes shortcuts the page does not (one precomputed cell for everyone with
    no attempt or progress, each standing formatted once); every cell must still read as on
    the page, in every state a cell can be in."""
    classroom = term["classroom"]
    assert isinstance(classroom, Classroom)
    book = gradebook_for_classroom(classroom=classroom, now=NOW)
    on_the_page = [
        [
            row.student.username,
            column.title,
            "" if cell.score_percent is None else str(cell.score_percent),
            cell.status.replace("_", " "),
            "yes" if cell.is_late else "no",
        ]
        for row in book.rows
        for column, cell in zip(book.columns, row.cells, strict=True)
    ]

    _, *body = _parse(classrooms_gradebook_csv_stream(classrooms=Classroom.objects.filter(pk=classroom.pk), now=NOW))

    assert [[row[1], row[3], *row[6:]] for row in body] == on_the_page
    assert {row[7] for row in body} == {"graded", "awaiting grade", "done", "missing", "in progress", "not started"}


@pytest.mark.parametrize("students", [10, 200])
def test_many_class_export_query_count_is_fixed(db: None, django_assert_max_num_queries, students: int) -> None:
    first = _bulk_classroom(students, 3)
    second = _bulk_classroom(students, 3)
    classrooms = Classroom.objects.filter(pk__in=[first.pk, second.pk])

    with django_assert_max_num_queries(5):
        rows = list(classrooms_gradebook_csv_rows(classrooms=classrooms))

    assert len(rows) == 1 + 2 * students * 3
