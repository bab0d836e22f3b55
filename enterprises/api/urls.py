from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import EnterpriseViewSet, PerformanceReportView, PlotViewSet

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("plots", PlotViewSet, basename="plot")

urlpatterns = [
    *router.urls,
    path("reports/performance/", PerformanceReportView.as_view(), name="report-performance"),
]
