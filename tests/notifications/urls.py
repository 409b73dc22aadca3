"""The project's URLs plus the outbox, mounted where the project will mount it."""

from django.urls import include, path

from vokasi.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("backoffice/pesan/", include("vokasi.notifications.urls")),
    *project_urlpatterns,
]
