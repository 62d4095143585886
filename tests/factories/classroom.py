# pyright: reportPrivateImportUsage=false, reportIncompatibleVariableOverride=false
# (factory-boy declares neither its public exports nor Meta in a way type checkers follow)
from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from tests.factories.accounts import EducatorFactory, SchoolFactory, StudentFactory
from toolbox.classroom.models import Classroom, Enrollment


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
