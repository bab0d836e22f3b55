from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import CompaniesReportView, InvestmentReportView, PledgeViewSet, RolloutReportView

router = SimpleRouter()
router.register("pledges", PledgeViewSet, basename="pledge")

urlpatterns = [
    *router.urls,
    path("reports/rollout/", RolloutReportView.as_view(), name="report-rollout"),
    path("reports/investment/", InvestmentReportView.as_view(), name="report-investment"),
    path("reports/companies/", CompaniesReportView.as_view(), name="report-companies"),
]
