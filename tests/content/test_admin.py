from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from tests.factories import LearningObjectiveFactory, LessonFactory, QuizFactory, SchoolFactory
from tests.factories.content import SingleChoiceQuestionFactory
from toolbox.accounts.models import AuditEvent, School, User
from toolbox.content.models import Choice, ContentStatus, Lesson, Question, Quiz

Login = Callable[[User], Client]


@pytest.fixture
def admin_client_(login: Login, admin_user: User) -> Client:
    return login(admin_user)


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _choice_rows(rows: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        "choices-TOTAL_FORMS": str(len(rows)),
        "choices-INITIAL_FORMS": str(initial),
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                data[f"choices-{index}-{key}"] = "on"
            elif value is not False:
                data[f"choices-{index}-{key}"] = value
    return data


@pytest.mark.parametrize("role", ["educator", "student", "parent"])
def test_other_roles_are_refused(request: pytest.FixtureRequest, login: Login, role: str) -> None:
    response = login(request.getfixturevalue(role)).get("/admin/content/lesson/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("model", ["learningobjective", "lesson", "quiz", "question", "choice"])
def test_changelists_load_with_filters_and_search(
    admin_client_: Client, school: School, educator: User, model: str
) -> None:
    quiz = QuizFactory(school=school, author=educator, draft=True)
    SingleChoiceQuestionFactory(quiz=quiz)
    LessonFactory(school=school, author=educator)
    LearningObjectiveFactory()

    response = admin_client_.get(f"/admin/content/{model}/", {"q": "a"})
    assert response.status_code == 200
    response = admin_client_.get(f"/admin/content/{model}/")
    assert response.status_code == 200


def test_lists_show_only_the_admins_school(admin_client_: Client, school: School, educator: User) -> None:
    LessonFactory(school=school, author=educator, title="Ours")
    LessonFactory(school=SchoolFactory(), title="Theirs")

    response = admin_client_.get("/admin/content/lesson/")

    assert b"Ours" in response.content
    assert b"Theirs" not in response.content


def test_adding_a_lesson_goes_through_the_service(admin_client_: Client, admin_user: User) -> None:
    objective = LearningObjectiveFactory()

    response = admin_client_.post(
        "/admin/content/lesson/add/",
        {
            "title": "Volcanoes",
            "subject": "Science",
            "grade_level": "6",
            "objectives": [objective.pk],
            "estimated_minutes": "20",
            "difficulty": "standard",
            "body_markdown": "Magma **rises**. <img src=x onerror=alert(1)>",
        },
    )

    assert response.status_code == 302
    lesson = Lesson.objects.get(title="Volcanoes")
    assert lesson.status == ContentStatus.DRAFT
    assert lesson.author == admin_user
    assert lesson.school_id == admin_user.school_id
    assert lesson.body_html == '<p>Magma <strong>rises</strong>. <img src="x"></p>'
    assert list(lesson.objectives.all()) == [objective]


def test_editing_a_draft_rerenders_its_html(admin_client_: Client, school: School, educator: User) -> None:
    lesson = LessonFactory(school=school, author=educator, draft=True)

    response = admin_client_.post(
        f"/admin/content/lesson/{lesson.pk}/change/",
        {
            "title": lesson.title,
            "subject": "Science",
            "grade_level": "7",
            "estimated_minutes": "15",
            "difficulty": "standard",
            "body_markdown": "*Changed*",
        },
    )

    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.body_html == "<p><em>Changed</em></p>"


def test_published_lessons_are_read_only(admin_client_: Client, school: School, educator: User) -> None:
    lesson = LessonFactory(school=school, author=educator, title="Frozen")

    assert admin_client_.get(f"/admin/content/lesson/{lesson.pk}/change/").status_code == 200
    response = admin_client_.post(
        f"/admin/content/lesson/{lesson.pk}/change/",
        {"title": "Thawed", "subject": "Science", "grade_level": "7", "body_markdown": "x"},
    )

    assert response.status_code == 403
    lesson.refresh_from_db()
    assert lesson.title == "Frozen"


def test_approve_action_publishes_through_the_workflow(admin_client_: Client, school: School, educator: User) -> None:
    ai_lesson = LessonFactory(school=school, author=educator, ai_draft=True)
    in_review = LessonFactory(school=school, author=educator, status=ContentStatus.IN_REVIEW)

    response = admin_client_.post(
        "/admin/content/lesson/", {"action": "approve", "_selected_action": [ai_lesson.pk, in_review.pk]}
    )

    assert response.status_code == 302
    assert set(Lesson.objects.values_list("status", flat=True)) == {ContentStatus.PUBLISHED}
    assert AuditEvent.objects.filter(action="content.approved").count() == 2


def test_actions_report_domain_errors(admin_client_: Client, school: School, educator: User) -> None:
    empty = QuizFactory(school=school, author=educator, draft=True, title="Empty quiz")
    ai_quiz = QuizFactory(school=school, author=educator, ai_draft=True, title="AI quiz")
    SingleChoiceQuestionFactory(quiz=ai_quiz)

    response = admin_client_.post(
        "/admin/content/quiz/", {"action": "publish", "_selected_action": [empty.pk, ai_quiz.pk]}, follow=True
    )

    text = " ".join(_messages(response))
    assert "“Empty quiz”: Add at least one question" in text
    assert "“AI quiz”: This quiz was drafted by AI" in text
    assert set(Quiz.objects.values_list("status", flat=True)) == {ContentStatus.DRAFT}


def test_archive_action(admin_client_: Client, school: School, educator: User) -> None:
    quiz = QuizFactory(school=school, author=educator)

    admin_client_.post("/admin/content/quiz/", {"action": "archive", "_selected_action": [quiz.pk]})

    quiz.refresh_from_db()
    assert quiz.status == ContentStatus.ARCHIVED


def test_quiz_page_shows_its_questions_inline(admin_client_: Client, school: School, educator: User) -> None:
    quiz = QuizFactory(school=school, author=educator, draft=True)
    SingleChoiceQuestionFactory(quiz=quiz, prompt="Which organelle makes energy?")

    response = admin_client_.get(f"/admin/content/quiz/{quiz.pk}/change/")

    assert response.status_code == 200
    assert b"Which organelle makes energy?" in response.content


def test_adding_a_question_with_choices_checks_the_kind(admin_client_: Client, school: School, educator: User) -> None:
    quiz = QuizFactory(school=school, author=educator, draft=True)
    base = {"quiz": quiz.pk, "kind": "single_choice", "prompt": "Biggest planet?", "points": "1"}
    base |= {"explanation": "", "hint": "", "accepted_answers": "[]", "numeric_tolerance": "0"}

    refused = admin_client_.post(
        "/admin/content/question/add/",
        base | _choice_rows([{"text": "Jupiter", "is_correct": True}, {"text": "Saturn", "is_correct": True}]),
        follow=True,
    )
    assert "exactly one correct choice" in " ".join(_messages(refused))
    assert not Question.objects.exists()

    response = admin_client_.post(
        "/admin/content/question/add/",
        base
        | _choice_rows(
            [
                {"text": "Saturn", "is_correct": False, "position": "1"},
                {"text": "Jupiter", "is_correct": True, "position": "0"},
            ]
        ),
    )

    assert response.status_code == 302
    question = Question.objects.get()
    assert [(c.text, c.is_correct, c.position) for c in question.choices.all()] == [
        ("Jupiter", True, 0),
        ("Saturn", False, 1),
    ]


def test_changing_a_question_kind_in_the_admin(admin_client_: Client, school: School, educator: User) -> None:
    quiz = QuizFactory(school=school, author=educator, draft=True)
    question = SingleChoiceQuestionFactory(quiz=quiz)
    choices = list(question.choices.all())
    rows = [{"id": str(c.pk), "question": str(question.pk), "text": c.text, "DELETE": True} for c in choices]

    response = admin_client_.post(
        f"/admin/content/question/{question.pk}/change/",
        {
            "kind": "short_answer",
            "prompt": "Name the organelle",
            "points": "1",
            "explanation": "",
            "hint": "",
            "accepted_answers": '["Mitochondrion"]',
            "numeric_tolerance": "0",
        }
        | _choice_rows(rows, initial=len(rows)),
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.kind, question.accepted_answers) == ("short_answer", ["Mitochondrion"])
    assert not Choice.objects.filter(question=question).exists()


def test_choices_are_read_only_on_their_own(admin_client_: Client, school: School, educator: User) -> None:
    question = SingleChoiceQuestionFactory(quiz=QuizFactory(school=school, author=educator, draft=True))
    choice = question.choices.first()
    assert choice is not None

    response = admin_client_.post(f"/admin/content/choice/{choice.pk}/change/", {"text": "x", "is_correct": "on"})

    assert response.status_code == 403


def test_objective_autocomplete(admin_client_: Client) -> None:
    LearningObjectiveFactory(code="MATH.6.RP.1", description="Understand ratios")

    response = admin_client_.get(
        "/admin/autocomplete/",
        {"app_label": "content", "model_name": "lesson", "field_name": "objectives", "term": "ratio"},
    )

    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["MATH.6.RP.1 — Understand ratios"]
