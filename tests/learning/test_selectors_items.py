from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import ChoiceFactory, ClassroomFactory, EnrollmentFactory, QuestionFactory, QuizFactory
from tests.factories.learning import AnswerRowFactory, AssignmentFactory, AttemptRowFactory, snapshot_of
from toolbox.accounts.models import Role, User
from toolbox.classroom.models import Enrollment, EnrollmentStatus
from toolbox.content.models import AnswerVisibility, Question, QuestionKind, Quiz
from toolbox.learning.models import Answer, Assignment, Attempt, AttemptStatus, GradedBy, GradeOverride
from toolbox.learning.selectors import (
    attempt_detail,
    attempt_result_for_student,
    item_analysis_for_assignment,
    most_missed_questions_for_classroom,
)


def _choice_question(quiz: Quiz, kind: str, prompt: str, texts: list[tuple[str, bool]], position: int) -> Question:
    question = QuestionFactory(quiz=quiz, kind=kind, prompt=prompt, accepted_answers=[], position=position)
    for index, (text, correct) in enumerate(texts):
        ChoiceFactory(question=question, text=text, is_correct=correct, position=index)
    return question


@pytest.fixture
def quiz_with_every_kind(db: None) -> dict[str, object]:
    classroom = ClassroomFactory()
    quiz = QuizFactory(school=classroom.school)
    single = _choice_question(
        quiz,
        QuestionKind.SINGLE_CHOICE,
        "Smallest unit of life?",
        [("Cell", True), ("Atom", False), ("Organ", False)],
        0,
    )
    short = QuestionFactory(
        quiz=quiz,
        prompt="What holds the DNA?",
        accepted_answers=["nucleus"],
        position=1,
        explanation="The nucleus stores DNA.",
    )
    numeric = QuestionFactory(
        quiz=quiz,
        kind=QuestionKind.NUMERIC,
        prompt="Pi to two places?",
        accepted_answers=[],
        numeric_answer=Decimal("3.14"),
        position=2,
    )
    multiple = _choice_question(
        quiz,
        QuestionKind.MULTIPLE_CHOICE,
        "Which are organelles?",
        [("Nucleus", True), ("Mitochondrion", True), ("Skin", False)],
        3,
    )
    ordering = _choice_question(
        quiz, QuestionKind.ORDERING, "Order by size", [("Atom", False), ("Cell", False), ("Organ", False)], 4
    )
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz)
    return {
        "classroom": classroom,
        "assignment": assignment,
        "snapshot": snapshot_of(quiz),
        "single": single,
        "short": short,
        "numeric": numeric,
        "multiple": multiple,
        "ordering": ordering,
    }


def _choice_ids(question: object) -> list[int]:
    assert isinstance(question, Question)
    return list(question.choices.order_by("position").values_list("id", flat=True))  # pyright: ignore[reportAttributeAccessIssue]


def _take(
    setup: dict[str, object], answers: dict[str, tuple[dict[str, object], bool | None]], **attempt_fields: object
) -> Attempt:
    assignment = setup["assignment"]
    assert isinstance(assignment, Assignment)
    student = EnrollmentFactory(classroom=assignment.classroom).student
    attempt = AttemptRowFactory(assignment=assignment, student=student, snapshot=setup["snapshot"], **attempt_fields)
    for name, (response, correct) in answers.items():
        question = setup[name]
        assert isinstance(question, Question)
        AnswerRowFactory(
            attempt=attempt,
            question=question,
            question_key=question.pk,
            response=response,
            is_correct=correct,
            points_awarded=Decimal(1 if correct else 0),
        )
    return attempt


