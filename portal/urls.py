"""The portal's pages (/portal/). Sign-in, codes and two-factor are allauth's, at /accounts/."""

from django.urls import path

from .views import common, company, developer

app_name = "portal"

urlpatterns = [
    path("", common.home, name="home"),
    path("accept/<str:token>/", common.accept, name="accept"),
    path("claim/<str:token>/", common.claim, name="claim"),
    path("colleagues/", common.colleagues, name="colleagues"),
    path("documents/<int:pk>/", common.document_download, name="document"),
    path("registrations/", common.registration_list, name="registrations"),
    path("registrations/<str:reference>/", common.registration_detail, name="registration"),
    path(
        "registrations/<str:reference>/withdraw/",
        company.registration_withdraw,
        name="registration-withdraw",
    ),
    path("licences/", common.licence_list, name="licences"),
    path("licences/<int:pk>/", common.licence_detail, name="licence"),
    path("licences/<int:pk>/renew/", company.licence_renew, name="licence-renew"),
    path("plots/", common.plot_list, name="plots"),
    path("plots/<int:pk>/occupy/", developer.plot_occupy, name="plot-occupy"),
    path("returns/", common.return_list, name="returns"),
    path("returns/<int:pk>/", common.return_detail, name="return"),
    path("zones/", developer.zone_list, name="zones"),
    path("zones/<slug:slug>/", developer.zone_detail, name="zone"),
    path("compliance/", developer.compliance, name="compliance"),
]
