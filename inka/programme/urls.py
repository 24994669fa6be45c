from django.urls import path

app_name = "programme"

urlpatterns: list = []
