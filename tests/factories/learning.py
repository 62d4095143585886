# pyright: reportPrivateImportUsage=false, reportIncompatibleVariableOverride=false
# (factory-boy declares neither its public exports nor Meta in a way type checkers follow)
from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tests.factories.classroom import ClassroomFactory
from tests.factories.content import LessonFactory, QuizFactory
from toolbox.learning.models import Assignment


class AssignmentFactory(DjangoModelFactory):
    """A quiz assignment open now and due in a week."""

    class Meta:
        model = Assignment

    classroom = factory.SubFactory(ClassroomFactory)
    quiz = factory.SubFactory(QuizFactory, school=factory.SelfAttribute("..classroom.school"))
    lesson = None
    assigned_by = factory.SelfAttribute("classroom.owner")
    available_from = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    due_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class LessonAssignmentFactory(AssignmentFactory):
    """A lesson assignment open now and due in a week."""

    quiz = None
    lesson = factory.SubFactory(LessonFactory, school=factory.SelfAttribute("..classroom.school"))
