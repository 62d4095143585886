"""The demo school's objectives, lessons, quizzes and practice banks, and the review queue.

Keyed by objective code and by (school, title), so that a second run finds what the first
made. Quizzes get their questions only when they are created.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from toolbox.accounts.models import School, User
from toolbox.ai.models import GenerationJob, JobKind, JobStatus
from toolbox.content.markdown import markdown_render
from toolbox.content.models import (
    Choice,
    ContentSource,
    ContentStatus,
    LearningObjective,
    Lesson,
    Question,
    Quiz,
)
from toolbox.content.services import quiz_snapshot
from toolbox.learning.demo.material import (
    AI_DRAFT_LESSON,
    AI_DRAFT_SUBJECT,
    IN_REVIEW_LESSON,
    IN_REVIEW_SUBJECT,
    SUBJECTS,
)
from toolbox.learning.demo.material.spec import LessonSpec, QuestionSpec, QuizSpec, SubjectSpec
from toolbox.learning.demo.snapshots import QuestionPlan, question_plans

AI_PROMPT_VERSION = "lesson-v1"
AI_PROVIDER = "offline"
AI_MODEL = "offline-template"


@dataclass
class SubjectContent:
    """What a class of one subject is assigned, in teaching order, and its practice bank."""

    lessons: list[Lesson]
    quizzes: list[Quiz]
    practice_bank: Quiz
    practice_by_objective: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class Catalog:
    subjects: dict[str, SubjectContent]
    objectives: dict[str, LearningObjective]
    snapshots: dict[int, dict[str, Any]]
    plans: dict[int, list[QuestionPlan]]


def seed_content(*, school: School, authors: dict[str, User], reviewers: dict[str, User]) -> Catalog:
    """`authors` and `reviewers` map a subject to the educator who wrote or approved its material."""
    published_at = timezone.now() - dt.timedelta(days=70)
    objectives = _seed_objectives()
    subjects: dict[str, SubjectContent] = {}
    for spec in SUBJECTS:
        author, reviewer = authors[spec.subject], reviewers[spec.subject]
        lessons = {
            lesson.slug: _seed_lesson(
                school=school,
                author=author,
                spec=lesson,
                subject=spec,
                objectives=objectives,
                reviewer=reviewer,
                published_at=published_at,
            )
            for lesson in spec.lessons
        }
        quizzes = [
            _seed_quiz(
                school=school,
                author=author,
                spec=quiz,
                subject=spec,
                objectives=objectives,
                lesson=lessons[quiz.lesson_slug] if quiz.lesson_slug else None,
                reviewer=reviewer,
                published_at=published_at,
            )
            for quiz in spec.quizzes
        ]
        bank_spec = QuizSpec(
            title=spec.practice_bank_title,
            description=f"Extra practice items for every {spec.subject} objective, used by the nightly practice sets.",
            questions=spec.practice,
        )
        bank = _seed_quiz(
            school=school,
            author=author,
            spec=bank_spec,
            subject=spec,
            objectives=objectives,
            lesson=None,
            reviewer=reviewer,
            published_at=published_at,
            is_practice_bank=True,
        )
        subjects[spec.subject] = SubjectContent(lessons=list(lessons.values()), quizzes=quizzes, practice_bank=bank)
    _seed_review_queue(school=school, authors=authors, objectives=objectives)
    return _catalog(subjects=subjects, objectives=objectives)


def _seed_objectives() -> dict[str, LearningObjective]:
    wanted = {
        objective.code: LearningObjective(
            code=objective.code,
            description=objective.description,
            subject=subject.subject,
            grade_level=subject.grade_level,
        )
        for subject in SUBJECTS
        for objective in subject.objectives
    }
    existing = set(LearningObjective.objects.filter(code__in=wanted).values_list("code", flat=True))
    LearningObjective.objects.bulk_create([o for code, o in wanted.items() if code not in existing])
    return {o.code: o for o in LearningObjective.objects.filter(code__in=wanted)}


def _seed_lesson(
    *,
    school: School,
    author: User,
    spec: LessonSpec,
    subject: SubjectSpec,
    objectives: dict[str, LearningObjective],
    reviewer: User | None,
    published_at: dt.datetime | None,
    status: str = ContentStatus.PUBLISHED,
    **extra: Any,
) -> Lesson:
    lesson = Lesson.objects.filter(school=school, title=spec.title).first()
    if lesson is not None:
        return lesson
    body = spec.body_markdown
    lesson = Lesson.objects.create(
        school=school,
        author=author,
        title=spec.title,
        subject=subject.subject,
        grade_level=subject.grade_level,
        status=status,
        body_markdown=body,
        body_html=markdown_render(text=body),
        estimated_minutes=spec.estimated_minutes,
        difficulty=spec.difficulty,
        reviewed_by=reviewer,
        reviewed_at=published_at,
        published_at=published_at,
        **extra,
    )
    lesson.objectives.set([objectives[code] for code in spec.objectives])
    return lesson


def _seed_quiz(
    *,
    school: School,
    author: User,
    spec: QuizSpec,
    subject: SubjectSpec,
    objectives: dict[str, LearningObjective],
    lesson: Lesson | None,
    reviewer: User,
    published_at: dt.datetime,
    is_practice_bank: bool = False,
) -> Quiz:
    quiz = Quiz.objects.filter(school=school, title=spec.title).first()
    if quiz is not None:
        return quiz
    quiz = Quiz.objects.create(
        school=school,
        author=author,
        title=spec.title,
        subject=subject.subject,
        grade_level=subject.grade_level,
        status=ContentStatus.PUBLISHED,
        lesson=lesson,
        description=spec.description,
        time_limit_minutes=spec.time_limit_minutes,
        pass_mark_percent=spec.pass_mark_percent,
        max_attempts=spec.max_attempts,
        shuffle_questions=spec.shuffle_questions,
        answer_visibility=spec.answer_visibility,
        is_practice_bank=is_practice_bank,
        reviewed_by=reviewer,
        reviewed_at=published_at,
        published_at=published_at,
    )
    quiz.objectives.set([objectives[code] for code in sorted({q.objective for q in spec.questions})])
    _create_questions(quiz=quiz, questions=spec.questions, objectives=objectives)
    return quiz


def _create_questions(
    *, quiz: Quiz, questions: Sequence[QuestionSpec], objectives: dict[str, LearningObjective]
) -> None:
    rows = Question.objects.bulk_create(
        [
            Question(
                quiz=quiz,
                kind=spec.kind,
                position=position,
                prompt=spec.prompt,
                explanation=spec.explanation,
                hint=spec.hint,
                points=spec.points,
                objective=objectives[spec.objective],
                accepted_answers=list(spec.accepted_answers),
                numeric_answer=spec.numeric_answer,
                numeric_tolerance=spec.numeric_tolerance,
            )
            for position, spec in enumerate(questions)
        ]
    )
    Choice.objects.bulk_create(
        [
            Choice(
                question=row,
                text=choice.text,
                is_correct=choice.is_correct,
                position=position,
                feedback=choice.feedback,
            )
            for row, spec in zip(rows, questions, strict=True)
            for position, choice in enumerate(spec.choices)
        ]
    )


def _seed_review_queue(*, school: School, authors: dict[str, User], objectives: dict[str, LearningObjective]) -> None:
    """One AI draft awaiting an educator, and one hand-written lesson submitted for review."""
    subject_specs = {spec.subject: spec for spec in SUBJECTS}
    ai_author = authors[AI_DRAFT_SUBJECT]
    if not Lesson.objects.filter(school=school, title=AI_DRAFT_LESSON.title).exists():
        finished = timezone.now() - dt.timedelta(hours=20)
        job = GenerationJob.objects.create(
            school=school,
            created_by=ai_author,
            kind=JobKind.LESSON,
            parameters={
                "topic": AI_DRAFT_LESSON.title,
                "subject": AI_DRAFT_SUBJECT,
                "grade_level": "7",
                "reading_level": "grade 7",
                "length": "medium",
            },
            request_fingerprint="demo-" + AI_DRAFT_LESSON.slug,
            status=JobStatus.SUCCEEDED,
            progress_percent=100,
            stage_message="Draft ready for review",
            attempts=1,
            provider=AI_PROVIDER,
            model_name=AI_MODEL,
            prompt_version=AI_PROMPT_VERSION,
            tokens_in=412,
            tokens_out=1288,
            dispatched_at=finished - dt.timedelta(seconds=9),
            started_at=finished - dt.timedelta(seconds=8),
            heartbeat_at=finished,
            finished_at=finished,
        )
        lesson = _seed_lesson(
            school=school,
            author=ai_author,
            spec=AI_DRAFT_LESSON,
            subject=subject_specs[AI_DRAFT_SUBJECT],
            objectives=objectives,
            reviewer=None,
            published_at=None,
            status=ContentStatus.DRAFT,
            source=ContentSource.AI,
            generation_job=job,
            ai_provider=AI_PROVIDER,
            ai_model=AI_MODEL,
            prompt_version=AI_PROMPT_VERSION,
            provenance={
                "job_id": job.pk,
                "provider": AI_PROVIDER,
                "model": AI_MODEL,
                "prompt_version": AI_PROMPT_VERSION,
                "generated_at": finished.isoformat(),
            },
        )
        lesson.objectives.set([objectives["SCI.7.ENERGY.1"]])
        job.lesson = lesson
        job.output = {"title": lesson.title, "body_markdown": lesson.body_markdown}
        job.save(update_fields=["lesson", "output"])
    _seed_lesson(
        school=school,
        author=authors[IN_REVIEW_SUBJECT],
        spec=IN_REVIEW_LESSON,
        subject=subject_specs[IN_REVIEW_SUBJECT],
        objectives=objectives,
        reviewer=None,
        published_at=None,
        status=ContentStatus.IN_REVIEW,
    )


def _catalog(*, subjects: dict[str, SubjectContent], objectives: dict[str, LearningObjective]) -> Catalog:
    quizzes = [quiz for content in subjects.values() for quiz in [*content.quizzes, content.practice_bank]]
    typical_wrong = {
        question.prompt: question.typical_wrong
        for subject in SUBJECTS
        for quiz in (*subject.quizzes, QuizSpec("", "", subject.practice))
        for question in quiz.questions
        if question.typical_wrong
    }
    snapshots = {quiz.pk: quiz_snapshot(quiz=quiz) for quiz in quizzes}
    plans = {quiz_id: question_plans(snapshot, typical_wrong=typical_wrong) for quiz_id, snapshot in snapshots.items()}
    for content in subjects.values():
        for question in snapshots[content.practice_bank.pk]["questions"]:
            if question["objective_id"] is not None:
                content.practice_by_objective.setdefault(question["objective_id"], []).append(question["id"])
    return Catalog(subjects=subjects, objectives=objectives, snapshots=snapshots, plans=plans)
