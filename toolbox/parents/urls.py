from django.urls import path

from toolbox.parents import views

app_name = "parents"

urlpatterns = [
    path("", views.home, name="home"),
    path("link/", views.link_child, name="link_child"),
    path("settings/", views.settings, name="settings"),
    path("children/<int:student_id>/", views.child, name="child"),
]
