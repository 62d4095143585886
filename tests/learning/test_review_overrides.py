"""Grade overrides: a number that is not a number is refused as bad input, and an answer
that waited for an educator counts toward mastery once it is marked (once only)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.learning.conftest import right_response
from toolbox.accounts.models import User
from toolbox.errors import InvalidInputError
from toolbox.learning.models import Answer, Assignment, Attempt, GradeOverride, Mastery
from toolbox.learning.services import attempt_save_answer, attempt_start, attempt_submit, grade_override

pytestmark = pytest.mark.django_db


def _submitted_with_one_awaiting(student: User, assignment: Assignment) -> tuple[Attempt, Answer]:
    attempt = attempt_start(student=student, assignment=assignment)
    for question in attempt.snapshot["questions"]:
        response = {"text": "the nuclei"} if question["kind"] == "short_answer" else right_response(question)
        attempt_save_answer(student=student, attempt=attempt, question_id=question["id"], response=response)
    attempt = attempt_submit(student=student, attempt=attempt)
    return attempt, Answer.objects.get(attempt=attempt, needs_review=True)


@pytest.mark.parametrize("points", [Decimal("NaN"), Decimal("sNaN"), "nan", Decimal("Infinity")])
def test_points_that_are_not_a_finite_number_are_refused(
    student: User, assignment: Assignment, educator: User, points: object
) -> None:
    attempt, answer = _submitted_with_one_awaiting(student, assignment)

    with pytest.raises(InvalidInputError):
        grade_override(actor=educator, answer=answer, points=points, reason="Odd number")  # type: ignore[arg-type]

    answer.refresh_from_db()
    attempt.refresh_from_db()
    assert (answer.points_awarded, answer.needs_review, attempt.raw_score) == (Decimal("0.00"), True, Decimal("5.00"))
    assert not GradeOverride.objects.exists()


def test_a_marked_answer_counts_toward_mastery_once(student: User, assignment: Assignment, educator: User) -> None:
    _, answer = _submitted_with_one_awaiting(student, assignment)
    mastery = Mastery.objects.get(student=student)
    assert mastery.answers_counted == 5, "the answer awaiting review is left out at submission"

    grade_override(actor=educator, answer=answer, points=Decimal("1"), reason="Plural is fine")
    mastery.refresh_from_db()
    assert mastery.answers_counted == 6
    score_after_marking = mastery.score

    grade_override(actor=educator, answer=answer, points=Decimal("0.5"), reason="On second thoughts")
    mastery.refresh_from_db()
    assert (mastery.answers_counted, mastery.score) == (6, score_after_marking)
