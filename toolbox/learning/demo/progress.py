"""What a term of work leaves on each student: mastery, XP, streaks, badges and notifications.

The history generator reports every submitted attempt and completed lesson to a `Ledger`,
which applies the learning domain's own rules (toolbox.learning.services.gamification and
.progress) as the services would have applied them at each moment, in time order: the XP
of each source, the streak in the school's time zone, mastery folded attempt by attempt with
`mastery_next_score`, the XP for each objective mastered, and each badge once, when earned.
XP events and notifications are written in batches as they come; mastery, stats and badges
once at the end, when each student's whole history is known.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from toolbox.learning.demo.bulk import BATCH_SIZE, insert_rows
from toolbox.learning.models import Badge, Mastery, Notification, StudentBadge, StudentStats, XPEvent
from toolbox.learning.services.gamification import (
    BADGES,
    MASTERY_BADGE_OBJECTIVES,
    QUIZZES_BADGE_COUNT,
    STREAK_BADGE_DAYS,
    XP_PER_LESSON,
    XP_PER_OBJECTIVE_MASTERED,
    quiz_xp,
)
from toolbox.learning.services.progress import MASTERY_MIN_ANSWERS, MASTERY_THRESHOLD, mastery_next_score

XP_COLUMNS = ("student_id", "source", "amount", "description", "created_at")
NOTIFICATION_COLUMNS = ("user_id", "kind", "message", "link", "dedupe_key", "created_at", "read_at")

# One submitted attempt: when, the order it was reported in (ties), the decided answers as
# (objective id, correct) in question order, and whether every point was scored.
Submission = tuple[dt.datetime, int, tuple[tuple[int, bool], ...], bool]


@dataclass
class StudentTrack:
    submissions: list[Submission] = field(default_factory=list)
    lessons_done: list[dt.datetime] = field(default_factory=list)
    xp: int = 0
    # objective id -> [right, answered], for choosing practice on the weakest objectives.
    tally: dict[int, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))


@dataclass
class ObjectiveState:
    score: float = 0.0
    answers_counted: int = 0
    mastered_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


@dataclass
class Outcome:
    """What the services would have left on one student: the rows written at the end."""

    mastery: dict[int, ObjectiveState]
    current_streak: int
    longest_streak: int
    last_active_on: dt.date | None
    badges: dict[str, dt.datetime]
    mastery_xp: list[tuple[int, dt.datetime]]


class Ledger:
    def __init__(self, *, time_zone: str, now: dt.datetime) -> None:
        self.tz = zoneinfo.ZoneInfo(time_zone)
        self.now = now
        self.students: dict[int, StudentTrack] = defaultdict(StudentTrack)
        self._reported = 0
        self._xp: list[tuple[int, str, int, str, dt.datetime]] = []
        self._notifications: list[tuple[int, str, str, str, str, dt.datetime, dt.datetime | None]] = []
        self.written: dict[str, int] = defaultdict(int)

    def attempt_submitted(
        self,
        *,
        student_id: int,
        attempt_id: int,
        title: str,
        at: dt.datetime,
        final_percent: Decimal,
        outcomes: tuple[tuple[int, bool], ...],
        perfect: bool,
    ) -> None:
        """`outcomes`: the answers decided at submission (those awaiting review left out), as
        `mastery_record_answers` counts them."""
        track = self.students[student_id]
        self._reported += 1
        track.submissions.append((at, self._reported, outcomes, perfect))
        for objective_id, correct in outcomes:
            counts = track.tally[objective_id]
            counts[0] += correct
            counts[1] += 1
        self._award_xp(
            student_id=student_id,
            source=f"attempt:{attempt_id}",
            amount=quiz_xp(final_percent),
            description=f"Submitted “{title}”",
            at=at,
        )

    def lesson_completed(self, *, student_id: int, lesson_id: int, title: str, at: dt.datetime) -> None:
        self.students[student_id].lessons_done.append(at)
        self._award_xp(
            student_id=student_id,
            source=f"lesson:{lesson_id}",
            amount=XP_PER_LESSON,
            description=f"Completed “{title}”",
            at=at,
        )

    def accuracy(self, student_id: int, objective_id: int) -> float | None:
        track = self.students.get(student_id)
        counts = track.tally.get(objective_id) if track else None
        return counts[0] / counts[1] if counts and counts[1] else None

    def _award_xp(self, *, student_id: int, source: str, amount: int, description: str, at: dt.datetime) -> None:
        self.students[student_id].xp += amount
        self._xp.append((student_id, source, amount, description[:200], at))
        if len(self._xp) >= BATCH_SIZE:
            self.flush()

    def notify(
        self, *, user_id: int, kind: str, message: str, dedupe_key: str, at: dt.datetime, link: str = ""
    ) -> None:
        # Anything older than two days has been seen, so the bell shows only what is new.
        read_at = at + dt.timedelta(hours=6) if at < self.now - dt.timedelta(days=2) else None
        self._notifications.append((user_id, kind, message[:300], link, dedupe_key[:120], at, read_at))
        if len(self._notifications) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        # Every source and dedupe key here names a row made in this run, so none can clash.
        insert_rows(XPEvent, XP_COLUMNS, self._xp)
        insert_rows(Notification, NOTIFICATION_COLUMNS, self._notifications)
        self.written["xp_events"] += len(self._xp)
        self.written["notifications"] += len(self._notifications)
        self._xp, self._notifications = [], []

    def finish(self, *, student_ids: list[int]) -> None:
        """Writes mastery, stats and badges for `student_ids` (students with no work get zero stats)."""
        badges = {code: Badge.objects.get_or_create(code=code, defaults=fields)[0] for code, fields in BADGES.items()}
        mastery_rows: list[Mastery] = []
        stats_rows: list[StudentStats] = []
        awards: list[StudentBadge] = []
        for student_id in student_ids:
            track = self.students.get(student_id) or StudentTrack()
            outcome = replay(track, self.tz)
            for objective_id, at in outcome.mastery_xp:
                self._award_xp(
                    student_id=student_id,
                    source=f"mastery:{objective_id}",
                    amount=XP_PER_OBJECTIVE_MASTERED,
                    description="Mastered a learning objective",
                    at=at,
                )
            mastery_rows += [
                Mastery(
                    student_id=student_id,
                    objective_id=objective_id,
                    score=state.score,
                    answers_counted=state.answers_counted,
                    mastered_at=state.mastered_at,
                    updated_at=state.updated_at,
                )
                for objective_id, state in outcome.mastery.items()
            ]
            stats_rows.append(
                StudentStats(
                    student_id=student_id,
                    total_xp=self.students[student_id].xp if student_id in self.students else 0,
                    current_streak=outcome.current_streak,
                    longest_streak=outcome.longest_streak,
                    last_active_on=outcome.last_active_on,
                )
            )
            for code, at in outcome.badges.items():
                badge = badges[code]
                awards.append(StudentBadge(student_id=student_id, badge=badge, awarded_at=at))
                self.notify(
                    user_id=student_id,
                    kind="badge",
                    message=f"{badge.icon} You earned the “{badge.name}” badge: {badge.description}",
                    dedupe_key=f"badge:{code}",
                    at=at,
                )
        Mastery.objects.bulk_create(mastery_rows, batch_size=BATCH_SIZE, ignore_conflicts=True)
        StudentStats.objects.bulk_create(stats_rows, batch_size=BATCH_SIZE, ignore_conflicts=True)
        StudentBadge.objects.bulk_create(awards, batch_size=BATCH_SIZE, ignore_conflicts=True)
        self.flush()
        self.written["mastery"] += len(mastery_rows)
        self.written["student_stats"] += len(stats_rows)
        self.written["badges_awarded"] += len(awards)


def replay(track: StudentTrack, tz: zoneinfo.ZoneInfo) -> Outcome:
    """Runs a student's submissions and completed lessons through the services' rules in time
    order: `mastery_record_answers` per attempt, `streak_record_activity` per activity, and
    the badge checks of `attempt_rewards_grant` and `lesson_rewards_grant`."""
    timeline: list[tuple[dt.datetime, int, Submission | None]] = [
        (submission[0], submission[1], submission) for submission in track.submissions
    ]
    timeline += [(at, 0, None) for at in track.lessons_done]
    timeline.sort(key=lambda event: (event[0], event[1]))
    mastery: dict[int, ObjectiveState] = {}
    badges: dict[str, dt.datetime] = {}
    mastery_xp: list[tuple[int, dt.datetime]] = []
    current = longest = submitted = 0
    last: dt.date | None = None
    for at, _, submission in timeline:
        day = at.astimezone(tz).date()
        if last is None or day > last:
            current = current + 1 if last == day - dt.timedelta(days=1) else 1
            longest = max(longest, current)
            last = day
        if submission is None:
            badges.setdefault("first_lesson", at)
        else:
            _, _, outcomes, perfect = submission
            mastery_xp += _fold_mastery(mastery, outcomes, at)
            submitted += 1
            badges.setdefault("first_quiz", at)
            if perfect:
                badges.setdefault("perfect_score", at)
            if submitted >= QUIZZES_BADGE_COUNT:
                badges.setdefault("quizzes_10", at)
            if len(mastery_xp) >= MASTERY_BADGE_OBJECTIVES:
                badges.setdefault("mastered_5", mastery_xp[MASTERY_BADGE_OBJECTIVES - 1][1])
        if current >= STREAK_BADGE_DAYS:
            badges.setdefault("streak_5", at)
    return Outcome(
        mastery=mastery,
        current_streak=current,
        longest_streak=longest,
        last_active_on=last,
        badges=badges,
        mastery_xp=mastery_xp,
    )


def _fold_mastery(
    mastery: dict[int, ObjectiveState], outcomes: tuple[tuple[int, bool], ...], at: dt.datetime
) -> list[tuple[int, dt.datetime]]:
    """One attempt's answers into mastery; the objectives newly mastered by it."""
    by_objective: dict[int, list[bool]] = defaultdict(list)
    for objective_id, correct in outcomes:
        by_objective[objective_id].append(correct)
    newly: list[tuple[int, dt.datetime]] = []
    for objective_id in sorted(by_objective):
        state = mastery.setdefault(objective_id, ObjectiveState())
        for correct in by_objective[objective_id]:
            state.score = mastery_next_score(
                previous_score=state.score, answers_counted=state.answers_counted, correct=correct
            )
            state.answers_counted += 1
        state.updated_at = at
        if (
            state.mastered_at is None
            and state.answers_counted >= MASTERY_MIN_ANSWERS
            and state.score >= MASTERY_THRESHOLD
        ):
            state.mastered_at = at
            newly.append((objective_id, at))
    return newly
