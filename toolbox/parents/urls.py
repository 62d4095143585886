from django.urls import path

from toolbox.parents import views

app_name = "parents"

urlpatterns = [
    path("", views.home, name="home"),
]
