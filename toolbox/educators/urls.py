from django.urls import path

from toolbox.educators import views

app_name = "educators"

urlpatterns = [
    path("", views.home, name="home"),
]