def test_item_analysis_counts_answers_and_names_the_most_common_wrong_answer(
    quiz_with_every_kind: dict[str, object],
) -> None:
    setup = quiz_with_every_kind
    cell, atom, organ = _choice_ids(setup["single"])
    nucleus, mito, skin = _choice_ids(setup["multiple"])
    small, medium, large = _choice_ids(setup["ordering"])
    _take(setup, {
        "single": ({"choice_id": atom}, False),
        "short": ({"text": " Cytoplasm "}, False),
        "numeric": ({"value": "3.1"}, False),
        "multiple": ({"choice_ids": [skin, nucleus]}, False),
        "ordering": ({"order": [medium, small, large]}, False),
    })  # fmt: skip
    _take(setup, {
        "single": ({"choice_id": atom}, False),
        "short": ({"text": "cytoplasm"}, False),
        "numeric": ({"value": 3.10}, False),
        "multiple": ({"choice_ids": [nucleus, mito]}, True),
    })  # fmt: skip
    _take(setup, {
        "single": ({"choice_id": organ}, False),
        "short": ({"text": "Nucleus"}, True),
        "numeric": ({"value": "7"}, False),
    })  # fmt: skip
    _take(setup, {"single": ({"choice_id": cell}, True), "short": ({"text": "membrane"}, None)})
    # An attempt still in progress counts for nothing yet.
    _take(setup, {"single": ({"choice_id": organ}, False)}, status=AttemptStatus.IN_PROGRESS, submitted_at=None)

    assignment = setup["assignment"]
    assert isinstance(assignment, Assignment)
    analysis = item_analysis_for_assignment(assignment=assignment)

    assert analysis.attempts_counted == 4
    single, short, numeric, multiple, ordering = analysis.questions
    assert (single.prompt, single.answered, single.correct, single.percent_correct) == (
        "Smallest unit of life?", 4, 1, Decimal("25.0"),
    )  # fmt: skip
    assert (single.most_common_wrong_answer, single.most_common_wrong_count) == ("Atom", 2)
    # Typed answers group as grading matches them: case and spacing do not matter.
    assert (short.most_common_wrong_answer, short.most_common_wrong_count) == ("Cytoplasm", 2)
    # The answer waiting for an educator is answered but not yet graded.
    assert (short.answered, short.graded, short.correct) == (4, 3, 1)
    assert (numeric.most_common_wrong_answer, numeric.most_common_wrong_count) == ("3.1", 2)
    assert multiple.most_common_wrong_answer == "Nucleus, Skin"
    assert multiple.percent_correct == Decimal("50.0")
    assert ordering.most_common_wrong_answer == "Cell → Atom → Organ"
    assert ordering.answered == 1


def test_item_analysis_lists_unanswered_questions_and_questions_removed_since(
    quiz_with_every_kind: dict[str, object],
) -> None:
    setup = quiz_with_every_kind
    gone = QuestionFactory(quiz=setup["short"].quiz, prompt="Removed later", position=9)  # type: ignore[attr-defined]
    old_snapshot = snapshot_of(gone.quiz)
    assignment = setup["assignment"]
    assert isinstance(assignment, Assignment)
    old = AttemptRowFactory(
        assignment=assignment,
        student=EnrollmentFactory(classroom=assignment.classroom).student,
        snapshot=old_snapshot,
        submitted_at=timezone.now() - dt.timedelta(days=1),
    )
    AnswerRowFactory(attempt=old, question=gone, question_key=gone.pk, response={"text": "x"}, is_correct=False)
    _take(setup, {})  # the newest attempt's snapshot no longer has the question
    gone_key = gone.pk
    gone.delete()

    analysis = item_analysis_for_assignment(assignment=assignment)

    prompts = [q.prompt for q in analysis.questions]
    assert prompts[:5] == [
        "Smallest unit of life?", "What holds the DNA?", "Pi to two places?", "Which are organelles?", "Order by size",
    ]  # fmt: skip
    removed = analysis.questions[-1]
    assert removed.question_key == gone_key
    assert removed.prompt == "(a question no longer in the quiz)"
    assert removed.answered == 1
    assert analysis.questions[0].answered == 0
    assert analysis.questions[0].percent_correct is None


def test_item_analysis_and_most_missed_leave_out_students_removed_from_the_class(
    quiz_with_every_kind: dict[str, object],
) -> None:
    setup = quiz_with_every_kind
    cell, atom, _ = _choice_ids(setup["single"])
    _take(setup, {"single": ({"choice_id": cell}, True)})
    gone = _take(setup, {"single": ({"choice_id": atom}, False)})
    Enrollment.objects.filter(student_id=gone.student_id).update(status=EnrollmentStatus.REMOVED)

    analysis = item_analysis_for_assignment(assignment=setup["assignment"])  # type: ignore[arg-type]
    missed = most_missed_questions_for_classroom(classroom=setup["classroom"])  # type: ignore[arg-type]

    single = analysis.questions[0]
    assert (analysis.attempts_counted, single.answered, single.correct, single.most_common_wrong_answer) == (
        1, 1, 1, None,
    )  # fmt: skip
    assert [(m.stats.prompt, m.stats.percent_correct) for m in missed] == [("Smallest unit of life?", Decimal(100))]


