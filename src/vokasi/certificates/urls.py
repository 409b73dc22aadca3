from django.urls import path

from vokasi.certificates import views

app_name = "certificates"
urlpatterns = [
    path("verifikasi/", views.verify_form, name="verify_form"),
    path("verifikasi/penerbit.json", views.issuer, name="issuer"),
    path("verifikasi/kunci/<int:pk>.json", views.key, name="key"),
    path("verifikasi/status/<int:number>.json", views.status_list, name="status_list"),
    path("verify/<str:code>", views.verify, name="verify"),
    path("verify/<str:code>/badge.json", views.badge, name="badge"),
    path("sertifikat-saya/", views.mine, name="mine"),
    path("sertifikat-saya/<int:pk>.pdf", views.mine_pdf, name="mine_pdf"),
    path("sertifikat-saya/<int:pk>/badge.json", views.mine_badge, name="mine_badge"),
]
