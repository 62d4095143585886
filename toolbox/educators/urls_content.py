"""The educator's content pages: the library, the lesson and quiz editors, the review queue
and AI generation."""

from django.urls import path

from toolbox.educators.views import content, generate, quiz_editor, review

urlpatterns = [
    path("library/", content.library, name="library"),
    path("library/lessons/new/", content.lesson_new, name="lesson_create"),
    path("library/lessons/preview/", content.lesson_preview, name="lesson_preview"),
    path("library/lessons/<int:pk>/", content.lesson_detail, name="lesson_detail"),
    path("library/lessons/<int:pk>/edit/", content.lesson_edit, name="lesson_edit"),
    path("library/lessons/<int:pk>/submit/", content.lesson_submit, name="lesson_submit"),
    path("library/quizzes/new/", quiz_editor.quiz_create_view, name="quiz_create"),
    path("library/quizzes/<int:pk>/", quiz_editor.quiz_edit, name="quiz_edit"),
    path("library/quizzes/<int:pk>/submit/", quiz_editor.quiz_submit, name="quiz_submit"),
    path("library/quizzes/<int:pk>/questions/new/", quiz_editor.question_add, name="question_add"),
    path("library/quizzes/<int:pk>/questions/<int:question_id>/", quiz_editor.question_show, name="question_show"),
    path("library/quizzes/<int:pk>/questions/<int:question_id>/edit/", quiz_editor.question_edit, name="question_edit"),
    path(
        "library/quizzes/<int:pk>/questions/<int:question_id>/delete/",
        quiz_editor.question_delete_view,
        name="question_delete",
    ),
    path("library/quizzes/<int:pk>/questions/<int:question_id>/move/", quiz_editor.question_move, name="question_move"),
    path("review/", review.review_queue_view, name="review_queue"),
    path("review/<str:kind>/<int:pk>/", review.review_detail, name="review_detail"),
    path("review/<str:kind>/<int:pk>/approve/", review.review_approve, name="review_approve"),
    path("review/<str:kind>/<int:pk>/reject/", review.review_reject, name="review_reject"),
    path("generate/", generate.generate, name="generate"),
    path("generate/jobs/<int:pk>/", generate.generation_job, name="generation_job"),
    path("generate/jobs/<int:pk>/progress/", generate.generation_job_progress_view, name="generation_job_progress"),
    path("generate/jobs/<int:pk>/cancel/", generate.generation_job_cancel_view, name="generation_job_cancel"),
]
