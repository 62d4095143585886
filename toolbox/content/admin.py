"""The admin role's console for content. Every write goes through the content services, so
the admin obeys the same rules as everyone else: Markdown is rendered and sanitised, the
question kinds are validated, published content is frozen, and AI drafts are published
only by an approval. Domain errors are shown as messages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.forms import BaseInlineFormSet, IntegerField, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.safestring import SafeString, mark_safe

from toolbox.accounts import permissions
from toolbox.accounts.admin_scoping import SharedRowsAdmin
from toolbox.accounts.models import User
from toolbox.content import services
from toolbox.content.models import Choice, LearningObjective, Lesson, Question, Quiz
from toolbox.content.services._common import EDITABLE_STATUSES
from toolbox.content.services.lessons import LESSON_EDITABLE_FIELDS
from toolbox.content.services.quizzes import QUIZ_EDITABLE_FIELDS
from toolbox.errors import DomainError

_PROVENANCE_FIELDS = (
    "status",
    "source",
    "school",
    "author",
    "generation_job",
    "ai_provider",
    "ai_model",
    "prompt_version",
    "provenance",
    "review_notes",
    "reviewed_by",
    "reviewed_at",
    "published_at",
    "created_at",
    "updated_at",
)

Step = Callable[..., object]


def _adopt(target: Any, created: Any) -> None:
    """Make the admin's unsaved object the row a service created, so that the admin's
    messages, log entry and redirect point at it."""
    for field in created._meta.concrete_fields:
        setattr(target, field.attname, getattr(created, field.attname))
    target._state.adding = False
    target._state.db = created._state.db


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _run_step(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any], step: Step, done: str
) -> None:
    succeeded = 0
    for content in queryset:
        try:
            step(actor=_actor(request), content=content)
        except DomainError as error:
            modeladmin.message_user(request, f"“{content}”: {error.message}", messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, f"{done} {succeeded} item(s).", messages.SUCCESS)


class ServiceBackedAdmin(admin.ModelAdmin):
    """A domain error raised while saving becomes a message and nothing is written."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReviewedContentAdmin(ServiceBackedAdmin):
    """What lesson and quiz admins share: school scoping, frozen published work, provenance
    read-only, writes through the services."""

    list_filter = ["status", "source", "subject", "grade_level"]
    search_fields = ["title", "subject"]
    autocomplete_fields = ["objectives"]
    list_select_related = ["author", "school"]
    date_hierarchy = "created_at"
    editable_fields: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return permissions.content_library_queryset(request.user, super().get_queryset(request))  # pyright: ignore[reportArgumentType]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return (*self.editable_fields, *(self.get_readonly_fields(request, obj) if obj is not None else ()))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return _PROVENANCE_FIELDS if obj is not None else ()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Published and archived work is frozen: the admin shows it read-only.
        return super().has_change_permission(request, obj) and (obj is None or obj.status in EDITABLE_STATUSES)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Content is retired by archiving, which keeps assignments and attempts intact.
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Objectives are written by the services in `save_model`."""

    @admin.action(description="Approve and publish the selected items")
    def approve(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        _run_step(self, request, queryset, services.content_approve, "Approved and published")

    @admin.action(description="Publish the selected hand-written items (AI drafts need approval)")
    def publish(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        _run_step(self, request, queryset, services.content_publish, "Published")

    @admin.action(description="Archive the selected published items")
    def archive(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        _run_step(self, request, queryset, services.content_archive, "Archived")

    def _form_values(self, form: ModelForm, names: Sequence[str]) -> dict[str, Any]:
        return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


@admin.register(LearningObjective)
class LearningObjectiveAdmin(SharedRowsAdmin, admin.ModelAdmin):
    list_display = ["code", "description", "subject", "grade_level"]
    list_filter = ["subject", "grade_level"]
    search_fields = ["code", "description", "subject"]


@admin.register(Lesson)
class LessonAdmin(ReviewedContentAdmin):
    list_display = ["title", "subject", "grade_level", "status", "source", "author", "updated_at"]
    search_fields = ["title", "subject", "body_markdown"]
    actions = ["approve", "archive"]
    editable_fields = LESSON_EDITABLE_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return (*super().get_readonly_fields(request, obj), "rendered_body") if obj is not None else ()

    @admin.display(description="Body as students see it")
    def rendered_body(self, obj: Lesson) -> SafeString:
        # body_html is only ever written by markdown_render, which sanitises it.
        return mark_safe(obj.body_html)

    def save_model(self, request: HttpRequest, obj: Lesson, form: ModelForm, change: bool) -> None:
        if change:
            changed = [name for name in form.changed_data if name in self.editable_fields]
            services.lesson_update(actor=_actor(request), lesson=obj, **self._form_values(form, changed))
        else:
            created = services.lesson_create(author=_actor(request), **self._form_values(form, self.editable_fields))
            _adopt(obj, created)


class QuestionInline(admin.TabularInline):
    """The quiz's questions, in order, read-only here: each opens in the question admin,
    where its choices are edited and its kind's rules checked."""

    model = Question
    fields = ("position", "kind", "prompt", "points", "objective")
    readonly_fields = ("position", "kind", "prompt", "points", "objective")
    ordering = ["position", "id"]
    show_change_link = True
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Quiz)
class QuizAdmin(ReviewedContentAdmin):
    list_display = ["title", "subject", "grade_level", "status", "source", "question_count", "author", "updated_at"]
    list_filter = ["status", "source", "subject", "grade_level", "is_practice_bank"]
    search_fields = ["title", "subject", "description"]
    autocomplete_fields = ["objectives", "lesson"]
    inlines = [QuestionInline]
    actions = ["approve", "publish", "archive"]
    editable_fields = QUIZ_EDITABLE_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description="Questions", ordering="question_total")
    def question_count(self, obj: Any) -> int:
        return obj.question_total

    def save_model(self, request: HttpRequest, obj: Quiz, form: ModelForm, change: bool) -> None:
        if change:
            changed = [name for name in form.changed_data if name in self.editable_fields]
            services.quiz_update(actor=_actor(request), quiz=obj, **self._form_values(form, changed))
        else:
            created = services.quiz_create(author=_actor(request), **self._form_values(form, self.editable_fields))
            _adopt(obj, created)


