"""Nightly practice sets: for each student, 5–10 published questions on the objectives they
have not yet mastered, missed ones first, then unseen ones, then the rest; and, where a
school's reviewed bank for an objective is too thin, one AI job a night that drafts new
items into the review queue (never straight to students).

Picking is deterministic for a student and a night, so a rerun would pick the same set; the
unique (student, night) key makes sure it is never made twice."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from toolbox.accounts import permissions
from toolbox.accounts.models import Role, School, User
from toolbox.ai.models import JobKind
from toolbox.ai.services.jobs import generation_job_create
from toolbox.classroom.models import EnrollmentStatus
from toolbox.content.models import ContentStatus, LearningObjective, Lesson, Question
from toolbox.errors import ConflictError, NotFoundError
from toolbox.freshness import users_changed
from toolbox.learning import grading
from toolbox.learning.models import Answer, Mastery, PracticeItem, PracticeSet
from toolbox.learning.schedule_models import PracticeBankRequest
from toolbox.learning.scheduling import RunSummary
from toolbox.learning.services.gamification import xp_grant
from toolbox.learning.services.progress import mastery_record_answers

logger = structlog.get_logger(__name__)

PRACTICE_MIN_ITEMS = 5
PRACTICE_MAX_ITEMS = 10
SOURCE_TEXT_MAX_LENGTH = 50_000
BANK_QUESTIONS_PER_JOB = 5
XP_PER_PRACTICE_ANSWER = 2

MISSED, UNSEEN, SEEN = 0, 1, 2


@dataclass(frozen=True)
class PracticeChunk:
    student_ids: list[int]
    for_date: dt.date


def practice_student_ids(*, school_ids: Iterable[int]) -> dict[int, list[int]]:
    """Per school: the active, enrolled students with at least one objective not yet mastered."""
    rows = (
        User.objects.filter(
            school_id__in=list(school_ids),
            role=Role.STUDENT,
            is_active=True,
            enrollments__status=EnrollmentStatus.ACTIVE,
            enrollments__classroom__is_archived=False,
            mastery__mastered_at__isnull=True,
        )
        .order_by("school_id", "id")
        .values_list("school_id", "id")
        .distinct()
    )
    by_school: dict[int, list[int]] = defaultdict(list)
    for school_id, student_id in rows:
        by_school[school_id].append(student_id)
    return dict(by_school)


def practice_chunks(*, school_dates: Sequence[tuple[School, dt.date]], chunk_size: int) -> list[PracticeChunk]:
    """The students of the given schools split into chunks of at most `chunk_size`, each
    chunk for one night (the local date of its school)."""
    date_of = {school.pk: day for school, day in school_dates}
    chunks = []
    for school_id, student_ids in practice_student_ids(school_ids=date_of).items():
        for start in range(0, len(student_ids), chunk_size):
            chunks.append(
                PracticeChunk(student_ids=student_ids[start : start + chunk_size], for_date=date_of[school_id])
            )
    return chunks


def _rank(student_id: int, for_date: dt.date, question_id: int) -> str:
    """A stable pseudo-random order that differs per student and night."""
    return hashlib.sha256(f"{student_id}:{for_date.isoformat()}:{question_id}".encode()).hexdigest()


def practice_pick(
    *,
    student_id: int,
    for_date: dt.date,
    candidate_ids: Iterable[int],
    missed_ids: set[int],
    seen_ids: set[int],
) -> list[int]:
    """Up to PRACTICE_MAX_ITEMS question ids: missed first, then unseen, then the rest;
    an empty list when fewer than PRACTICE_MIN_ITEMS are available."""

    def tier(question_id: int) -> int:
        if question_id in missed_ids:
            return MISSED
        return SEEN if question_id in seen_ids else UNSEEN

    ordered = sorted(set(candidate_ids), key=lambda qid: (tier(qid), _rank(student_id, for_date, qid)))
    if len(ordered) < PRACTICE_MIN_ITEMS:
        return []
    return ordered[:PRACTICE_MAX_ITEMS]


def _published_questions(objective_ids: set[int], school_ids: set[int]) -> dict[tuple[int, int], list[int]]:
    """(school, objective) → ids of questions in published quizzes of that school."""
    rows = Question.objects.filter(
        objective_id__in=objective_ids, quiz__status=ContentStatus.PUBLISHED, quiz__school_id__in=school_ids
    ).values_list("quiz__school_id", "objective_id", "id")
    by_key: dict[tuple[int, int], list[int]] = defaultdict(list)
    for school_id, objective_id, question_id in rows:
        by_key[(school_id, objective_id)].append(question_id)
    return by_key


def _history(student_ids: list[int], question_ids: set[int]) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Per student: the questions ever answered wrongly, and the questions ever answered,
    in assignments or in earlier practice."""
    missed: dict[int, set[int]] = defaultdict(set)
    seen: dict[int, set[int]] = defaultdict(set)
    answers = Answer.objects.filter(attempt__student_id__in=student_ids, question_id__in=question_ids).values_list(
        "attempt__student_id", "question_id", "is_correct"
    )
    practised = PracticeItem.objects.filter(
        practice_set__student_id__in=student_ids, question_id__in=question_ids, answered_at__isnull=False
    ).values_list("practice_set__student_id", "question_id", "is_correct")
    for rows in (answers, practised):
        for student_id, question_id, is_correct in rows:
            seen[student_id].add(question_id)
            if is_correct is False:
                missed[student_id].add(question_id)
    return missed, seen


