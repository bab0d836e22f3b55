"""The public site: the zone catalogue, the interest form and the applicant's status page."""

from django.urls import path

from companies import views as company_views
from programme import open_data_views
from programme import views as programme_views
from zones import views as zone_views
from zones_project import public_pages

app_name = "public"

urlpatterns = [
    path("", programme_views.home, name="home"),
    path("zones/", zone_views.zone_list, name="zone-list"),
    path("zones/<slug:slug>/", zone_views.zone_detail, name="zone-detail"),
    path("register/", company_views.register, name="register"),
    path("register/done/", company_views.registration_done, name="registration-done"),
    path(
        "registrations/<str:token>/",
        company_views.registration_status,
        name="registration-status",
    ),
    path("privacy/", public_pages.privacy, name="privacy"),
    path("accessibility/", public_pages.accessibility, name="accessibility"),
    path("contact/", public_pages.contact, name="contact"),
    path("favicon.ico", public_pages.favicon, name="favicon"),
    path("data/", open_data_views.open_data_page, name="open-data"),
    path(
        "data/<slug:dataset>.<slug:extension>",
        open_data_views.open_data_file,
        name="open-data-file",
    ),
]
