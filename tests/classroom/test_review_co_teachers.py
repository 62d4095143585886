"""Who teaches a class is the owner's call (or an admin's): a co-teacher edits the class but
cannot bring in other teachers, who would then see every student's work, nor remove them."""

from __future__ import annotations

import pytest

from tests.factories import AdminFactory, ClassroomFactory, EducatorFactory
from toolbox.accounts.models import School
from toolbox.classroom.services import classroom_update
from toolbox.errors import ForbiddenError

pytestmark = pytest.mark.django_db


def test_a_co_teacher_cannot_change_who_teaches(school: School) -> None:
    classroom = ClassroomFactory(school=school)
    co_teacher, colleague, newcomer = (EducatorFactory(school=school) for _ in range(3))
    classroom.co_teachers.add(co_teacher, colleague)

    with pytest.raises(ForbiddenError):
        classroom_update(actor=co_teacher, classroom=classroom, name="Renamed", co_teachers=[co_teacher, newcomer])

    classroom.refresh_from_db()
    assert set(classroom.co_teachers.all()) == {co_teacher, colleague}
    assert classroom.name != "Renamed"


def test_the_owner_and_an_admin_change_who_teaches(school: School) -> None:
    classroom = ClassroomFactory(school=school)
    first, second = EducatorFactory(school=school), EducatorFactory(school=school)

    classroom_update(actor=classroom.owner, classroom=classroom, co_teachers=[first])
    classroom_update(actor=AdminFactory(school=school), classroom=classroom, co_teachers=[second])

    assert list(classroom.co_teachers.all()) == [second]
