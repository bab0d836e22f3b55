from rest_framework.routers import SimpleRouter

from .views import PledgeViewSet

router = SimpleRouter()
router.register("pledges", PledgeViewSet, basename="pledge")

urlpatterns = router.urls
