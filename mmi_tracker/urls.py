from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from cases.forms.accounts import LoginForm
from cases.urls import calculator_endpoints
from cases.views import accounts


class Favicon(RedirectView):
    """Where browsers look for an icon on pages that name none (the admin, a PDF)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("favicon.svg")


urlpatterns = [
    path("favicon.ico", login_not_required(Favicon.as_view()), name="favicon"),
    path("login/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", accounts.PasswordChange.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("api/calculators/", include(calculator_endpoints)),
    path("api/", include("api.urls")),
    path("", include("deliveries.urls")),
    path("", include("diaries.urls")),
    path("", include("notifications.urls")),
    path("", include("notes.urls")),
    path("", include("questionnaires.urls")),
    path("", include("patient_links.urls")),
    path("", include("outside_records.urls")),
    path("", include("cases.urls")),
]

handler400 = "mmi_tracker.error_views.bad_request"
handler403 = "mmi_tracker.error_views.permission_denied"
handler404 = "mmi_tracker.error_views.page_not_found"
handler500 = "mmi_tracker.error_views.server_error"
