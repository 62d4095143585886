from __future__ import annotations

import pytest

from tests.factories import EducatorFactory, LearningObjectiveFactory, LessonFactory, SchoolFactory
from toolbox.accounts.models import User
from toolbox.ai.models import GenerationJob
from toolbox.content.models import ContentSource, ContentStatus, Lesson, Quiz
from toolbox.content.services import lesson_create, lesson_update, quiz_create, quiz_update
from toolbox.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError


def _lesson(author: User, **overrides: object) -> Lesson:
    fields: dict[str, object] = {
        "title": "Photosynthesis",
        "subject": "Science",
        "grade_level": "7",
        "body_markdown": "Plants make **sugar** from light.",
    }
    fields.update(overrides)
    return lesson_create(author=author, **fields)  # type: ignore[arg-type]


def _quiz(author: User, **overrides: object) -> Quiz:
    fields: dict[str, object] = {"title": "Photosynthesis check", "subject": "Science", "grade_level": "7"}
    fields.update(overrides)
    return quiz_create(author=author, **fields)  # type: ignore[arg-type]


def test_lesson_create_renders_sanitised_html_and_starts_as_draft(educator: User) -> None:
    objective = LearningObjectiveFactory()

    lesson = _lesson(educator, body_markdown="Plants make **sugar**.<script>alert(1)</script>", objectives=[objective])

    lesson.refresh_from_db()
    assert lesson.status == ContentStatus.DRAFT
    assert lesson.source == ContentSource.MANUAL
    assert lesson.school_id == educator.school_id
    assert lesson.author == educator
    assert lesson.body_html == "<p>Plants make <strong>sugar</strong>.</p>"
    assert list(lesson.objectives.all()) == [objective]


def test_ai_lesson_with_a_job_is_an_ai_draft_with_provenance(educator: User) -> None:
    job = GenerationJob.objects.create(
        school=educator.school,
        created_by=educator,
        kind="lesson",
        request_fingerprint="f",
        provider="offline",
        model_name="offline-1",
        prompt_version="lesson-v2",
    )

    lesson = _lesson(educator, source="manual", generation_job=job, provenance={"temperature": 0.2})

    assert lesson.status == ContentStatus.DRAFT
    assert lesson.source == ContentSource.AI  # a generated draft cannot be labelled manual
    assert (lesson.ai_provider, lesson.ai_model, lesson.prompt_version) == ("offline", "offline-1", "lesson-v2")
    assert lesson.provenance == {"temperature": 0.2}


def test_provenance_keys_fill_the_columns_without_a_job(educator: User) -> None:
    lesson = _lesson(educator, source="ai", provenance={"provider": "openai", "model": "gpt", "prompt_version": "3"})

    assert (lesson.source, lesson.ai_provider, lesson.ai_model, lesson.prompt_version) == ("ai", "openai", "gpt", "3")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"subject": ""}, "subject"),
        ({"grade_level": "13"}, "grade_level"),
        ({"body_markdown": "   "}, "body_markdown"),
        ({"estimated_minutes": 0}, "estimated_minutes"),
        ({"estimated_minutes": 500}, "estimated_minutes"),
        ({"difficulty": "impossible"}, "difficulty"),
        ({"source": "robot"}, "source"),
        ({"objectives": [999999]}, "objectives"),
        ({"objectives": ["not-an-id"]}, "objectives"),
    ],
)
def test_lesson_create_refuses_bad_input_and_writes_nothing(
    educator: User, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInputError) as error:
        _lesson(educator, **overrides)

    assert error.value.field == field
    assert not Lesson.objects.exists()


@pytest.mark.parametrize("role", ["student", "parent"])
def test_only_educators_and_admins_author(request: pytest.FixtureRequest, role: str) -> None:
    user = request.getfixturevalue(role)

    with pytest.raises(ForbiddenError):
        _lesson(user)
    with pytest.raises(ForbiddenError):
        _quiz(user)


def test_admin_can_author(admin_user: User) -> None:
    assert _lesson(admin_user).school_id == admin_user.school_id


def test_lesson_update_rerenders_html_and_sets_objectives(educator: User) -> None:
    lesson = _lesson(educator)
    objective = LearningObjectiveFactory()

    lesson_update(
        actor=educator, lesson=lesson, body_markdown="[x](javascript:alert(1)) *new*", objectives=[objective.pk]
    )

    lesson.refresh_from_db()
    assert lesson.body_markdown == "[x](javascript:alert(1)) *new*"
    assert lesson.body_html == '<p><a rel="noopener noreferrer">x</a> <em>new</em></p>'
    assert list(lesson.objectives.all()) == [objective]


