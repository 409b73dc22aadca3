from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from vokasi.core.views import healthz
from vokasi.portal.account_views import LoginView

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("backoffice/pesan/", include("vokasi.notifications.urls")),
    path("backoffice/", include("vokasi.backoffice.urls")),
    path("wilayah/", include("vokasi.regions.urls")),
    path("", include("vokasi.certificates.urls")),
    path("tracer/", include("vokasi.placement.urls")),
    path("", include("vokasi.portal.urls")),
]