def _create_set(*, student_id: int, for_date: dt.date, question_ids: list[int], objective_of: dict[int, int]) -> bool:
    with transaction.atomic():
        practice_set, created = PracticeSet.objects.get_or_create(student_id=student_id, for_date=for_date)
        if not created:
            return False
        PracticeItem.objects.bulk_create(
            PracticeItem(practice_set=practice_set, question_id=question_id, position=position)
            for position, question_id in enumerate(question_ids)
        )
        practice_set.objectives.set(sorted({objective_of[question_id] for question_id in question_ids}))
    return True


def _create_sets_in_bulk(*, plans: dict[int, list[int]], for_date: dt.date, objective_of: dict[int, int]) -> int:
    """Create the sets of a whole chunk in a few queries; returns how many were new. A set
    that another run made meanwhile is left alone (it already has its items); two runs
    filling the same new set pick the same questions, and the unique keys keep one copy."""
    with transaction.atomic():
        PracticeSet.objects.bulk_create(
            [PracticeSet(student_id=student_id, for_date=for_date) for student_id in plans], ignore_conflicts=True
        )
        empty_sets = dict(
            PracticeSet.objects.filter(student_id__in=plans, for_date=for_date, items__isnull=True).values_list(
                "student_id", "id"
            )
        )
        PracticeItem.objects.bulk_create(
            [
                PracticeItem(practice_set_id=set_id, question_id=question_id, position=position)
                for student_id, set_id in empty_sets.items()
                for position, question_id in enumerate(plans[student_id])
            ],
            ignore_conflicts=True,
        )
        through = PracticeSet.objectives.through
        through.objects.bulk_create(
            [
                through(practiceset_id=set_id, learningobjective_id=objective_id)
                for student_id, set_id in empty_sets.items()
                for objective_id in sorted({objective_of[question_id] for question_id in plans[student_id]})
            ],
            ignore_conflicts=True,
        )
        users_changed(user_ids=empty_sets)
    return len(empty_sets)


