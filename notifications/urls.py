from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:notification_id>/read/", views.notification_read, name="read"),
    path("notifications/read/", views.notifications_read_all, name="read-all"),
    path("account/notifications/", views.email_preferences, name="preferences"),
]
