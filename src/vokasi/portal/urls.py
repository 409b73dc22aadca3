from django.urls import path

from vokasi.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("program/", views.programme_list, name="programmes"),
    path("program/<int:pk>/", views.programme_detail, name="programme"),
    path("paket/<slug:code>/", views.batch_detail, name="batch"),
]
