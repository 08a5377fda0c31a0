"""Root URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from learnfrl import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("quizzes.urls")),
]

handler400 = "learnfrl.views.bad_request"
handler403 = "learnfrl.views.permission_denied"
handler404 = "learnfrl.views.page_not_found"
handler500 = "learnfrl.views.server_error"