def practice_sets_create(*, student_ids: Sequence[int], for_date: dt.date) -> RunSummary:
    """Make tonight's practice set for each of these students (one chunk of the fan-out).
    Students who already have tonight's set, or too few questions, are skipped; a student
    whose set fails is logged and counted, and the others go on."""
    summary = RunSummary(schedule="practice_sets")
    students = dict(
        User.objects.filter(pk__in=student_ids, role=Role.STUDENT, is_active=True).values_list("id", "school_id")
    )
    already = set(
        PracticeSet.objects.filter(student_id__in=students, for_date=for_date).values_list("student_id", flat=True)
    )
    weak: dict[int, set[int]] = defaultdict(set)
    for student_id, objective_id in Mastery.objects.filter(
        student_id__in=students, mastered_at__isnull=True
    ).values_list("student_id", "objective_id"):
        weak[student_id].add(objective_id)
    bank = _published_questions(
        {objective for objectives in weak.values() for objective in objectives},
        {school_id for school_id in students.values() if school_id is not None},
    )
    objective_of = {
        question_id: objective_id for (_, objective_id), questions in bank.items() for question_id in questions
    }
    missed, seen = _history(list(students), set(objective_of))
    plans: dict[int, list[int]] = {}
    for student_id in student_ids:
        if student_id not in students or student_id in already:
            summary.skipped += 1
            continue
        school_id = students[student_id]
        candidates = [
            question_id
            for objective_id in weak[student_id]
            for question_id in bank.get((school_id or 0, objective_id), [])
        ]
        picked = practice_pick(
            student_id=student_id,
            for_date=for_date,
            candidate_ids=candidates,
            missed_ids=missed[student_id],
            seen_ids=seen[student_id],
        )
        if picked:
            plans[student_id] = picked
        else:
            summary.skipped += 1
            summary.count("too_few_questions")
    if not plans:
        return summary
    try:
        created = _create_sets_in_bulk(plans=plans, for_date=for_date, objective_of=objective_of)
    except Exception:  # Fall back to one student at a time, so that one bad row fails alone.
        logger.warning("practice_sets_bulk_failed", for_date=for_date.isoformat(), students=len(plans), exc_info=True)
    else:
        summary.handled += created
        summary.skipped += len(plans) - created
        return summary
    for student_id, picked in plans.items():
        try:
            created_one = _create_set(
                student_id=student_id, for_date=for_date, question_ids=picked, objective_of=objective_of
            )
        except Exception:  # One student's failure must not stop the chunk.
            logger.exception("practice_set_failed", student_id=student_id, for_date=for_date.isoformat())
            summary.failed += 1
            continue
        if created_one:
            summary.handled += 1
        else:
            summary.skipped += 1
    return summary


def _bank_actor(school: School, lessons: list[Lesson]) -> User | None:
    """Who the drafts are asked for (and so whose review queue they reach): the author of
    the newest published lesson on the objective, else the school's first admin."""
    for lesson in lessons:
        if lesson.author.is_active and permissions.can_request_generation(lesson.author):
            return lesson.author
    admin = User.objects.filter(school=school, role=Role.ADMIN, is_active=True).order_by("id").first()
    return admin if admin is not None and permissions.can_request_generation(admin) else None


def _request_bank_items(*, school: School, objective: LearningObjective, for_date: dt.date) -> str:
    lessons = list(
        Lesson.objects.filter(school=school, status=ContentStatus.PUBLISHED, objectives=objective)
        .select_related("author")
        .order_by("-published_at", "-id")
    )
    if not lessons:
        return "no_source_lesson"
    actor = _bank_actor(school, lessons)
    if actor is None:
        return "no_reviewer"
    source_text = "\n\n".join(lesson.body_markdown for lesson in lessons)[:SOURCE_TEXT_MAX_LENGTH]
    with transaction.atomic():
        request, created = PracticeBankRequest.objects.get_or_create(
            school=school, objective=objective, for_date=for_date
        )
        if not created:
            return "already_requested"
        job = generation_job_create(
            actor=actor,
            kind=JobKind.PRACTICE_ITEMS,
            parameters={
                "subject": objective.subject,
                "grade": objective.grade_level,
                "topic": objective.description[:200],
                "objectives": [objective.description],
                "objective_ids": [objective.pk],
                "source_text": source_text,
                "question_count": BANK_QUESTIONS_PER_JOB,
            },
        )
        request.generation_job = job
        request.save(update_fields=["generation_job"])
    return ""


