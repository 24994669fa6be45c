from django.urls import path  # noqa: F401  (the views add their paths here)

app_name = "esf"

urlpatterns: list = []
