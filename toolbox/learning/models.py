"""Assignments, attempts and answers, progress, mastery, XP, streaks, badges, practice sets."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from toolbox.classroom.models import Classroom
from toolbox.content.models import LearningObjective, Lesson, Question, Quiz
from toolbox.learning.levels import level_for_xp, xp_for_level


class ScorePolicy(models.TextChoices):
    BEST = "best", "Best attempt"
    LAST = "last", "Last attempt"


class Assignment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    classroom_id: int
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments")
    lesson_id: int | None
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments")
    quiz_id: int | None
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_by_id: int
    available_from = models.DateTimeField()
    due_at = models.DateTimeField()
    close_at = models.DateTimeField(null=True, blank=True)
    accept_late = models.BooleanField(default=True)
    late_penalty_percent_per_day = models.DecimalField(
        max_digits=5, decimal_places=2, default=10, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    max_late_penalty_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=50, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    # Which attempt counts in the gradebook when a quiz allows several.
    score_policy = models.CharField(max_length=4, choices=ScorePolicy.choices, default=ScorePolicy.BEST)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["classroom", "due_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(lesson__isnull=False, quiz__isnull=True) | Q(lesson__isnull=True, quiz__isnull=False)),
                name="assignment_lesson_xor_quiz",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("available_from")), name="assignment_due_after_open"
            ),
            models.CheckConstraint(
                condition=Q(close_at__isnull=True) | Q(close_at__gte=models.F("due_at")),
                name="assignment_close_after_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.classroom})"

    @property
    def title(self) -> str:
        work = self.quiz if self.quiz_id else self.lesson
        return work.title if work else "Assignment"

    @property
    def kind(self) -> str:
        return "quiz" if self.quiz_id else "lesson"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    GRADED = "graded", "Graded"


class Attempt(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="attempts")
    assignment_id: int
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    student_id: int
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # What the student was given: the questions and choices as they were when the attempt
    # started, so that editing the quiz later never changes what this attempt recorded.
    snapshot = models.JSONField(default=dict)
    raw_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    late_penalty_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    final_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    # Percent of max_score after the penalty: what gradebooks show and average.
    final_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    submitted_by_server = models.BooleanField(default=False)
    idempotency_key = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["assignment", "student", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "student", "number"], name="unique_attempt_number"),
            models.UniqueConstraint(
                fields=["assignment", "student"],
                condition=Q(status="in_progress"),
                name="one_attempt_in_progress",
            ),
        ]
        indexes = [models.Index(fields=["student", "status"]), models.Index(fields=["assignment", "status"])]

    def __str__(self) -> str:
        return f"Attempt {self.number} by {self.student} on {self.assignment}"


class GradedBy(models.TextChoices):
    AUTO = "auto", "Automatic"
    EDUCATOR = "educator", "Educator"
    AI_SUGGESTED = "ai_suggested", "AI suggestion, confirmed"


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    attempt_id: int
    # The question's id at the time of the attempt; the row may since have been edited or deleted.
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, related_name="answers")
    question_id: int | None
    question_key = models.PositiveBigIntegerField(help_text="The question's id in the attempt's snapshot.")
    response = models.JSONField(null=True, blank=True)
    is_correct = models.BooleanField(null=True)
    points_awarded = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    feedback = models.TextField(blank=True)
    graded_by = models.CharField(max_length=14, choices=GradedBy.choices, default=GradedBy.AUTO)
    needs_review = models.BooleanField(default=False)
    # An AI answer-feedback job's suggestion for a short answer that matched nothing; the
    # educator confirms or changes it, and only then does it count.
    ai_suggested_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    ai_suggested_feedback = models.TextField(blank=True)
    ai_suggestion_confidence = models.FloatField(null=True, blank=True)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["attempt", "id"]
        constraints = [models.UniqueConstraint(fields=["attempt", "question_key"], name="unique_answer_per_question")]
        indexes = [
            models.Index(fields=["question", "is_correct"]),
            # Educators' homes count the answers waiting for them; few rows match, so a
            # partial index keeps that count cheap however many answers there are.
            models.Index(fields=["attempt"], condition=Q(needs_review=True), name="answer_awaiting_review"),
        ]

    def __str__(self) -> str:
        return f"Answer to question {self.question_key} in attempt {self.attempt_id}"


class GradeOverride(models.Model):
    """The audit row of one change of score by an educator: who, when, old, new and why."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="overrides")
    attempt_id: int
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="overrides")
    answer_id: int | None
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_by_id: int
    changed_at = models.DateTimeField(auto_now_add=True)
    old_score = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    new_score = models.DecimalField(max_digits=7, decimal_places=2)
    reason = models.TextField()

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"Override of attempt {self.attempt_id}: {self.old_score} → {self.new_score}"


