from django.urls import path

from toolbox.students import views

app_name = "students"

urlpatterns = [
    path("", views.home, name="home"),
    path("join/", views.join, name="join"),
    path("progress/", views.progress, name="progress"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path("practice/<int:pk>/", views.practice_set, name="practice_set"),
    path("practice/<int:pk>/items/<int:item_id>/answer/", views.practice_answer, name="practice_answer"),
    path("lessons/<int:assignment_id>/", views.lesson, name="lesson"),
    path("lessons/<int:assignment_id>/progress/", views.lesson_progress, name="lesson_progress"),
    path("lessons/<int:assignment_id>/done/", views.lesson_done, name="lesson_done"),
    path("quizzes/<int:assignment_id>/", views.quiz_start, name="quiz_start"),
    path("attempts/<int:pk>/", views.attempt, name="attempt"),
    path("attempts/<int:pk>/save/", views.attempt_save, name="attempt_save_answer"),
    path("attempts/<int:pk>/submit/", views.attempt_submit_view, name="attempt_submit"),
    path("attempts/<int:pk>/result/", views.attempt_result, name="attempt_result"),
]
