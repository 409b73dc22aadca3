from django.urls import path

from vokasi.portal import account_views, registration_views, selection_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("program/", views.programme_list, name="programmes"),
    path("program/<int:pk>/", views.programme_detail, name="programme"),
    path("paket/<slug:code>/", views.batch_detail, name="batch"),
    path("seleksi/<int:pk>/", selection_views.announcement, name="announcement"),
    path("seleksi/<int:pk>/<str:which>.json", selection_views.round_file, name="round_file"),
    path("akun/daftar/", account_views.signup, name="signup"),
    path("akun/konfirmasi/", account_views.confirm, name="confirm"),
    path("akun/lupa-sandi/", account_views.reset_request, name="reset_request"),
    path("akun/sandi-baru/", account_views.reset, name="reset"),
    path("pendaftaran/", registration_views.apply, name="apply"),
    path("pendaftaran/status/", registration_views.status, name="application_status"),
    path("pendaftaran/<slug:number>/ubah/", registration_views.edit, name="application_edit"),
    path(
        "pendaftaran/<slug:number>/batal/", registration_views.withdraw, name="application_withdraw"
    ),
    path(
        "pendaftaran/<slug:number>/dokumen/", registration_views.upload, name="application_upload"
    ),
    path(
        "pendaftaran/<slug:number>/tawaran/<int:offer>/",
        registration_views.offer_answer,
        name="offer_answer",
    ),
    path(
        "pendaftaran/<slug:number>/sanggahan/<int:round_id>/",
        registration_views.objection,
        name="objection",
    ),
    path(
        "pendaftaran/<slug:number>/tanda-terima.pdf",
        registration_views.receipt,
        name="application_receipt",
    ),
]