class LessonProgress(models.Model):
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    student_id: int
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    lesson_id: int
    percent = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    time_spent_seconds = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "lesson"], name="unique_lesson_progress")]
        verbose_name_plural = "lesson progress"

    def __str__(self) -> str:
        return f"{self.student} on {self.lesson}: {self.percent}%"


class Mastery(models.Model):
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mastery")
    student_id: int
    objective = models.ForeignKey(LearningObjective, on_delete=models.CASCADE, related_name="mastery")
    objective_id: int
    score = models.FloatField(default=0.0, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    answers_counted = models.PositiveIntegerField(default=0)
    mastered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "objective"], name="unique_mastery")]
        verbose_name_plural = "mastery"

    def __str__(self) -> str:
        return f"{self.student} on {self.objective_id}: {self.score:.2f}"

    @property
    def is_mastered(self) -> bool:
        return self.mastered_at is not None


class XPEvent(models.Model):
    """One XP award. `source` names what earned it; each source pays out once."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="xp_events")
    student_id: int
    source = models.CharField(max_length=120)
    amount = models.PositiveIntegerField()
    description = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "source"], name="unique_xp_source")]
        ordering = ["-created_at"]
        verbose_name = "XP event"

    def __str__(self) -> str:
        return f"+{self.amount} XP for {self.student}: {self.description}"


class StudentStats(models.Model):
    """Running totals kept beside the ledgers so that home pages read one row."""

    student = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stats")
    student_id: int
    total_xp = models.PositiveIntegerField(default=0)
    current_streak = models.PositiveIntegerField(default=0)
    longest_streak = models.PositiveIntegerField(default=0)
    last_active_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "student stats"

    def __str__(self) -> str:
        return f"Stats of {self.student}"

    @property
    def level(self) -> int:
        return level_for_xp(self.total_xp)

    @property
    def xp_to_next_level(self) -> int:
        return xp_for_level(self.level + 1) - self.total_xp


class Badge(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=200)
    icon = models.CharField(max_length=8, default="★")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StudentBadge(models.Model):
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges")
    student_id: int
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    badge_id: int
    awarded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "badge"], name="unique_student_badge")]
        ordering = ["-awarded_at"]

    def __str__(self) -> str:
        return f"{self.badge} for {self.student}"


class PracticeSet(models.Model):
    """Questions picked for one student on one night, from published questions only."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_sets")
    student_id: int
    for_date = models.DateField()
    objectives = models.ManyToManyField(LearningObjective, blank=True, related_name="+")
    questions = models.ManyToManyField(Question, through="PracticeItem", related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "for_date"], name="unique_practice_set_per_night")]
        ordering = ["-for_date"]

    def __str__(self) -> str:
        return f"Practice for {self.student} on {self.for_date}"


class PracticeItem(models.Model):
    practice_set = models.ForeignKey(PracticeSet, on_delete=models.CASCADE, related_name="items")
    practice_set_id: int
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    question_id: int
    position = models.PositiveSmallIntegerField()
    response = models.JSONField(null=True, blank=True)
    is_correct = models.BooleanField(null=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["practice_set", "position"]
        constraints = [models.UniqueConstraint(fields=["practice_set", "question"], name="unique_practice_item")]

    def __str__(self) -> str:
        return f"Item {self.position} of practice set {self.practice_set_id}"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    user_id: int
    kind = models.CharField(max_length=40)
    message = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    # What makes the notice unique for its period (e.g. "due:<assignment>:<date>"), so that
    # a scheduled task that runs twice notifies once.
    dedupe_key = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "dedupe_key"], name="unique_notification")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message


# The scheduled jobs' own records live in their module; importing them here registers them.
from toolbox.learning.schedule_models import DigestLog, PracticeBankRequest  # noqa: E402, F401
