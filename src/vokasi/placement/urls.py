"""The public tracer-study link: no login, a personal token in the address."""

from django.urls import path

from vokasi.placement import views

app_name = "tracer"
urlpatterns = [
    path("<str:token>/", views.tracer_answer_view, name="answer"),
]
