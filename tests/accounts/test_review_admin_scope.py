"""An admin of one school runs that school only in the Django admin: other schools' people,
classes, grades and sign-in records are neither listed, opened nor reachable through a form's
choices, and what every school shares is not theirs to delete. An admin with no school runs
the whole site."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.forms import ModelChoiceField
from django.test import Client
from django.utils import timezone

from tests.factories import (
    AdminFactory,
    ClassroomFactory,
    EnrollmentFactory,
    LearningObjectiveFactory,
    ParentFactory,
    ParentLinkFactory,
    SchoolFactory,
    StudentFactory,
)
from tests.factories.learning import AnswerRowFactory, AttemptRowFactory, MasteryFactory, NotificationFactory
from toolbox.accounts.models import ParentLink, Role, School, User
from toolbox.learning.models import Mastery


def _signed_in(client: Client, user: User) -> Client:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def two_schools(db: None) -> dict[str, object]:
    home, other = SchoolFactory(), SchoolFactory()
    answer_home = AnswerRowFactory(attempt=AttemptRowFactory(assignment__classroom__school=home))
    answer_other = AnswerRowFactory(attempt=AttemptRowFactory(assignment__classroom__school=other))
    for school in (home, other):
        EnrollmentFactory(classroom__school=school, student__school=school)
    return {"home": home, "other": other, "home_answer": answer_home, "other_answer": answer_other}


CHANGELISTS = [
    "accounts/user",
    "accounts/school",
    "classroom/classroom",
    "classroom/enrollment",
    "learning/assignment",
    "learning/attempt",
    "learning/answer",
    "learning/notification",
]


@pytest.mark.django_db
@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_a_school_admin_lists_only_their_school(client: Client, two_schools: dict, changelist: str) -> None:
    home: School = two_schools["home"]
    other: School = two_schools["other"]
    StudentFactory(school=other)
    NotificationFactory(user=StudentFactory(school=other))
    NotificationFactory(user=StudentFactory(school=home))

    response = _signed_in(client, AdminFactory(school=home)).get(f"/admin/{changelist}/")

    assert response.status_code == 200
    rows = list(response.context["cl"].queryset)
    assert rows, "the admin's own school has rows here"
    assert not [row for row in rows if _school_of(row) == other.pk]


def _school_of(row: object) -> int | None:
    if isinstance(row, School):
        return row.pk
    for path in (
        "school_id",
        "classroom.school_id",
        "assignment.classroom.school_id",
        "attempt.assignment.classroom.school_id",
        "user.school_id",
    ):
        value: object = row
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value  # type: ignore[return-value]
    raise AssertionError(f"no school on {row!r}")


@pytest.mark.django_db
def test_a_school_admin_cannot_open_another_schools_rows(client: Client, two_schools: dict) -> None:
    signed_in = _signed_in(client, AdminFactory(school=two_schools["home"]))
    other_answer = two_schools["other_answer"]
    other_student = other_answer.attempt.student

    for url in (
        f"/admin/accounts/user/{other_student.pk}/change/",
        f"/admin/learning/attempt/{other_answer.attempt_id}/change/",
        f"/admin/classroom/classroom/{other_answer.attempt.assignment.classroom_id}/change/",
    ):
        response = signed_in.get(url)
        # Django's admin answers an id outside the queryset by going back to the index.
        assert response.status_code == 302, url
        assert response["Location"] == "/admin/", url


@pytest.mark.django_db
def test_a_school_admin_cannot_enrol_another_schools_student(client: Client, two_schools: dict) -> None:
    home: School = two_schools["home"]
    classroom = ClassroomFactory(school=home)
    outsider = StudentFactory(school=two_schools["other"])

    response = _signed_in(client, AdminFactory(school=home)).post(
        "/admin/classroom/enrollment/add/",
        {"classroom": classroom.pk, "student": outsider.pk, "status": "active"},
    )

    assert response.status_code == 200
    assert "student" in response.context["adminform"].form.errors
    assert not classroom.enrollments.filter(student=outsider).exists()


@pytest.mark.django_db
def test_a_school_admin_cannot_make_a_schoolless_site_wide_admin(client: Client, two_schools: dict) -> None:
    home: School = two_schools["home"]

    response = _signed_in(client, AdminFactory(school=home)).post(
        "/admin/accounts/user/add/",
        {"username": "climber", "role": Role.ADMIN, "school": "", "password1": "", "password2": ""},
    )

    assert response.status_code == 200
    assert "school" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="climber").exists()


@pytest.mark.django_db
def test_a_site_wide_admin_sees_every_school(client: Client, two_schools: dict) -> None:
    response = _signed_in(client, AdminFactory(school=None)).get("/admin/learning/attempt/")

    schools = {row.assignment.classroom.school_id for row in response.context["cl"].queryset}
    assert schools == {two_schools["home"].pk, two_schools["other"].pk}


@pytest.mark.django_db
def test_the_enrolment_inline_of_a_class_offers_only_the_schools_students(rf, two_schools: dict) -> None:
    from django.contrib import admin

    from toolbox.classroom.models import Classroom

    home: School = two_schools["home"]
    classroom = ClassroomFactory(school=home)
    outsider = StudentFactory(school=two_schools["other"])
    request = rf.get("/admin/")
    request.user = AdminFactory(school=home)
    class_admin = admin.site.get_model_admin(Classroom)
    inline = class_admin.get_inline_instances(request, classroom)[0]

    field = inline.get_formset(request, classroom)(instance=classroom).empty_form.fields["student"]
    assert isinstance(field, ModelChoiceField)
    students = field.queryset
    assert students is not None

    assert outsider not in students
    assert students.filter(school=home).exists()


def _failed_sign_in(username: str) -> AccessAttempt:
    return AccessAttempt.objects.create(
        username=username,
        ip_address="192.0.2.7",
        user_agent="Test",
        http_accept="text/html",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=3,
    )


@pytest.mark.django_db
def test_a_school_admin_sees_the_sign_in_records_of_their_own_schools_people_only(
    client: Client, two_schools: dict
) -> None:
    home: School = two_schools["home"]
    ours = _failed_sign_in(StudentFactory(school=home).username)
    theirs = _failed_sign_in(StudentFactory(school=two_schools["other"]).username)
    nobodys = _failed_sign_in("guessed-name")
    signed_in = _signed_in(client, AdminFactory(school=home))

    listed = signed_in.get("/admin/axes/accessattempt/")
    opened = signed_in.get(f"/admin/axes/accessattempt/{theirs.pk}/change/")

    assert list(listed.context["cl"].queryset) == [ours]
    assert opened.status_code == 302
    assert opened["Location"] == "/admin/"
    site_wide = _signed_in(Client(), AdminFactory(school=None)).get("/admin/axes/accessattempt/")
    assert set(site_wide.context["cl"].queryset) == {ours, theirs, nobodys}


@pytest.mark.django_db
def test_only_a_site_wide_admin_deletes_a_shared_objective_that_other_schools_mastery_hangs_on(
    client: Client, two_schools: dict
) -> None:
    objective = LearningObjectiveFactory()
    theirs = MasteryFactory(student=StudentFactory(school=two_schools["other"]), objective=objective)
    school_admin = _signed_in(client, AdminFactory(school=two_schools["home"]))

    page = school_admin.get(f"/admin/content/learningobjective/{objective.pk}/delete/")
    posted = school_admin.post(f"/admin/content/learningobjective/{objective.pk}/delete/", {"post": "yes"})
    listing = school_admin.get("/admin/content/learningobjective/")

    assert page.status_code == 403
    assert posted.status_code == 403
    assert "delete_selected" not in listing.context["cl"].model_admin.get_actions(listing.wsgi_request)
    assert Mastery.objects.filter(pk=theirs.pk).exists()
    assert school_admin.get(f"/admin/content/learningobjective/{objective.pk}/change/").status_code == 200

    site_wide = _signed_in(Client(), AdminFactory(school=None))
    deleted = site_wide.post(f"/admin/content/learningobjective/{objective.pk}/delete/", {"post": "yes"})

    assert deleted.status_code == 302
    assert not Mastery.objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_only_a_site_wide_admin_adds_or_deletes_a_school(client: Client, two_schools: dict) -> None:
    home: School = two_schools["home"]
    school_admin = _signed_in(client, AdminFactory(school=home))

    page = school_admin.get(f"/admin/accounts/school/{home.pk}/delete/")
    posted = school_admin.post(f"/admin/accounts/school/{home.pk}/delete/", {"post": "yes"})
    listing = school_admin.get("/admin/accounts/school/")
    bulk = school_admin.post(
        "/admin/accounts/school/", {"action": "delete_selected", "_selected_action": [home.pk], "post": "yes"}
    )
    add_page = school_admin.get("/admin/accounts/school/add/")
    added = school_admin.post("/admin/accounts/school/add/", {"name": "Annex", "slug": "annex", "time_zone": "UTC"})

    assert page.status_code == 403
    assert posted.status_code == 403
    assert "delete_selected" not in listing.context["cl"].model_admin.get_actions(listing.wsgi_request)
    # An action the list does not offer is not run: the list comes back and nothing is deleted.
    assert bulk.status_code == 200
    assert School.objects.filter(pk=home.pk).exists()
    assert add_page.status_code == 403
    assert added.status_code == 403
    assert not School.objects.filter(slug="annex").exists()

    site_wide = _signed_in(Client(), AdminFactory(school=None))
    empty = SchoolFactory()
    site_wide_listing = site_wide.get("/admin/accounts/school/")
    deleted = site_wide.post(
        "/admin/accounts/school/", {"action": "delete_selected", "_selected_action": [empty.pk], "post": "yes"}
    )

    assert "delete_selected" in site_wide_listing.context["cl"].model_admin.get_actions(site_wide_listing.wsgi_request)
    assert deleted.status_code == 302
    assert not School.objects.filter(pk=empty.pk).exists()
    assert site_wide.get("/admin/accounts/school/add/").status_code == 200


@pytest.mark.django_db
def test_a_school_admin_still_changes_their_own_schools_settings(client: Client, two_schools: dict) -> None:
    home: School = two_schools["home"]

    response = _signed_in(client, AdminFactory(school=home)).post(
        f"/admin/accounts/school/{home.pk}/change/",
        {"name": "Renamed", "slug": home.slug, "time_zone": "Europe/London", "daily_token_budget": ""},
    )

    assert response.status_code == 302
    home.refresh_from_db()
    assert (home.name, home.time_zone) == ("Renamed", "Europe/London")


def _expired_sign_ins(*usernames: str) -> list[AccessAttempt]:
    attempts = [_failed_sign_in(username) for username in usernames]
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(hours=1))
    return attempts


@pytest.mark.django_db
def test_a_school_admin_cannot_clean_up_other_schools_sign_in_records(client: Client, two_schools: dict) -> None:
    home: School = two_schools["home"]
    # Signed in first: a successful sign-in has django-axes clear every expired record itself.
    school_admin = _signed_in(client, AdminFactory(school=home))
    site_wide = _signed_in(Client(), AdminFactory(school=None))
    ours, theirs, nobodys = _expired_sign_ins(
        StudentFactory(school=home).username, StudentFactory(school=two_schools["other"]).username, "guessed-name"
    )

    listing = school_admin.get("/admin/axes/accessattempt/")
    school_admin.post(
        "/admin/axes/accessattempt/", {"action": "cleanup_expired_attempts", "_selected_action": [ours.pk]}
    )

    assert list(listing.context["cl"].model_admin.get_actions(listing.wsgi_request)) == ["delete_selected"]
    assert set(AccessAttempt.objects.all()) == {ours, theirs, nobodys}

    school_admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [ours.pk, theirs.pk, nobodys.pk], "post": "yes"},
    )

    assert set(AccessAttempt.objects.all()) == {theirs, nobodys}

    cleaned = site_wide.post(
        "/admin/axes/accessattempt/", {"action": "cleanup_expired_attempts", "_selected_action": [theirs.pk]}
    )

    assert cleaned.status_code == 302
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_deleting_a_parent_of_children_in_two_schools_is_not_one_schools_to_do(
    client: Client, two_schools: dict
) -> None:
    home: School = two_schools["home"]
    parent = ParentFactory(school=home)
    ParentLinkFactory(parent=parent, student=StudentFactory(school=home))
    elsewhere = ParentLinkFactory(
        parent=parent, student=StudentFactory(school=two_schools["other"], display_name="Zyx Elsewhere")
    )
    school_admin = _signed_in(client, AdminFactory(school=home))
    bulk_delete = {"action": "delete_selected", "_selected_action": [parent.pk]}

    page = school_admin.get(f"/admin/accounts/user/{parent.pk}/delete/")
    posted = school_admin.post(f"/admin/accounts/user/{parent.pk}/delete/", {"post": "yes"})
    confirmation = school_admin.post("/admin/accounts/user/", bulk_delete)
    bulk = school_admin.post("/admin/accounts/user/", {**bulk_delete, "post": "yes"})

    # The other school's child is neither deleted with the parent nor named on the page.
    assert "Zyx Elsewhere" not in page.content.decode()
    assert "Zyx Elsewhere" not in confirmation.content.decode()
    assert posted.status_code == 403
    assert bulk.status_code == 403
    assert ParentLink.objects.filter(pk=elsewhere.pk).exists()
    assert User.objects.filter(pk=parent.pk).exists()

    deleted = _signed_in(Client(), AdminFactory(school=None)).post(
        f"/admin/accounts/user/{parent.pk}/delete/", {"post": "yes"}
    )

    assert deleted.status_code == 302
    assert not ParentLink.objects.filter(pk=elsewhere.pk).exists()