class ChoiceInlineForm(ModelForm):
    # Left empty, a row keeps its place in the list; the service numbers choices 0, 1, 2…
    position = IntegerField(required=False, min_value=0)

    class Meta:
        model = Choice
        fields = ["position", "text", "is_correct", "feedback"]


class ChoiceInline(admin.TabularInline):
    model = Choice
    form = ChoiceInlineForm
    fields = ["position", "text", "is_correct", "feedback"]
    ordering = ["position", "id"]
    extra = 2


_QUESTION_FIELDS = (
    "kind",
    "prompt",
    "points",
    "explanation",
    "hint",
    "objective",
    "accepted_answers",
    "numeric_answer",
    "numeric_tolerance",
)
_ITEM_KINDS = frozenset({"single_choice", "multiple_choice", "true_false", "ordering"})


def _choices_from(formset: BaseInlineFormSet) -> list[dict[str, Any]]:
    """The choice rows as the services take them, in the order of their position column."""
    rows: list[tuple[int, int, dict[str, Any]]] = []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or (form.instance.pk is None and not form.has_changed()):
            continue
        choice = {
            "text": data.get("text") or "",
            "is_correct": bool(data.get("is_correct")),
            "feedback": data.get("feedback") or "",
        }
        position = data.get("position")
        rows.append((index if position is None else position, index, choice))
    return [choice for _, _, choice in sorted(rows, key=lambda row: (row[0], row[1]))]


@admin.register(Question)
class QuestionAdmin(ServiceBackedAdmin):
    list_display = ["prompt_start", "quiz", "kind", "position", "points", "objective"]
    list_filter = ["kind", "quiz__status", "quiz__subject"]
    search_fields = ["prompt", "quiz__title"]
    list_select_related = ["quiz", "objective"]
    autocomplete_fields = ["quiz", "objective"]
    inlines = [ChoiceInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        quizzes = permissions.content_library_queryset(request.user, Quiz.objects.all())  # pyright: ignore[reportArgumentType]
        return super().get_queryset(request).filter(quiz__in=quizzes)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("quiz", *_QUESTION_FIELDS, "position") if obj is not None else ("quiz", *_QUESTION_FIELDS)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The quiz is fixed once the question exists; order is changed with questions_reorder.
        return ["quiz", "position"] if obj is not None else []

    @admin.display(description="Prompt")
    def prompt_start(self, obj: Question) -> str:
        return obj.prompt[:80]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or obj.quiz.status in EDITABLE_STATUSES)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or obj.quiz.status in EDITABLE_STATUSES)

    def save_model(self, request: HttpRequest, obj: Question, form: ModelForm, change: bool) -> None:
        """Written in `save_related`, where the choice rows are known: the services take a
        question and its choices together so that the kind's rules hold for both."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        choice_formset = formsets[0]
        choices = _choices_from(choice_formset)
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        kind = form.cleaned_data["kind"]
        if change:
            changed = [name for name in form.changed_data if name in _QUESTION_FIELDS]
            values = {name: form.cleaned_data[name] for name in changed}
            if kind in _ITEM_KINDS or choices:
                values["choices"] = choices
            services.question_update(actor=_actor(request), question=form.instance, **values)
            return
        values = {name: form.cleaned_data[name] for name in _QUESTION_FIELDS if name in form.cleaned_data}
        if values.get("accepted_answers") is None:
            values["accepted_answers"] = []
        if values.get("numeric_tolerance") is None:
            values.pop("numeric_tolerance", None)
        created = services.question_create(
            actor=_actor(request),
            quiz=form.cleaned_data["quiz"],
            choices=choices if (kind in _ITEM_KINDS or choices) else None,
            **values,
        )
        _adopt(form.instance, created)

    def delete_model(self, request: HttpRequest, obj: Question) -> None:
        services.question_delete(actor=_actor(request), question=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        for question in queryset.select_related("quiz"):
            try:
                services.question_delete(actor=_actor(request), question=question)
            except DomainError as error:
                self.message_user(request, f"“{question}”: {error.message}", messages.ERROR)


@admin.register(Choice)
class ChoiceAdmin(admin.ModelAdmin):
    """For looking choices up; they are edited with their question, whose rules they obey."""

    list_display = ["text", "question", "is_correct", "position"]
    list_filter = ["is_correct", "question__kind"]
    search_fields = ["text", "question__prompt"]
    list_select_related = ["question"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Choice]:
        quizzes = permissions.content_library_queryset(request.user, Quiz.objects.all())  # pyright: ignore[reportArgumentType]
        return super().get_queryset(request).filter(question__quiz__in=quizzes)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
