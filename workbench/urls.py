from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

# LoginRequiredMiddleware asks every view for a signed-in user; these are public: the sign-in
# page (public in Django already), signing out, the language menu (the sign-in page has it)
# and the favicon. The admin signs in by its own page.
urlpatterns = [
    # Browsers and feed readers ask for /favicon.ico whatever the page says.
    path(
        "favicon.ico",
        login_not_required(
            RedirectView.as_view(url=static("editions/favicon.svg"), permanent=True)
        ),
    ),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("editions.urls")),
]
