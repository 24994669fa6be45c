from django.urls import path

from inka.programme import views

app_name = "programme"

urlpatterns = [
    path("standorte/", views.site_list, name="site_list"),
    path("standorte/neu/", views.site_create, name="site_create"),
    path("standorte/<int:pk>/", views.site_detail, name="site_detail"),
    path("standorte/<int:pk>/bearbeiten/", views.site_edit, name="site_edit"),
    path("standorte/<int:pk>/traeger/neu/", views.site_period_create, name="site_period_create"),
    path("standort/<str:code>/", views.site_public, name="site_public"),
]
