from django.urls import path

from common.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("preferenze/", views.preferences, name="preferences"),
    path("lette/", views.notifications_mark_all_read, name="mark_all_read"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/letta/", views.notification_mark_read, name="mark_read"),
]
