from django.urls import path

from vokasi.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.OutboxView.as_view(), name="outbox"),
    path("<int:pk>/kirim-ulang/", views.RetryView.as_view(), name="retry"),
]
