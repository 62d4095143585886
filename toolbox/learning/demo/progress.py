"""What a term of work leaves on each student: mastery, XP, streaks, badges and notifications.

The history generator reports every graded answer, activity and award to a `Ledger`; the
ledger writes XP events and notifications in batches as they come, and mastery, stats and
badges once at the end, when each student's whole history is known.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from toolbox.learning.demo.bulk import BATCH_SIZE, insert
from toolbox.learning.models import Badge, Mastery, Notification, StudentBadge, StudentStats, XPEvent

# Exponentially weighted accuracy: each new answer moves the score 30% of the way to 0 or 1.
MASTERY_WEIGHT = 0.3
MASTERY_THRESHOLD = 0.85
MASTERY_MIN_ANSWERS = 5

BADGES: tuple[tuple[str, str, str, str], ...] = (
    ("first-quiz", "First quiz", "Submitted a first quiz.", "🎯"),
    ("perfect-score", "Perfect score", "Scored 100% on a quiz.", "💯"),
    ("streak-5", "Five-day streak", "Learned something five days in a row.", "🔥"),
    ("mastered-5", "Five objectives mastered", "Mastered five learning objectives.", "🏅"),
    ("bookworm", "Bookworm", "Finished five lessons.", "📚"),
)


def mastery_score(outcomes: list[bool]) -> float:
    """The weighted accuracy of answers in the order given (oldest first)."""
    score = 0.0
    for index, correct in enumerate(outcomes):
        value = 1.0 if correct else 0.0
        score = value if index == 0 else score + MASTERY_WEIGHT * (value - score)
    return score


@dataclass
class StudentTrack:
    answers: dict[int, list[tuple[dt.datetime, int, bool]]] = field(default_factory=lambda: defaultdict(list))
    active_days: set[dt.date] = field(default_factory=set)
    xp: int = 0
    first_graded: dt.datetime | None = None
    first_perfect: dt.datetime | None = None
    lessons_done: list[dt.datetime] = field(default_factory=list)


class Ledger:
    def __init__(self, *, time_zone: str, now: dt.datetime) -> None:
        self.tz = zoneinfo.ZoneInfo(time_zone)
        self.now = now
        self.students: dict[int, StudentTrack] = defaultdict(StudentTrack)
        self._xp: list[XPEvent] = []
        self._notifications: list[Notification] = []
        self.written: dict[str, int] = defaultdict(int)

    def answered(
        self, *, student_id: int, objective_id: int | None, question_id: int, at: dt.datetime, correct: bool
    ) -> None:
        """Answers count in time order, and answers given at once in question order."""
        track = self.students[student_id]
        if objective_id is not None:
            track.answers[objective_id].append((at, question_id, correct))

    def active(self, *, student_id: int, at: dt.datetime) -> None:
        self.students[student_id].active_days.add(at.astimezone(self.tz).date())

    def graded(self, *, student_id: int, at: dt.datetime, perfect: bool) -> None:
        track = self.students[student_id]
        if track.first_graded is None or at < track.first_graded:
            track.first_graded = at
        if perfect and (track.first_perfect is None or at < track.first_perfect):
            track.first_perfect = at

    def lesson_done(self, *, student_id: int, at: dt.datetime) -> None:
        self.students[student_id].lessons_done.append(at)

    def award_xp(self, *, student_id: int, source: str, amount: int, description: str, at: dt.datetime) -> None:
        self.students[student_id].xp += amount
        self._xp.append(
            XPEvent(student_id=student_id, source=source, amount=amount, description=description[:200], created_at=at)
        )
        if len(self._xp) >= BATCH_SIZE:
            self.flush()

    def notify(self, *, user_id: int, kind: str, message: str, link: str, dedupe_key: str, at: dt.datetime) -> None:
        # Anything older than two days has been seen, so the bell shows only what is new.
        read_at = at + dt.timedelta(hours=6) if at < self.now - dt.timedelta(days=2) else None
        self._notifications.append(
            Notification(
                user_id=user_id,
                kind=kind,
                message=message[:300],
                link=link,
                dedupe_key=dedupe_key[:120],
                created_at=at,
                read_at=read_at,
            )
        )
        if len(self._notifications) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        # Every source and dedupe key here names a row made in this run, so none can clash.
        insert(XPEvent, self._xp)
        insert(Notification, self._notifications)
        self.written["xp_events"] += len(self._xp)
        self.written["notifications"] += len(self._notifications)
        self._xp, self._notifications = [], []

    def finish(self, *, student_ids: list[int]) -> None:
        """Writes mastery, stats and badges for `student_ids` (students with no work get zero stats)."""
        badges = {code: self._badge(code, name, description, icon) for code, name, description, icon in BADGES}
        mastery_rows: list[Mastery] = []
        stats_rows: list[StudentStats] = []
        awards: list[StudentBadge] = []
        today = self.now.astimezone(self.tz).date()
        for student_id in student_ids:
            track = self.students.get(student_id) or StudentTrack()
            mastered_times: list[dt.datetime] = []
            for objective_id, history in track.answers.items():
                history.sort()
                outcomes = [correct for _, _, correct in history]
                mastered_at = _mastered_at(history)
                if mastered_at is not None:
                    mastered_times.append(mastered_at)
                mastery_rows.append(
                    Mastery(
                        student_id=student_id,
                        objective_id=objective_id,
                        score=round(mastery_score(outcomes), 4),
                        answers_counted=len(outcomes),
                        mastered_at=mastered_at,
                        updated_at=history[-1][0],
                    )
                )
            current, longest, fifth_day = _streaks(track.active_days, today)
            stats_rows.append(
                StudentStats(
                    student_id=student_id,
                    total_xp=track.xp,
                    current_streak=current,
                    longest_streak=longest,
                    last_active_on=max(track.active_days) if track.active_days else None,
                )
            )
            earned = {
                "first-quiz": track.first_graded,
                "perfect-score": track.first_perfect,
                "streak-5": fifth_day,
                "mastered-5": sorted(mastered_times)[4] if len(mastered_times) >= 5 else None,
                "bookworm": sorted(track.lessons_done)[4] if len(track.lessons_done) >= 5 else None,
            }
            for code, at in earned.items():
                if at is None:
                    continue
                awards.append(StudentBadge(student_id=student_id, badge=badges[code], awarded_at=at))
                self.notify(
                    user_id=student_id,
                    kind="badge_awarded",
                    message=f"You earned the “{badges[code].name}” badge: {badges[code].description}",
                    link="/student/",
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

    def _badge(self, code: str, name: str, description: str, icon: str) -> Badge:
        badge, _ = Badge.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "icon": icon}
        )
        return badge


def _mastered_at(history: list[tuple[dt.datetime, int, bool]]) -> dt.datetime | None:
    """When the student last became mastered and has stayed so since; None if not mastered now."""
    score = 0.0
    since: dt.datetime | None = None
    for index, (at, _, correct) in enumerate(history):
        value = 1.0 if correct else 0.0
        score = value if index == 0 else score + MASTERY_WEIGHT * (value - score)
        mastered = score >= MASTERY_THRESHOLD and index + 1 >= MASTERY_MIN_ANSWERS
        if mastered and since is None:
            since = at
        elif not mastered:
            since = None
    return since


def _streaks(days: set[dt.date], today: dt.date) -> tuple[int, int, dt.datetime | None]:
    """The current streak (alive if the last active day is today or yesterday), the longest,
    and noon of the day a first five-day streak was reached."""
    longest = run = 0
    previous: dt.date | None = None
    fifth: dt.datetime | None = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day - previous == dt.timedelta(days=1) else 1
        longest = max(longest, run)
        if run == 5 and fifth is None:
            fifth = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        previous = day
    current = run if previous is not None and (today - previous).days <= 1 else 0
    return current, longest, fifth
