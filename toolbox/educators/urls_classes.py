"""The educator's class pages: classes, rosters, work, gradebooks and insights."""

from django.urls import path

from toolbox.educators.views import classes, gradebook, home

urlpatterns = [
    path("", home.home, name="home"),
    path("classes/", classes.class_list, name="class_list"),
    path("classes/new/", classes.class_create, name="class_create"),
    path("classes/assign/", classes.assign, name="assign"),
    path("classes/<int:pk>/", classes.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", classes.class_edit, name="class_edit"),
    path("classes/<int:pk>/archive/", classes.class_archive, name="class_archive"),
    path("classes/<int:pk>/join-code/", classes.join_code_new, name="join_code_new"),
    path("classes/<int:pk>/students/add/", classes.student_add, name="student_add"),
    path("classes/<int:pk>/students/<int:student_id>/remove/", classes.student_remove, name="student_remove"),
    path("classes/<int:pk>/students/<int:student_id>/parent-invites/", classes.parent_invites, name="parent_invites"),
    path("classes/<int:pk>/roster-import/", classes.roster_import, name="roster_import"),
    path("classes/<int:pk>/roster-import/confirm/", classes.roster_import_confirm, name="roster_import_confirm"),
    path("classes/<int:pk>/gradebook/", gradebook.gradebook, name="gradebook"),
    path("classes/<int:pk>/gradebook.csv", gradebook.gradebook_csv, name="gradebook_csv"),
    path("classes/<int:pk>/attempts/<int:attempt_id>/", gradebook.attempt_view, name="attempt_detail"),
    path(
        "classes/<int:pk>/attempts/<int:attempt_id>/answers/<int:answer_id>/override/",
        gradebook.answer_override,
        name="answer_override",
    ),
    path("attempts/<int:attempt_id>/", gradebook.attempt_open, name="attempt_open"),
    path("classes/<int:pk>/insights/", gradebook.insights, name="insights"),
]
