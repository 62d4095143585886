"""Parent pages: linking a child by invite code, the overview, one child, the digest setting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    ParentFactory,
    ParentLinkFactory,
    StudentFactory,
)
from tests.factories.classroom import ParentInviteFactory
from tests.factories.learning import AttemptRowFactory, MasteryFactory, StudentStatsFactory
from toolbox.accounts.models import ParentLink, User

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def _child_with_a_score(parent: User, *, can_view_grades: bool = True, title: str = "Cells check") -> User:
    child = StudentFactory(school=parent.school, first_name="Amara", last_name="Okafor", display_name="")
    ParentLinkFactory(parent=parent, student=child, can_view_grades=can_view_grades)
    classroom = ClassroomFactory(school=parent.school, name="7B Science")
    EnrollmentFactory(classroom=classroom, student=child)
    graded = AssignmentFactory(classroom=classroom, quiz__title=title)
    AttemptRowFactory(assignment=graded, student=child, final_percent=Decimal("87"))
    AssignmentFactory(
        classroom=classroom,
        quiz__title="Energy quiz",
        available_from=timezone.now() - dt.timedelta(days=5),
        due_at=timezone.now() - dt.timedelta(days=1),
    )
    StudentStatsFactory(student=child, current_streak=3, longest_streak=3, last_active_on=timezone.now().date())
    MasteryFactory(
        student=child,
        objective__description="Describe a cell",
        score=0.9,
        answers_counted=6,
        mastered_at=timezone.now(),
    )
    return child


@pytest.mark.parametrize("name", ["parents:home", "parents:link_child", "parents:settings"])
def test_parent_pages_are_for_parents(name: str, login: Login, school, client: Client) -> None:
    url = reverse(name)
    assert client.get(url).status_code == 302
    assert login(StudentFactory(school=school)).get(url).status_code == 403
    assert login(EducatorFactory(school=school)).get(url).status_code == 403


def test_overview_without_children_says_how_to_get_a_code(login: Login, parent: User) -> None:
    body = login(parent).get(reverse("parents:home")).content.decode()
    assert "No child linked yet" in body
    assert "parent invite code" in body
    assert reverse("parents:link_child") in body


def test_overview_shows_scores_missing_work_streak_and_mastery(login: Login, parent: User) -> None:
    child = _child_with_a_score(parent)
    body = login(parent).get(reverse("parents:home")).content.decode()
    assert child.name in body
    assert "Cells check" in body
    assert "87%" in body
    assert "Missing (1)" in body
    assert "Energy quiz" in body
    assert "3 days" in body
    assert '1<span class="small muted"> / 1</span>' in body


def test_overview_hides_scores_when_the_link_does_not_allow_grades(login: Login, parent: User) -> None:
    _child_with_a_score(parent, can_view_grades=False)
    body = login(parent).get(reverse("parents:home")).content.decode()
    assert "87%" not in body
    assert "has not shared grades" in body
    assert "Energy quiz" in body  # work to do is still shown


@pytest.mark.parametrize("children", [1, 6])
def test_overview_answers_in_a_fixed_number_of_queries(
    children: int, login: Login, parent: User, django_assert_max_num_queries
) -> None:
    for number in range(children):
        _child_with_a_score(parent, title=f"Quiz {number}")
    client = login(parent)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("parents:home")).status_code == 200


def test_child_detail_shows_grades_and_a_chart_with_its_table(login: Login, parent: User) -> None:
    child = _child_with_a_score(parent)
    body = login(parent).get(reverse("parents:child", args=[child.pk])).content.decode()
    assert "<h1>Amara Okafor</h1>" in body
    assert "<svg" in body
    assert "Average quiz score per week" in body
    assert ": 87%." in body  # the chart's description reads the numbers out
    assert "7B Science" in body
    assert "Describe a cell" in body


def test_child_detail_without_grade_rights_shows_no_scores(login: Login, parent: User) -> None:
    child = _child_with_a_score(parent, can_view_grades=False)
    body = login(parent).get(reverse("parents:child", args=[child.pk])).content.decode()
    assert "87%" not in body
    assert "<svg" not in body
    assert "has not shared" in body


def test_another_parents_child_is_not_found(login: Login, parent: User, school) -> None:
    other_child = _child_with_a_score(ParentFactory(school=school))
    client = login(parent)
    assert client.get(reverse("parents:child", args=[other_child.pk])).status_code == 404
    assert client.get(reverse("parents:child", args=[999_999])).status_code == 404


def test_redeeming_an_invite_links_the_child(login: Login, parent: User) -> None:
    invite = ParentInviteFactory(student=StudentFactory(school=parent.school, display_name="Ben Liu"), code="PX4A9KQ2")
    response = login(parent).post(reverse("parents:link_child"), {"code": "px4a-9kq2"}, follow=True)
    assert ParentLink.objects.filter(parent=parent, student=invite.student).exists()
    assert "Ben Liu is now linked" in response.content.decode()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("NOPE9999", "No invite has the code"),
        ("USEDCODE", "already been used"),
        ("OLDCODE9", "expired"),
    ],
)
def test_invite_errors_sit_next_to_the_field(code: str, message: str, login: Login, parent: User) -> None:
    ParentInviteFactory(student=StudentFactory(school=parent.school), code="USEDCODE", redeemed_at=timezone.now())
    ParentInviteFactory(
        student=StudentFactory(school=parent.school), code="OLDCODE9", expires_at=timezone.now() - dt.timedelta(days=1)
    )
    response = login(parent).post(reverse("parents:link_child"), {"code": code})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="id_code_error"' in body
    assert message in body
    assert not ParentLink.objects.filter(parent=parent).exists()


def test_settings_turn_the_weekly_digest_off_and_on(login: Login, parent: User) -> None:
    client = login(parent)
    page = client.get(reverse("parents:settings")).content.decode()
    assert 'name="digest_opt_in"' in page
    assert "checked" in page
    response = client.post(reverse("parents:settings"), {}, follow=True)
    parent.refresh_from_db()
    assert parent.digest_opt_in is False
    assert "The weekly digest is off." in response.content.decode()
    client.post(reverse("parents:settings"), {"digest_opt_in": "on"})
    parent.refresh_from_db()
    assert parent.digest_opt_in is True
