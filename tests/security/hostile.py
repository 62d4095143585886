"""A school whose every user-typed text is one hostile payload, and the pages that show it.

Shared by the HTML check (test_hostile_input.py) and the browser check (tests/e2e)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from django.utils import timezone

from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    GenerationJobFactory,
    LessonAssignmentFactory,
    ParentFactory,
    SchoolFactory,
    StudentFactory,
)
from toolbox.accounts.models import User
from toolbox.accounts.services import parent_link_create
from toolbox.content.models import ContentStatus, Lesson, QuestionKind, Quiz
from toolbox.content.services import lesson_create, question_create, quiz_create
from toolbox.learning.models import Answer
from toolbox.learning.services import attempt_save_answer, attempt_start, attempt_submit, grade_override

PAYLOADS_FILE = Path(__file__).with_name("xss_payloads.txt")


def load_payloads() -> list[str]:
    lines = PAYLOADS_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("# ")]


@dataclass
class HostileSchool:
    marker: str
    educator: User
    student: User
    parent: User
    pages: dict[str, tuple[User, str]]


def hostile_school(payload: str, marker: str) -> HostileSchool:
    """Every free-text field holds `marker` followed by `payload`; the marker proves that the
    field reached the page at all."""
    text = f"{marker} {payload}"
    school = SchoolFactory()
    educator = EducatorFactory(school=school, first_name=text[:150], last_name=text[:150])
    classroom = ClassroomFactory(school=school, owner=educator, name=text[:120])
    student = StudentFactory(school=school, first_name=text[:150], last_name=text[:150], display_name=text[:150])
    EnrollmentFactory(classroom=classroom, student=student)
    parent = ParentFactory(school=school, first_name=text[:150])
    parent_link_create(parent=parent, student=student)

    lesson = lesson_create(
        author=educator, title=text[:200], subject="Science", grade_level="7", body_markdown=f"# {text}\n\n{text}\n"
    )
    Lesson.objects.filter(pk=lesson.pk).update(status=ContentStatus.PUBLISHED, published_at=timezone.now())
    lesson_assignment = LessonAssignmentFactory(classroom=classroom, lesson=lesson)

    quiz = quiz_create(
        author=educator, title=text[:200], subject="Science", grade_level="7", description=text, max_attempts=3
    )
    choice_question = question_create(
        actor=educator,
        quiz=quiz,
        kind=QuestionKind.SINGLE_CHOICE,
        prompt=text,
        explanation=text,
        hint=text,
        choices=[
            {"text": text[:500], "is_correct": True, "feedback": text},
            {"text": f"{marker} plain", "is_correct": False, "feedback": text},
        ],
    )
    short_question = question_create(
        actor=educator, quiz=quiz, kind=QuestionKind.SHORT_ANSWER, prompt=text, accepted_answers=["nucleus"]
    )
    Quiz.objects.filter(pk=quiz.pk).update(status=ContentStatus.PUBLISHED, published_at=timezone.now())
    quiz.refresh_from_db()
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz)

    graded = attempt_start(student=student, assignment=assignment)
    choice_id = graded.snapshot["questions"][0]["choices"][0]["id"]
    attempt_save_answer(
        student=student, attempt=graded, question_id=choice_question.pk, response={"choice_id": choice_id}
    )
    attempt_save_answer(student=student, attempt=graded, question_id=short_question.pk, response={"text": text})
    graded = attempt_submit(student=student, attempt=graded)
    answer = Answer.objects.get(attempt=graded, question_key=short_question.pk)
    grade_override(actor=educator, answer=answer, points=Decimal("1"), reason=text, feedback=text)
    in_progress = attempt_start(student=student, assignment=assignment)

    job = GenerationJobFactory(
        school=school,
        created_by=educator,
        parameters={"subject": "Science", "grade": "7", "topic": text[:200], "source_text": text},
        created_at=timezone.now() - dt.timedelta(minutes=1),
    )
    classroom_url = f"/educator/classes/{classroom.pk}"
    pages: dict[str, tuple[User, str]] = {
        "student home": (student, "/student/"),
        "student lesson": (student, f"/student/lessons/{lesson_assignment.pk}/"),
        "student quiz intro": (student, f"/student/quizzes/{assignment.pk}/"),
        "student quiz player": (student, f"/student/attempts/{in_progress.pk}/"),
        "student result": (student, f"/student/attempts/{graded.pk}/result/"),
        "student progress": (student, "/student/progress/"),
        "educator home": (educator, "/educator/"),
        "educator class": (educator, f"{classroom_url}/"),
        "educator gradebook": (educator, f"{classroom_url}/gradebook/"),
        "educator attempt": (educator, f"{classroom_url}/attempts/{graded.pk}/"),
        "educator lesson": (educator, f"/educator/library/lessons/{lesson.pk}/"),
        "educator quiz": (educator, f"/educator/library/quizzes/{quiz.pk}/"),
        "educator insights": (educator, f"{classroom_url}/insights/"),
        "educator generation job": (educator, f"/educator/generate/jobs/{job.pk}/"),
        "parent home": (parent, "/parent/"),
        "parent child": (parent, f"/parent/children/{student.pk}/"),
    }
    return HostileSchool(marker=marker, educator=educator, student=student, parent=parent, pages=pages)


URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster"})
FORBIDDEN_TAGS = frozenset({"iframe", "object", "embed", "frame", "frameset", "applet", "base", "bgsound"})
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
C0_AND_SPACE = "".join(chr(code) for code in range(33))


class ActiveContentFinder(HTMLParser):
    """Everything in a page that could run script: script elements not served from our
    static files, event-handler attributes, script URLs, frames and plugins, refreshes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script" and not values.get("src", "").startswith("/static/"):
            self.problems.append(f"<script> not from /static/: {values}")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and "http-equiv" in values:
            self.problems.append(f"<meta http-equiv={values['http-equiv']}>")
        if tag == "link" and not values.get("href", "").startswith("/static/"):
            self.problems.append(f"<link> not from /static/: {values}")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            # As a browser reads a URL: tabs and newlines anywhere dropped, leading controls
            # and spaces stripped.
            squashed = "".join(ch for ch in value.lower() if ch not in "\t\n\r").lstrip(C0_AND_SPACE)
            if name in URL_ATTRIBUTES and squashed.startswith(DANGEROUS_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}> script URL")
            if name == "style" and ("expression(" in squashed or "javascript:" in squashed):
                self.problems.append(f"<{tag} style={value!r}> script in a style")
            if name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc> inline document")


def active_content(html: str) -> list[str]:
    finder = ActiveContentFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
