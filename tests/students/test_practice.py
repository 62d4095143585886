"""Answering a practice set through its page: every kind right and wrong, with and without
htmx; results, completion, refusals, 404s, the answer key kept out of the page, queries."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import StudentFactory
from tests.factories.learning import PracticeSetFactory
from tests.students.practice_sets import (
    KIND_NAMES,
    PracticeKinds,
    answer_fields,
    practice_of_size,
    practice_with_every_kind,
)
from tests.students.quizzes import QuizKinds
from toolbox.accounts.models import User
from toolbox.learning.item_keys import item_key, practice_scope
from toolbox.learning.models import PracticeItem
from toolbox.learning.selectors.player import practice_sheet

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
HTMX = {"HX-Request": "true"}
RIGHT_ANSWERS = {
    "single": "Cell",
    "multiple": "Nucleus, Mitochondrion",
    "true_false": "True",
    "short": "the nucleus",
    "numeric": "6",
    "ordering": "Cell → Tissue → Organ",
}


@pytest.fixture
def sheet(student: User, kinds: QuizKinds) -> PracticeKinds:
    return practice_with_every_kind(student, kinds)


def _answer_url(sheet: PracticeKinds, name: str) -> str:
    return reverse("students:practice_answer", args=[sheet.practice.pk, sheet.items[name].pk])


def _page(client: Client, sheet: PracticeKinds) -> str:
    return client.get(reverse("students:practice_set", args=[sheet.practice.pk])).content.decode()


@pytest.mark.parametrize("name", KIND_NAMES)
def test_each_kind_answered_right_without_javascript_shows_right_and_why(
    login: Login, student: User, sheet: PracticeKinds, name: str
) -> None:
    client = login(student)
    response = client.post(_answer_url(sheet, name), answer_fields(sheet, name, right=True))
    item = sheet.items[name]
    assert response.status_code == 302
    assert response.url.endswith(f"/student/practice/{sheet.practice.pk}/#practice-item-{item.pk}")  # pyright: ignore[reportAttributeAccessIssue]
    item.refresh_from_db()
    assert item.is_correct is True
    assert item.answered_at is not None
    body = _page(client, sheet)
    assert "✓ Right" in body
    assert f"Because of reason {name.upper()}-WHY." in body
    your_answer = "The NUCLEUS" if name == "short" else RIGHT_ANSWERS[name]
    assert f"<dt>Your answer</dt><dd>{your_answer}</dd>" in body.replace("&gt;", ">")
    assert "Right answer" not in body
    assert "1 of 6</strong> answered · 1 right" in body


@pytest.mark.parametrize("name", KIND_NAMES)
def test_each_kind_answered_wrong_with_htmx_swaps_in_the_right_answer(
    login: Login, student: User, sheet: PracticeKinds, name: str
) -> None:
    response = login(student).post(_answer_url(sheet, name), answer_fields(sheet, name, right=False), headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert f'id="practice-item-{sheet.items[name].pk}"' in body
    assert "✗ Not right" in body
    assert f"<dt>Right answer</dt><dd>{RIGHT_ANSWERS[name]}</dd>" in body.replace("&gt;", ">")
    assert f"Because of reason {name.upper()}-WHY." in body
    assert 'id="practice-progress"' in body
    assert 'hx-swap-oob="true"' in body
    assert "1 of 6</strong> answered · 0 right" in body
    item = sheet.items[name]
    item.refresh_from_db()
    assert item.is_correct is False


def test_a_right_typed_answer_also_names_the_other_accepted_answers(
    login: Login, student: User, sheet: PracticeKinds
) -> None:
    short = sheet.questions["short"]
    short.accepted_answers = ["nucleus", "the nucleus"]
    short.save(update_fields=["accepted_answers"])
    client = login(student)
    client.post(_answer_url(sheet, "short"), {f"q{short.pk}": "Nucleus"})
    assert "<dt>Also accepted</dt><dd>nucleus / the nucleus</dd>" in _page(client, sheet)


def test_the_students_own_answer_is_shown_in_words(login: Login, student: User, sheet: PracticeKinds) -> None:
    client = login(student)
    client.post(_answer_url(sheet, "ordering"), answer_fields(sheet, "ordering", right=False))
    client.post(_answer_url(sheet, "single"), answer_fields(sheet, "single", right=False))
    body = _page(client, sheet)
    assert "<dt>Your answer</dt><dd>Organ → Tissue → Cell</dd>" in body.replace("&gt;", ">")
    assert "<dt>Your answer</dt><dd>Atom</dd>" in body


def test_the_answer_key_is_not_in_the_page_until_each_item_is_answered(
    login: Login, student: User, sheet: PracticeKinds
) -> None:
    client = login(student)
    body = _page(client, sheet)
    assert "WHY." not in body
    assert "the nucleus" not in body
    assert "Right answer" not in body
    assert "✓ Right" not in body
    client.post(_answer_url(sheet, "single"), answer_fields(sheet, "single", right=True))
    body = _page(client, sheet)
    assert "SINGLE-WHY." in body
    assert "SHORT-WHY." not in body
    assert "the nucleus" not in body
    assert body.count("WHY.") == 1


def test_ordering_items_go_by_keys_and_in_their_order_not_by_ids(
    login: Login, student: User, sheet: PracticeKinds
) -> None:
    """Ordering items are stored in the right order, and their ids sort into it: the page names
    each by its key for this practice item and lists them in the keys' order, a shuffle that
    holds for the item (alphabetical order would put dates and numbered steps in place)."""
    body = _page(login(student), sheet)
    question = sheet.questions["ordering"]
    items = body[body.index(question.prompt) :]
    named = [int(n) for n in re.findall(rf'name="q{question.pk}_(\d+)"', items[: items.index("</ul>")])]
    scope = practice_scope(sheet.items["ordering"].pk)
    assert named == sorted(item_key(scope=scope, choice_id=pk) for pk in question.choices.values_list("pk", flat=True))


def test_answering_again_keeps_the_first_answer(login: Login, student: User, sheet: PracticeKinds) -> None:
    client = login(student)
    client.post(_answer_url(sheet, "single"), answer_fields(sheet, "single", right=False))
    item = PracticeItem.objects.get(pk=sheet.items["single"].pk)
    again = client.post(_answer_url(sheet, "single"), answer_fields(sheet, "single", right=True), headers=HTMX)
    assert again.status_code == 200
    assert "✗ Not right" in again.content.decode()
    fresh = PracticeItem.objects.get(pk=item.pk)
    assert (fresh.is_correct, fresh.response, fresh.answered_at) == (False, item.response, item.answered_at)
    assert client.post(_answer_url(sheet, "single"), {}).status_code == 302


def test_a_blank_or_unreadable_answer_is_refused_and_kept_for_correcting(
    login: Login, student: User, sheet: PracticeKinds
) -> None:
    client = login(student)
    blank = client.post(_answer_url(sheet, "single"), {}, headers=HTMX)
    assert blank.status_code == 422
    assert "Pick or type an answer, then check it." in blank.content.decode()
    numeric = sheet.questions["numeric"]
    refused = client.post(_answer_url(sheet, "numeric"), {f"q{numeric.pk}": "six"})
    body = refused.content.decode()
    assert refused.status_code == 422
    assert "<h1>" in body
    assert "must be a number" in body
    assert 'value="six"' in body
    assert 'aria-invalid="true"' in body
    assert not PracticeItem.objects.filter(practice_set=sheet.practice, answered_at__isnull=False).exists()


def test_answering_every_item_completes_the_set_and_the_home_says_done(
    login: Login, student: User, sheet: PracticeKinds
) -> None:
    client = login(student)
    for name in KIND_NAMES[:-1]:
        client.post(_answer_url(sheet, name), answer_fields(sheet, name, right=name != "short"))
    assert "Practice done" not in _page(client, sheet)
    last = client.post(
        _answer_url(sheet, "ordering"), answer_fields(sheet, "ordering", right=True), headers=HTMX
    ).content.decode()
    assert "Practice done" in last
    assert "You got 5 of 6 right." in last
    sheet.practice.refresh_from_db()
    assert sheet.practice.completed_at is not None
    assert "Practice done" in _page(client, sheet)
    home = client.get(reverse("students:home")).content.decode()
    assert "✓ Done" in home
    assert "Review today’s practice" in home


def test_the_home_invites_going_on_with_a_started_set(login: Login, student: User, sheet: PracticeKinds) -> None:
    client = login(student)
    client.post(_answer_url(sheet, "single"), answer_fields(sheet, "single", right=True))
    home = client.get(reverse("students:home")).content.decode()
    assert "1 answered so far." in home
    assert "Go on with today’s practice" in home


def test_another_students_set_or_item_is_not_found(login: Login, student: User, school, sheet: PracticeKinds) -> None:
    client = login(student)
    other = practice_of_size(StudentFactory(school=school), 5)
    other_item = PracticeItem.objects.filter(practice_set=other, answered_at__isnull=True).first()
    assert other_item is not None
    assert client.get(reverse("students:practice_set", args=[other.pk])).status_code == 404
    assert client.post(reverse("students:practice_answer", args=[other.pk, other_item.pk]), {}).status_code == 404
    # Someone else's item through one's own set is not found either.
    own_set_other_item = reverse("students:practice_answer", args=[sheet.practice.pk, other_item.pk])
    assert client.post(own_set_other_item, {f"q{other_item.question_id}": "1"}).status_code == 404
    assert not PracticeItem.objects.filter(practice_set=other, pk=other_item.pk, answered_at__isnull=False).exists()
    assert client.get(reverse("students:practice_set", args=[999_999])).status_code == 404


def test_only_students_answer_practice(login: Login, educator: User, sheet: PracticeKinds) -> None:
    response = login(educator).post(_answer_url(sheet, "single"), {})
    assert response.status_code == 403


@pytest.mark.parametrize("size", [5, 10])
def test_the_page_and_an_answer_take_a_fixed_number_of_queries(
    login: Login, student: User, size: int, django_assert_max_num_queries
) -> None:
    practice = practice_of_size(student, size)
    client = login(student)
    url = reverse("students:practice_set", args=[practice.pk])
    client.get(url)
    with django_assert_max_num_queries(3):
        sheet = practice_sheet(student=student, practice_set_id=practice.pk)
    assert len(sheet.items) == size
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200
    item = PracticeItem.objects.filter(practice_set=practice, answered_at__isnull=True).first()
    assert item is not None
    right = item.question.choices.get(text="Right").pk
    answer_url = reverse("students:practice_answer", args=[practice.pk, item.pk])
    # Grading, the XP event and its savepoints, completion and the fresh sheet.
    with django_assert_max_num_queries(26):
        assert client.post(answer_url, {f"q{item.question_id}": right}, headers=HTMX).status_code == 200


def test_an_empty_set_says_there_is_nothing_to_practise(login: Login, student: User) -> None:
    practice = PracticeSetFactory(student=student)
    body = login(student).get(reverse("students:practice_set", args=[practice.pk])).content.decode()
    assert "Nothing to practise today" in body