def test_lesson_update_refuses_workflow_and_provenance_fields(educator: User) -> None:
    lesson = _lesson(educator, source="ai")

    for field, value in [("status", "published"), ("source", "manual"), ("body_html", "<b>x</b>"), ("school", None)]:
        with pytest.raises(InvalidInputError):
            lesson_update(actor=educator, lesson=lesson, **{field: value})

    lesson.refresh_from_db()
    assert (lesson.status, lesson.source) == ("draft", "ai")


def test_invalid_update_leaves_row_and_object_unchanged(educator: User) -> None:
    lesson = _lesson(educator)

    with pytest.raises(InvalidInputError):
        lesson_update(actor=educator, lesson=lesson, title="New title", estimated_minutes=0)

    assert lesson.title == "Photosynthesis"
    lesson.refresh_from_db()
    assert lesson.title == "Photosynthesis"


def test_published_lesson_is_frozen(educator: User) -> None:
    lesson = LessonFactory(school=educator.school, status=ContentStatus.PUBLISHED)

    with pytest.raises(ConflictError):
        lesson_update(actor=educator, lesson=lesson, title="Changed")


def test_in_review_lesson_can_still_be_edited(educator: User) -> None:
    lesson = LessonFactory(school=educator.school, status=ContentStatus.IN_REVIEW)

    lesson_update(actor=educator, lesson=lesson, title="Changed")

    lesson.refresh_from_db()
    assert lesson.title == "Changed"


def test_other_school_educator_cannot_see_or_edit(educator: User) -> None:
    lesson = _lesson(educator)
    outsider = EducatorFactory(school=SchoolFactory())

    with pytest.raises(NotFoundError):
        lesson_update(actor=outsider, lesson=lesson, title="Mine now")


@pytest.mark.parametrize("role", ["student", "parent"])
def test_students_and_parents_cannot_edit(request: pytest.FixtureRequest, educator: User, role: str) -> None:
    lesson = _lesson(educator)

    with pytest.raises(NotFoundError):
        lesson_update(actor=request.getfixturevalue(role), lesson=lesson, title="x")


def test_quiz_create_defaults_and_settings(educator: User) -> None:
    lesson = _lesson(educator)

    quiz = _quiz(educator, lesson=lesson, time_limit_minutes=20, shuffle_questions=True, answer_visibility="never")

    quiz.refresh_from_db()
    assert (quiz.status, quiz.pass_mark_percent, quiz.max_attempts) == ("draft", 70, 3)
    assert (quiz.lesson, quiz.time_limit_minutes, quiz.shuffle_questions) == (lesson, 20, True)
    assert quiz.answer_visibility == "never"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"pass_mark_percent": 101}, "pass_mark_percent"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"max_attempts": 1000}, "max_attempts"),
        ({"time_limit_minutes": 0}, "time_limit_minutes"),
        ({"answer_visibility": "sometimes"}, "answer_visibility"),
        ({"title": ""}, "title"),
    ],
)
def test_quiz_create_refuses_bad_settings(educator: User, overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        _quiz(educator, **overrides)

    assert error.value.field == field
    assert not Quiz.objects.exists()


def test_quiz_cannot_follow_another_schools_lesson(educator: User) -> None:
    foreign_lesson = LessonFactory(school=SchoolFactory())

    with pytest.raises(InvalidInputError):
        _quiz(educator, lesson=foreign_lesson)
    quiz = _quiz(educator)
    with pytest.raises(InvalidInputError):
        quiz_update(actor=educator, quiz=quiz, lesson=foreign_lesson)


def test_quiz_update_changes_settings_and_refuses_frozen(educator: User) -> None:
    quiz = _quiz(educator)

    quiz_update(actor=educator, quiz=quiz, pass_mark_percent=50, objectives=[LearningObjectiveFactory()])

    quiz.refresh_from_db()
    assert quiz.pass_mark_percent == 50
    assert quiz.objectives.count() == 1
    Quiz.objects.filter(pk=quiz.pk).update(status=ContentStatus.ARCHIVED)
    with pytest.raises(ConflictError):
        quiz_update(actor=educator, quiz=quiz, pass_mark_percent=60)
    with pytest.raises(InvalidInputError):
        quiz_update(actor=educator, quiz=quiz, status="draft")
