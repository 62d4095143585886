"""Nightly practice sets the students already had: items from the practice banks, aimed at each
student's weakest objectives, mostly answered and marked by `question_grade`. The demo logins
practise every evening. Practice earns no XP, streak or mastery in the app, so none here."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from toolbox.learning.demo.bulk import BATCH_SIZE
from toolbox.learning.demo.content import Catalog
from toolbox.learning.demo.progress import Ledger
from toolbox.learning.demo.snapshots import QuestionPlan
from toolbox.learning.models import PracticeItem, PracticeSet

NIGHTS = 8
ITEMS_PER_OBJECTIVE = 2
OBJECTIVES_PER_SET = 2


@dataclass(frozen=True)
class Practiser:
    student_id: int
    subjects: tuple[str, ...]
    ability: float
    every_night: bool


def seed_practice(*, practisers: list[Practiser], catalog: Catalog, ledger: Ledger, seed: int) -> tuple[int, int]:
    """Returns how many sets and items were written. Tonight's set is left unanswered."""
    rng = random.Random(f"{seed}:practice")
    plans: dict[int, QuestionPlan] = {
        plan.key: plan for content in catalog.subjects.values() for plan in catalog.plans[content.practice_bank.pk]
    }
    today = ledger.now.astimezone(ledger.tz).date()
    sets: list[PracticeSet] = []
    picks: list[tuple[PracticeSet, Practiser, list[int], list[int], bool]] = []
    for practiser in practisers:
        for night in range(NIGHTS - 1, -1, -1):
            if not practiser.every_night and rng.random() < 0.6:
                continue
            day = today - dt.timedelta(days=night)
            subject = practiser.subjects[night % len(practiser.subjects)]
            bank = catalog.subjects[subject].practice_by_objective
            objective_ids = _weakest(ledger, practiser.student_id, list(bank))[:OBJECTIVES_PER_SET]
            question_ids = [qid for oid in objective_ids for qid in bank[oid][:ITEMS_PER_OBJECTIVE]]
            created = dt.datetime.combine(day, dt.time(4), tzinfo=ledger.tz)
            answered = night > 0 and (practiser.every_night or rng.random() < 0.7)
            practice_set = PracticeSet(
                student_id=practiser.student_id,
                for_date=day,
                created_at=created,
                completed_at=created + dt.timedelta(hours=15, minutes=rng.randint(0, 90)) if answered else None,
            )
            sets.append(practice_set)
            picks.append((practice_set, practiser, objective_ids, question_ids, answered))
    PracticeSet.objects.bulk_create(sets, batch_size=BATCH_SIZE)
    through = PracticeSet.objectives.through
    links = []
    items: list[PracticeItem] = []
    for practice_set, practiser, objective_ids, question_ids, answered in picks:
        links += [through(practiceset_id=practice_set.pk, learningobjective_id=oid) for oid in objective_ids]
        at = practice_set.completed_at
        for position, question_id in enumerate(question_ids):
            plan = plans[question_id]
            option = None
            if answered:
                option = plan.correct if rng.random() < practiser.ability else rng.choice(plan.wrong)
            items.append(
                PracticeItem(
                    practice_set=practice_set,
                    question_id=question_id,
                    position=position,
                    response=None if option is None else option.response,
                    is_correct=None if option is None else option.grade.is_correct,
                    answered_at=at if answered else None,
                )
            )
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    PracticeItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
    return len(sets), len(items)


def _weakest(ledger: Ledger, student_id: int, objective_ids: list[int]) -> list[int]:
    def accuracy(objective_id: int) -> tuple[float, int]:
        known = ledger.accuracy(student_id, objective_id)
        return (0.5 if known is None else known, objective_id)

    return sorted(objective_ids, key=accuracy)
