"""Forms of the educator's class pages: they parse what was typed; services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from toolbox.accounts.models import Role, User
from toolbox.classroom.models import Classroom, GradeLevel
from toolbox.content.models import ContentStatus, Lesson, Quiz
from toolbox.learning.models import ScorePolicy

ROSTER_MAX_BYTES = 2 * 1024 * 1024


class ClassroomForm(forms.Form):
    name = forms.CharField(label="Class name", max_length=120, help_text="What students see, e.g. “7B Science”.")
    subject = forms.CharField(max_length=80)
    grade_level = forms.ChoiceField(label="Grade", choices=[("", "Choose a grade"), *GradeLevel.choices])


class AddStudentForm(forms.Form):
    """Find one student of the school by username or e-mail address."""

    student = forms.CharField(
        label="Username or e-mail",
        max_length=254,
        help_text="A student account of your school. New students come in through a roster import or the join code.",
    )

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school_id = school_id

    def clean_student(self) -> User:
        typed = self.cleaned_data["student"].strip()
        matches = list(
            User.objects.filter(role=Role.STUDENT, school_id=self.school_id, is_active=True)
            .filter(Q(username__iexact=typed) | Q(email__iexact=typed))
            .order_by("pk")[:2]
        )
        if not matches:
            raise forms.ValidationError(f"No student of your school has the username or e-mail “{typed}”.")
        if len(matches) > 1:
            raise forms.ValidationError("Several students share this e-mail address; type the username instead.")
        return matches[0]


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Roster file (CSV)",
        help_text="Columns: first_name, last_name, email, username, grade, and optionally parent_email. At most 2 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    file_name = ""

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > ROSTER_MAX_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB. Split it into smaller files.")
        self.file_name = upload.name
        return upload.read()


class RosterCommitForm(forms.Form):
    file_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


def _content_choices(school_id: int | None) -> list[tuple[str, list[tuple[str, str]]]]:
    published = {"school_id": school_id, "status": ContentStatus.PUBLISHED}
    quizzes = Quiz.objects.filter(**published, is_practice_bank=False).order_by("title", "pk")
    lessons = Lesson.objects.filter(**published).order_by("title", "pk")
    return [
        ("Quizzes", [(f"quiz:{pk}", title) for pk, title in quizzes.values_list("pk", "title")]),
        ("Lessons", [(f"lesson:{pk}", title) for pk, title in lessons.values_list("pk", "title")]),
    ]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class AssignForm(forms.Form):
    """Set published work for a class. Dates are read in the school's time zone (the view
    activates it)."""

    classroom = forms.ModelChoiceField(label="Class", queryset=Classroom.objects.none(), empty_label="Choose a class")
    content = forms.ChoiceField(label="Lesson or quiz", help_text="Only published work can be assigned.")
    available_from = forms.DateTimeField(label="Available from", widget=DateTimeInput())
    due_at = forms.DateTimeField(label="Due", widget=DateTimeInput())
    close_at = forms.DateTimeField(
        label="Closes",
        required=False,
        widget=DateTimeInput(),
        help_text=(
            "After this, nothing more can be handed in. Leave empty to take late work for as long as the class runs."
        ),
    )
    accept_late = forms.BooleanField(label="Accept late work", required=False, initial=True)
    late_penalty_percent_per_day = forms.DecimalField(
        label="Late penalty per day (%)", min_value=Decimal(0), max_value=Decimal(100), initial=Decimal(10)
    )
    max_late_penalty_percent = forms.DecimalField(
        label="Largest late penalty (%)", min_value=Decimal(0), max_value=Decimal(100), initial=Decimal(50)
    )
    score_policy = forms.ChoiceField(
        label="Which attempt counts",
        choices=ScorePolicy.choices,
        initial=ScorePolicy.BEST,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, classrooms: QuerySet[Classroom], school_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        classroom_field = self.fields["classroom"]
        assert isinstance(classroom_field, forms.ModelChoiceField)
        classroom_field.queryset = classrooms
        content_field = self.fields["content"]
        assert isinstance(content_field, forms.ChoiceField)
        content_field.choices = [("", "Choose a lesson or quiz"), *_content_choices(school_id)]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        kind, _, pk = data.pop("content").partition(":")
        model = Quiz if kind == "quiz" else Lesson
        data[kind] = model.objects.get(pk=int(pk))
        return data


class GradeOverrideForm(forms.Form):
    points = forms.DecimalField(label="Points", min_value=Decimal(0), decimal_places=2, max_digits=7)
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the change in the grade's history.",
    )
    feedback = forms.CharField(
        label="Feedback for the student", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
