"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path, reverse_lazy

from learnfrl import views
from learnfrl.accounts import emails
from learnfrl.accounts import views as accounts

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("account/", accounts.account, name="account"),
    path("account/delete/", accounts.account_delete_view, name="account_delete"),
    path("account/email/", accounts.account_email, name="account_email"),
    path("account/email/send/", emails.email_verify_send, name="email_verify_send"),
    path("account/email/verify/<str:token>/", emails.email_verify_view, name="email_verify"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_change/",
        accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # The admin logs in through the same page, so its limits cover staff accounts too.
    path("admin/login/", accounts.LoginView.as_view()),
    # The admin's own link to change a password: the same view as the site's (its wrong old
    # passwords counted, its browser kept known), for staff only, back to the admin after.
    path(
        "admin/password_change/",
        admin.site.admin_view(
            accounts.PasswordChangeView.as_view(
                success_url=reverse_lazy("admin:password_change_done")
            )
        ),
    ),
    path("admin/", admin.site.urls),
    path("", include("quizzes.urls")),
]

handler400 = "learnfrl.views.bad_request"
handler403 = "learnfrl.views.permission_denied"
handler404 = "learnfrl.views.page_not_found"
handler500 = "learnfrl.views.server_error"
