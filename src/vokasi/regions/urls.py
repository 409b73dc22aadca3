from django.urls import path, re_path

from vokasi.regions import views

app_name = "regions"

# Undotted Kemendagri codes only: 2, 4, 6 or 10 digits. Anything else is a 404.
_CODE = r"(?P<code>[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10})"

urlpatterns = [
    path("", views.region_list, name="provinces"),
    re_path(rf"^{_CODE}/$", views.region_list, name="children"),
]
