from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import AdminFactory, AssignmentFactory, ClassroomFactory, EnrollmentFactory


@pytest.mark.django_db
def test_the_classroom_admin_downloads_the_gradebook_csv(client: Client) -> None:
    classroom = ClassroomFactory()
    enrollment = EnrollmentFactory(classroom=classroom)
    assignment = AssignmentFactory(classroom=classroom)
    client.force_login(AdminFactory(school=classroom.school))
    response = client.post(
        "/admin/classroom/classroom/",
        {"action": "download_gradebook_csv", "_selected_action": [classroom.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert enrollment.student.last_name in body
    assert assignment.quiz.title in body
