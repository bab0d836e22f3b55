from rest_framework.routers import SimpleRouter

from .views import IncentiveViewSet, ZoneDeveloperViewSet, ZoneViewSet

router = SimpleRouter()
router.register("zones", ZoneViewSet, basename="zone")
router.register("developers", ZoneDeveloperViewSet, basename="developer")
router.register("incentives", IncentiveViewSet, basename="incentive")

urlpatterns = router.urls
