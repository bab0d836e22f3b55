from django.urls import path
from rest_framework.routers import SimpleRouter

from .changes import ChangeCursorView, ChangeFeedView
from .deletions import DeletionViewSet
from .views import CompaniesReportView, InvestmentReportView, RolloutReportView

router = SimpleRouter()
router.register("deletions", DeletionViewSet, basename="deletion")

urlpatterns = [
    *router.urls,
    path("changes/", ChangeFeedView.as_view(), name="changes"),
    path("changes/cursor/", ChangeCursorView.as_view(), name="changes-cursor"),
    path("reports/rollout/", RolloutReportView.as_view(), name="report-rollout"),
    path("reports/investment/", InvestmentReportView.as_view(), name="report-investment"),
    path("reports/companies/", CompaniesReportView.as_view(), name="report-companies"),
]
