from django.urls import path

from vokasi.backoffice import applications, selection, views

app_name = "backoffice"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("paket/", views.BatchListView.as_view(), name="batches"),
    path("paket/baru/", views.BatchCreateView.as_view(), name="batch_create"),
    path("paket/<int:pk>/", views.BatchDetailView.as_view(), name="batch"),
    path("paket/<int:pk>/ubah/", views.BatchUpdateView.as_view(), name="batch_update"),
    path("paket/<int:pk>/status/", views.BatchTransitionView.as_view(), name="batch_transition"),
    path("program/", views.ProgrammeListView.as_view(), name="programmes"),
    path("program/baru/", views.ProgrammeCreateView.as_view(), name="programme_create"),
    path("program/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme"),
    path("program/<int:pk>/ubah/", views.ProgrammeUpdateView.as_view(), name="programme_update"),
    path("program/<int:pk>/unit/", views.ProgrammeUnitsView.as_view(), name="programme_units"),
    path("pendaftaran/", applications.ApplicationQueueView.as_view(), name="applications"),
    path(
        "pendaftaran/excel/",
        applications.ApplicationExportView.as_view(),
        name="applications_export",
    ),
    path(
        "pendaftaran/baru/<int:intake>/",
        applications.FrontDeskView.as_view(),
        name="application_create",
    ),
    path("pendaftaran/<int:pk>/", applications.ApplicationView.as_view(), name="application"),
    path("seleksi/", selection.RoundListView.as_view(), name="rounds"),
    path("seleksi/<int:pk>/", selection.RoundView.as_view(), name="round"),
    path("dokumen/<int:pk>/", applications.DocumentView.as_view(), name="document"),
    path("pendanaan/", views.FundingListView.as_view(), name="funding"),
    path("mitra/", views.PartnerListView.as_view(), name="partners"),
    path("audit/", views.AuditListView.as_view(), name="audit"),
]
