from django.contrib.auth import views as auth_views
from django.urls import path

from common import views

# Not namespaced: Django's auth views and LOGIN_URL expect these names.

urlpatterns = [
    path("", views.home, name="home"),
    path("accesso/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("uscita/", auth_views.LogoutView.as_view(), name="logout"),
    # Fund administrators' second factor (common.middleware.TwoFactorMiddleware).
    path("accesso/codice/", views.two_factor_verify, name="two_factor_verify"),
    path("accesso/autenticatore/", views.two_factor_setup, name="two_factor_setup"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/fatto/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Password reset by e-mail: the same answer whether the address is known or not, a link
    # that works once and for PASSWORD_RESET_TIMEOUT seconds.
    path(
        "password/dimenticata/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/dimenticata/inviata/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/nuova/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/nuova/fatto/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
