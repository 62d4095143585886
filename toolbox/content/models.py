"""Learning objectives, lessons, quizzes and their questions, and the review workflow state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from toolbox.accounts.models import School
from toolbox.classroom.models import GradeLevel

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class LearningObjective(models.Model):
    code = models.CharField(max_length=40, unique=True)
    description = models.CharField(max_length=300)
    subject = models.CharField(max_length=80)
    grade_level = models.CharField(max_length=2, choices=GradeLevel.choices)

    class Meta:
        ordering = ["subject", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.description}"


class ContentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class ContentSource(models.TextChoices):
    MANUAL = "manual", "Written by hand"
    AI = "ai", "AI draft"


class Difficulty(models.TextChoices):
    INTRODUCTORY = "introductory", "Introductory"
    STANDARD = "standard", "Standard"
    CHALLENGING = "challenging", "Challenging"


class ReviewedContent(models.Model):
    """What lessons and quizzes share: ownership, the review workflow and provenance."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    school_id: int
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_id: int
    title = models.CharField(max_length=200)
    subject = models.CharField(max_length=80)
    grade_level = models.CharField(max_length=2, choices=GradeLevel.choices)
    status = models.CharField(max_length=12, choices=ContentStatus.choices, default=ContentStatus.DRAFT)
    source = models.CharField(max_length=8, choices=ContentSource.choices, default=ContentSource.MANUAL)
    # Provenance of an AI draft: which job, model and prompt version produced it.
    generation_job = models.ForeignKey(
        "ai.GenerationJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    generation_job_id: int | None
    ai_provider = models.CharField(max_length=40, blank=True)
    ai_model = models.CharField(max_length=120, blank=True)
    prompt_version = models.CharField(max_length=40, blank=True)
    provenance = models.JSONField(default=dict, blank=True)
    review_notes = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by_id: int | None
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ContentStatus.PUBLISHED


class Lesson(ReviewedContent):
    objectives = models.ManyToManyField(LearningObjective, blank=True, related_name="lessons")
    body_markdown = models.TextField()
    # Rendered and sanitised once on save, so that reading a lesson never re-renders it.
    body_html = models.TextField(editable=False, default="")
    estimated_minutes = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    difficulty = models.CharField(max_length=16, choices=Difficulty.choices, default=Difficulty.STANDARD)

    class Meta(ReviewedContent.Meta):
        ordering = ["title"]
        indexes = [models.Index(fields=["school", "status"]), models.Index(fields=["school", "subject"])]


class AnswerVisibility(models.TextChoices):
    IMMEDIATELY = "immediately", "Right after submitting"
    AFTER_DUE = "after_due", "After the due date"
    NEVER = "never", "Never"


class Quiz(ReviewedContent):
    lesson = models.ForeignKey(Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="quizzes")
    lesson_id: int | None
    objectives = models.ManyToManyField(LearningObjective, blank=True, related_name="quizzes")
    description = models.TextField(blank=True)
    time_limit_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    pass_mark_percent = models.PositiveSmallIntegerField(default=70, validators=[MaxValueValidator(100)])
    max_attempts = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1)])
    shuffle_questions = models.BooleanField(default=False)
    answer_visibility = models.CharField(
        max_length=12, choices=AnswerVisibility.choices, default=AnswerVisibility.IMMEDIATELY
    )
    # A quiz made of practice items for one objective (the nightly practice sets draw on these).
    is_practice_bank = models.BooleanField(default=False)

    if TYPE_CHECKING:
        questions: RelatedManager[Question]

    class Meta(ReviewedContent.Meta):
        ordering = ["title"]
        verbose_name_plural = "quizzes"
        indexes = [models.Index(fields=["school", "status"]), models.Index(fields=["school", "subject"])]


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice (select all that apply)"
    TRUE_FALSE = "true_false", "True or false"
    SHORT_ANSWER = "short_answer", "Short answer"
    NUMERIC = "numeric", "Numeric"
    ORDERING = "ordering", "Ordering"


CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.TRUE_FALSE})


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    quiz_id: int
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    position = models.PositiveIntegerField(default=0)
    prompt = models.TextField()
    explanation = models.TextField(blank=True)
    hint = models.TextField(blank=True)
    points = models.DecimalField(
        max_digits=6, decimal_places=2, default=1, validators=[MinValueValidator(0), MaxValueValidator(1000)]
    )
    objective = models.ForeignKey(
        LearningObjective, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    objective_id: int | None
    # short answer: the accepted answers; numeric: value and tolerance. Choices (and the
    # ordering's items, in their right order) live in Choice rows.
    accepted_answers = models.JSONField(default=list, blank=True)
    numeric_answer = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    numeric_tolerance = models.DecimalField(max_digits=18, decimal_places=6, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    if TYPE_CHECKING:
        choices: RelatedManager[Choice]

    class Meta:
        ordering = ["quiz", "position", "id"]
        indexes = [models.Index(fields=["objective"])]

    def __str__(self) -> str:
        return self.prompt[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    question_id: int
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    # For ordering questions: the item's place in the right order (0-based).
    position = models.PositiveIntegerField(default=0)
    feedback = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["question", "position", "id"]

    def __str__(self) -> str:
        return self.text
