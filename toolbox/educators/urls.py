from django.urls import include, path

app_name = "educators"

urlpatterns = [
    path("", include("toolbox.educators.urls_classes")),
    path("", include("toolbox.educators.urls_content")),
]