def practice_bank_requests_create(*, school: School, for_date: dt.date) -> RunSummary:
    """One generation job per objective of this school whose published bank holds fewer than
    PRACTICE_BANK_MIN_QUESTIONS questions while a student there still has it to master."""
    summary = RunSummary(schedule="practice_bank_requests")
    student_ids = practice_student_ids(school_ids=[school.pk]).get(school.pk, [])
    objective_ids = set(
        Mastery.objects.filter(student_id__in=student_ids, mastered_at__isnull=True).values_list(
            "objective_id", flat=True
        )
    )
    bank = _published_questions(objective_ids, {school.pk})
    minimum = settings.PRACTICE_BANK_MIN_QUESTIONS
    thin = [
        objective_id for objective_id in sorted(objective_ids) if len(bank.get((school.pk, objective_id), [])) < minimum
    ]
    for objective in LearningObjective.objects.filter(pk__in=thin).order_by("id"):
        try:
            skipped_because = _request_bank_items(school=school, objective=objective, for_date=for_date)
        except Exception:  # one objective's failure must not stop the others.
            logger.exception("practice_bank_request_failed", school_id=school.pk, objective_id=objective.pk)
            summary.failed += 1
            continue
        if skipped_because:
            summary.skipped += 1
            summary.count(skipped_because)
        else:
            summary.handled += 1
    return summary


def _grading_view(question: Question) -> dict[str, Any]:
    """The question in the snapshot shape that `toolbox.learning.grading` reads."""
    return {
        "id": question.pk,
        "kind": question.kind,
        "prompt": question.prompt,
        "points": str(question.points),
        "accepted_answers": [str(answer) for answer in question.accepted_answers or []],
        "numeric_answer": None if question.numeric_answer is None else str(question.numeric_answer),
        "numeric_tolerance": str(question.numeric_tolerance),
        "choices": [
            {"id": choice.pk, "is_correct": choice.is_correct, "position": choice.position, "feedback": choice.feedback}
            for choice in question.choices.all()
        ],
    }


def _practice_rewards_grant(*, student: User, item: PracticeItem, question: Question, needs_review: bool) -> None:
    """Practice counts like a quiz answer: it moves the objective's mastery (a typed answer
    that no accepted answer matched is left out, as a quiz answer awaiting review would be)
    and pays a little XP, once per item."""
    if not needs_review:
        mastery_record_answers(
            student=student,
            questions=[{"id": question.pk, "objective_id": question.objective_id}],
            answers=[Answer(question_key=question.pk, is_correct=item.is_correct, needs_review=False)],
        )
    xp_grant(
        student=student,
        source=f"practice:{item.pk}",
        amount=XP_PER_PRACTICE_ANSWER,
        description="Answered a practice question",
    )


def practice_item_answer(*, student: User, item: PracticeItem, response: dict[str, Any]) -> PracticeItem:
    """Grade one answer to a practice question, and count it toward mastery and XP. Each
    item is answered once; the set is complete when all its items are."""
    with transaction.atomic():
        locked = (
            PracticeItem.objects.select_for_update()
            .select_related("practice_set")
            .filter(pk=item.pk, practice_set__student_id=student.pk)
            .first()
        )
        if locked is None:
            raise NotFoundError("That practice question is not in your practice sets.")
        if locked.answered_at is not None:
            raise ConflictError("You have already answered this practice question; go on to the next one.")
        question = Question.objects.prefetch_related("choices").get(pk=locked.question_id)
        view = _grading_view(question)
        cleaned = grading.response_clean(view, response)
        result = grading.question_grade(view, cleaned)
        now = timezone.now()
        locked.response = cleaned
        locked.is_correct = result.is_correct
        locked.answered_at = now
        locked.save(update_fields=["response", "is_correct", "answered_at"])
        _practice_rewards_grant(student=student, item=locked, question=question, needs_review=result.needs_review)
        practice_set = locked.practice_set
        if not practice_set.items.filter(answered_at__isnull=True).exists():
            practice_set.completed_at = now
            practice_set.save(update_fields=["completed_at"])
    return locked