def test_most_missed_questions_rank_the_lowest_percent_correct_first(db: None) -> None:
    classroom = ClassroomFactory()
    easy_quiz, hard_quiz = QuizFactory(school=classroom.school), QuizFactory(school=classroom.school, title="Hard one")
    easy = QuestionFactory(quiz=easy_quiz, prompt="Easy")
    hard = QuestionFactory(quiz=hard_quiz, prompt="Hard")
    middling = QuestionFactory(quiz=hard_quiz, prompt="Middling")
    first = AssignmentFactory(classroom=classroom, quiz=easy_quiz)
    second = AssignmentFactory(classroom=classroom, quiz=hard_quiz)
    outcomes = {easy: [True, True, True], hard: [False, False, True], middling: [True, False, True]}
    for index in range(3):
        student = EnrollmentFactory(classroom=classroom).student
        for assignment in (first, second):
            attempt = AttemptRowFactory(
                assignment=assignment,
                student=student,
                snapshot=snapshot_of(assignment.quiz),  # type: ignore[arg-type]
            )
            for question, results in outcomes.items():
                if question.quiz_id == assignment.quiz_id:
                    AnswerRowFactory(
                        attempt=attempt, question=question, question_key=question.pk,
                        response={"text": "mitochondria" if not results[index] else "cell"},
                        is_correct=results[index],
                    )  # fmt: skip

    missed = most_missed_questions_for_classroom(classroom=classroom, limit=2)

    assert [(m.stats.prompt, m.assignment_title) for m in missed] == [("Hard", "Hard one"), ("Middling", "Hard one")]
    assert missed[0].stats.most_common_wrong_answer == "mitochondria"
    assert missed[0].stats.percent_correct == Decimal("33.3")


def _bulk_answers(students: int) -> Assignment:
    classroom = ClassroomFactory()
    quiz = QuizFactory(school=classroom.school)
    questions = [QuestionFactory(quiz=quiz, position=index) for index in range(10)]
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz)
    snapshot = snapshot_of(quiz)
    users = User.objects.bulk_create(
        User(username=f"{classroom.join_code}-{i}", role=Role.STUDENT, school=classroom.school) for i in range(students)
    )
    Enrollment.objects.bulk_create(Enrollment(classroom=classroom, student=user) for user in users)
    now = timezone.now()
    attempts = Attempt.objects.bulk_create(
        Attempt(
            assignment=assignment, student=user, number=1, status=AttemptStatus.GRADED,
            started_at=now, submitted_at=now, snapshot=snapshot, final_percent=Decimal(50),
        )
        for user in users
    )  # fmt: skip
    Answer.objects.bulk_create(
        Answer(
            attempt=attempt, question=question, question_key=question.pk,
            response={"text": "cell" if index % 2 else "wall"}, is_correct=bool(index % 2),
        )
        for attempt in attempts
        for index, question in enumerate(questions)
    )  # fmt: skip
    return assignment


@pytest.mark.parametrize("students", [10, 200])
def test_item_analysis_and_most_missed_have_fixed_query_counts(
    db: None, django_assert_max_num_queries, students: int
) -> None:
    assignment = _bulk_answers(students)

    with django_assert_max_num_queries(4):
        analysis = item_analysis_for_assignment(assignment=assignment)
    with django_assert_max_num_queries(4):
        missed = most_missed_questions_for_classroom(classroom=assignment.classroom)

    assert all(q.answered == students for q in analysis.questions)
    assert len(missed) == 5
    assert all(m.stats.percent_correct == Decimal("0.0") for m in missed)


# --- One attempt -------------------------------------------------------------------------------


