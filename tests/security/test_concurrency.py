"""Many requests at once on PostgreSQL, through the real pages and through the API: fifty
simultaneous submits of one attempt grade it once; a hundred students saving and submitting
at once lose no answer and get one attempt each; simultaneous starts never pass the attempt
limit."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.factories import AssignmentFactory, ClassroomFactory, EnrollmentFactory, SchoolFactory, StudentFactory
from tests.learning.conftest import quiz_with_every_kind
from tests.security.submits import ServerLikeClient, api_submit, at_once, attempt_ready_to_submit, signed_in
from toolbox.accounts.models import User
from toolbox.content.models import QuestionKind
from toolbox.learning.models import Answer, Attempt, AttemptStatus, XPEvent
from toolbox.learning.services import attempt_start

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_fifty_simultaneous_submits_of_one_attempt_grade_it_once() -> None:
    student, attempt = attempt_ready_to_submit()
    clients = [signed_in(student) for _ in range(50)]
    url = f"/student/attempts/{attempt.pk}/submit/"

    statuses, errors = at_once(
        [lambda client=client: client.post(url, {"idempotency_key": "double-click"}).status_code for client in clients]
    )

    assert errors == []
    assert sorted(set(statuses)) == [302]
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.raw_score == attempt.max_score
    assert Attempt.objects.filter(student=student).count() == 1
    assert Answer.objects.filter(attempt=attempt).count() == 6
    assert XPEvent.objects.filter(student=student, description__startswith="Submitted").count() == 1


def test_a_hundred_students_saving_and_submitting_at_once_lose_nothing() -> None:
    school = SchoolFactory()
    classroom = ClassroomFactory(school=school)
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(school))
    students = [
        EnrollmentFactory(classroom=classroom, student=StudentFactory(school=school)).student for _ in range(100)
    ]
    attempts = {student.pk: attempt_start(student=student, assignment=assignment) for student in students}
    short = next(q for q in attempts[students[0].pk].snapshot["questions"] if q["kind"] == QuestionKind.SHORT_ANSWER)
    clients = {student.pk: signed_in(student) for student in students}

    def save_and_submit(student: User) -> tuple[int, int]:
        client, attempt = clients[student.pk], attempts[student.pk]
        saved = client.post(
            f"/student/attempts/{attempt.pk}/save/",
            {"question_id": short["id"], f"q{short['id']}": f"answer of {student.username}"},
        )
        submitted = client.post(f"/student/attempts/{attempt.pk}/submit/", {"idempotency_key": f"k{student.pk}"})
        return saved.status_code, submitted.status_code

    results, errors = at_once([lambda student=student: save_and_submit(student) for student in students])

    assert errors == []
    assert len(results) == 100
    assert all(saved < 400 and submitted == 302 for saved, submitted in results), results
    assert Attempt.objects.filter(assignment=assignment).count() == 100
    assert not Attempt.objects.filter(assignment=assignment, status=AttemptStatus.IN_PROGRESS).exists()
    texts = dict(
        Answer.objects.filter(attempt__assignment=assignment, question_key=short["id"]).values_list(
            "attempt__student__username", "response__text"
        )
    )
    assert texts == {student.username: f"answer of {student.username}" for student in students}


def test_simultaneous_starts_through_the_page_hold_the_attempt_limit() -> None:
    school = SchoolFactory()
    classroom = ClassroomFactory(school=school)
    student = EnrollmentFactory(classroom=classroom, student=StudentFactory(school=school)).student
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(school, max_attempts=1))
    clients = [signed_in(student) for _ in range(20)]

    statuses, errors = at_once(
        [lambda client=client: client.post(f"/student/quizzes/{assignment.pk}/").status_code for client in clients]
    )

    assert errors == []
    assert set(statuses) == {302}
    assert Attempt.objects.filter(student=student, assignment=assignment).count() == 1


@pytest.mark.parametrize("keys", ["one key", "a key each"])
def test_fifty_simultaneous_api_submits_of_one_attempt_grade_it_once(keys: str) -> None:
    """A double-clicking client resends one Idempotency-Key; fifty tabs each send their own."""
    student, attempt = attempt_ready_to_submit()
    sent_keys = ["double-click"] * 50 if keys == "one key" else [f"tab-{n}" for n in range(50)]
    clients = [signed_in(student) for _ in sent_keys]

    responses, errors = at_once(
        [
            lambda client=client, key=key: api_submit(client, attempt.pk, key=key)
            for client, key in zip(clients, sent_keys, strict=True)
        ]
    )

    assert errors == []
    assert [response.status_code for response in responses] == [200] * 50
    bodies = [response.json() for response in responses]
    assert all(body == bodies[0] for body in bodies), "every caller gets the attempt as it was first graded"
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.raw_score == attempt.max_score
    assert attempt.idempotency_key in sent_keys
    assert Attempt.objects.filter(student=student).count() == 1
    assert Answer.objects.filter(attempt=attempt).count() == 6
    assert XPEvent.objects.filter(student=student, description__startswith="Submitted").count() == 1


def test_a_hundred_students_starting_answering_and_submitting_through_the_api_at_once_lose_nothing() -> None:
    school = SchoolFactory()
    classroom = ClassroomFactory(school=school)
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(school))
    students = [
        EnrollmentFactory(classroom=classroom, student=StudentFactory(school=school)).student for _ in range(100)
    ]
    clients = {student.pk: signed_in(student, client_class=ServerLikeClient) for student in students}

    def take_the_quiz(student: User) -> dict[str, object]:
        """Start (and, as a reloading client does, start again), answer, submit twice with one key."""
        client = clients[student.pk]
        started = client.post(f"/api/v1/assignments/{assignment.pk}/attempts")
        resumed = client.post(f"/api/v1/assignments/{assignment.pk}/attempts")
        attempt_id = started.json()["id"]
        short = next(q for q in started.json()["questions"] if q["kind"] == QuestionKind.SHORT_ANSWER)
        saved = client.put(
            f"/api/v1/attempts/{attempt_id}/answers/{short['id']}",
            {"response": {"text": f"answer of {student.username}"}},
            content_type="application/json",
        )
        submitted = api_submit(client, attempt_id, key=f"k{student.pk}")
        resubmitted = api_submit(client, attempt_id, key=f"k{student.pk}")
        return {
            "statuses": [r.status_code for r in (started, resumed, saved, submitted, resubmitted)],
            "same_attempt": resumed.json()["id"] == attempt_id,
            "same_result": resubmitted.json() == submitted.json(),
            "status": submitted.json()["status"],
            "short_answer_question": short["id"],
        }

    results, errors = at_once([lambda student=student: take_the_quiz(student) for student in students])

    assert errors == []
    assert len(results) == 100
    assert all(
        result["statuses"] == [201, 201, 200, 200, 200]
        and result["same_attempt"]
        and result["same_result"]
        and result["status"] == AttemptStatus.SUBMITTED  # the unrecognised short answer waits for review
        for result in results
    ), results
    assert Attempt.objects.filter(assignment=assignment).count() == 100
    assert not Attempt.objects.filter(assignment=assignment, status=AttemptStatus.IN_PROGRESS).exists()
    (short_answer_question,) = {result["short_answer_question"] for result in results}
    texts = dict(
        Answer.objects.filter(attempt__assignment=assignment, question_key=short_answer_question).values_list(
            "attempt__student__username", "response__text"
        )
    )
    assert texts == {student.username: f"answer of {student.username}" for student in students}
    submitted_xp = Counter(
        XPEvent.objects.filter(student__in=students, description__startswith="Submitted").values_list(
            "student_id", flat=True
        )
    )
    assert submitted_xp == {student.pk: 1 for student in students}
