# pyright: reportPrivateImportUsage=false, reportIncompatibleVariableOverride=false
# (factory-boy declares neither its public exports nor Meta in a way type checkers follow)
from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from toolbox.accounts.models import ParentLink, Role, School, User

TEST_PASSWORD = "Test-Password-1"


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    time_zone = "UTC"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    school = factory.SubFactory(SchoolFactory)
    role = Role.STUDENT
    password = factory.django.Password(TEST_PASSWORD)


class StudentFactory(UserFactory):
    role = Role.STUDENT
    grade_level = "7"


class EducatorFactory(UserFactory):
    role = Role.EDUCATOR


class ParentFactory(UserFactory):
    role = Role.PARENT


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_superuser = True


class ParentLinkFactory(DjangoModelFactory):
    class Meta:
        model = ParentLink

    parent = factory.SubFactory(ParentFactory)
    student = factory.SubFactory(StudentFactory)
    can_view_grades = True
