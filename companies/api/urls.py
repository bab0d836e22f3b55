from rest_framework.routers import SimpleRouter

from .views import CompanyViewSet, InterestRegistrationViewSet

router = SimpleRouter()
router.register("companies", CompanyViewSet, basename="company")
router.register("interests", InterestRegistrationViewSet, basename="interest")

urlpatterns = router.urls
