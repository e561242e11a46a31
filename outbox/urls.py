"""/emails/: the emails the service sends."""

from django.urls import path

from . import views

app_name = "emails"

urlpatterns = [
    path("", views.sent_emails, name="sent"),
    path("mine/", views.my_emails, name="mine"),
    path("<int:pk>/", views.email_detail, name="detail"),
    path("<int:pk>/html/", views.email_html, name="html"),
]