def test_attempt_detail_joins_each_answer_to_its_snapshot_question(
    quiz_with_every_kind: dict[str, object], django_assert_max_num_queries
) -> None:
    setup = quiz_with_every_kind
    atom = _choice_ids(setup["single"])[1]
    attempt = _take(setup, {"single": ({"choice_id": atom}, False), "numeric": ({"value": "3.140"}, True)})
    answer = Answer.objects.get(attempt=attempt, question_key=setup["numeric"].pk)  # type: ignore[attr-defined]
    GradeOverride.objects.create(
        attempt=attempt, answer=answer, changed_by=attempt.assignment.classroom.owner,
        old_score=Decimal(0), new_score=Decimal(1), reason="Rounding was fine",
    )  # fmt: skip
    # Editing the quiz afterwards changes nothing the attempt recorded.
    Question.objects.filter(pk=setup["single"].pk).update(prompt="Edited prompt")  # type: ignore[attr-defined]

    with django_assert_max_num_queries(3):
        detail = attempt_detail(attempt=attempt)

    assert [a.question.prompt for a in detail.answers][:3] == [
        "Smallest unit of life?",
        "What holds the DNA?",
        "Pi to two places?",
    ]
    single, short, numeric = detail.answers[:3]
    assert (single.response_text, single.correct_answer_text, single.is_correct) == ("Atom", "Cell", False)
    assert short.answer_id is None
    assert short.response_text == ""
    assert numeric.response_text == "3.14"
    assert numeric.correct_answer_text == "3.14"
    assert detail.answers[3].correct_answer_text == "Nucleus, Mitochondrion"
    assert detail.answers[4].correct_answer_text == "Atom → Cell → Organ"
    assert detail.overrides[0].reason == "Rounding was fine"
    assert detail.passed is True


@pytest.mark.parametrize(
    ("visibility", "days_after_due", "shown"),
    [
        (AnswerVisibility.IMMEDIATELY, -1, True),
        (AnswerVisibility.AFTER_DUE, -1, False),
        (AnswerVisibility.AFTER_DUE, 1, True),
        (AnswerVisibility.NEVER, 30, False),
    ],
)
def test_student_result_honours_answer_visibility(
    quiz_with_every_kind: dict[str, object], visibility: str, days_after_due: int, shown: bool
) -> None:
    setup = quiz_with_every_kind
    setup["snapshot"] = {**setup["snapshot"], "answer_visibility": visibility}  # type: ignore[dict-item]
    atom = _choice_ids(setup["single"])[1]
    attempt = _take(setup, {"single": ({"choice_id": atom}, False), "short": ({"text": "dna"}, False)})
    Answer.objects.filter(attempt=attempt, question_key=setup["short"].pk).update(  # type: ignore[attr-defined]
        graded_by=GradedBy.EDUCATOR, feedback="Look again at where DNA is kept."
    )
    Answer.objects.filter(attempt=attempt, question_key=setup["single"].pk).update(feedback="Atoms are smaller.")  # type: ignore[attr-defined]
    now = attempt.assignment.due_at + dt.timedelta(days=days_after_due)

    result = attempt_result_for_student(attempt=attempt, now=now)

    single, short = result.items[:2]
    assert result.final_percent == Decimal("80")
    assert single.response_text == "Atom"
    assert result.answers_shown is shown
    assert (single.correct_answer_text == "Cell") is shown
    assert (single.is_correct is False) is shown
    assert (short.explanation == "The nucleus stores DNA.") is shown
    assert (single.feedback == "Atoms are smaller.") is shown
    assert short.feedback == "Look again at where DNA is kept."
    if visibility == AnswerVisibility.AFTER_DUE and not shown:
        assert result.answers_shown_from == attempt.assignment.due_at


def test_student_result_of_an_attempt_in_progress_shows_nothing(quiz_with_every_kind: dict[str, object]) -> None:
    attempt = _take(
        quiz_with_every_kind,
        {"short": ({"text": "nucleus"}, None)},
        status=AttemptStatus.IN_PROGRESS, submitted_at=None, final_percent=None,
    )  # fmt: skip

    result = attempt_result_for_student(attempt=attempt)

    assert result.items == ()
    assert result.final_percent is None
    assert not result.answers_shown


def test_score_stays_hidden_until_graded(quiz_with_every_kind: dict[str, object]) -> None:
    attempt = _take(quiz_with_every_kind, {}, status=AttemptStatus.SUBMITTED, final_percent=Decimal("40"))

    assert attempt_result_for_student(attempt=attempt).final_percent is None
