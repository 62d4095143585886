# pyright: reportPrivateImportUsage=false, reportIncompatibleVariableOverride=false
# (factory-boy declares neither its public exports nor Meta in a way type checkers follow)
from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tests.factories.accounts import EducatorFactory, SchoolFactory, StudentFactory
from toolbox.classroom.models import Classroom, Enrollment, ParentInvite, SetPasswordLink


class ClassroomFactory(DjangoModelFactory):
    class Meta:
        model = Classroom

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Class {n}")
    subject = "Science"
    grade_level = "7"
    owner = factory.SubFactory(EducatorFactory, school=factory.SelfAttribute("..school"))
    join_code = factory.Sequence(lambda n: f"J{n:06d}"[:8].replace("0", "A").replace("1", "B"))


class EnrollmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrollment

    classroom = factory.SubFactory(ClassroomFactory)
    student = factory.SubFactory(StudentFactory, school=factory.SelfAttribute("..classroom.school"))


class ParentInviteFactory(DjangoModelFactory):
    class Meta:
        model = ParentInvite

    student = factory.SubFactory(StudentFactory)
    code = factory.Sequence(lambda n: f"P{n:07d}".replace("0", "A").replace("1", "B"))
    created_by = None
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))


class SetPasswordLinkFactory(DjangoModelFactory):
    class Meta:
        model = SetPasswordLink

    user = factory.SubFactory(StudentFactory)
    token = factory.Sequence(lambda n: f"token-{n}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
