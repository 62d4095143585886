from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import TEST_PASSWORD, AdminFactory, EducatorFactory, ParentFactory, StudentFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "home"),
    [
        (StudentFactory, "/student/"),
        (EducatorFactory, "/educator/"),
        (ParentFactory, "/parent/"),
        (AdminFactory, "/admin/"),
    ],
)
def test_each_role_lands_on_its_home_after_login(client: Client, factory, home: str) -> None:
    user = factory()
    response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == home
    assert response.status_code == 200
