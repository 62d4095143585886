from django.urls import path

from toolbox.students import views

app_name = "students"

urlpatterns = [
    path("", views.home, name="home"),
]
