"""The bare-Django floor of each API list: the same page through `JsonResponse(.values())`.

bench/run.py serves these beside the real API (`bench.settings` puts them in front of the
project's URLs) and times them over HTTP in the same run, so `× bare` is what DRF, its
serializers, filters and pagination add to a plain Django view doing the same database work:
the list's own queryset (its select_related and annotated totals; `.values()` drops the
prefetches), ordered as the list is, with the page count DRF's paginator sends. The project's
middleware (sessions, locale, ETags, replica routing) runs for both, so it is in neither
ratio. No authentication: the key look-up is one indexed query, in the API's figure only.
"""

from django.http import Http404, JsonResponse
from django.urls import include, path

from companies.api.views import CompanyViewSet, InterestRegistrationViewSet
from investments.api.views import PledgeViewSet
from zones.api.views import IncentiveViewSet, ZoneDeveloperViewSet, ZoneViewSet
from zones_project.urls import handler500  # noqa: F401 - the project's 500 page here too

PAGE_SIZE = 100
PREFIX = "/bench-bare/"

# The API list each bare view stands beside (bench/run.py's endpoint names).
VIEWSETS = {
    "api zones": ZoneViewSet,
    "api developers": ZoneDeveloperViewSet,
    "api incentives": IncentiveViewSet,
    "api companies": CompanyViewSet,
    "api interests": InterestRegistrationViewSet,
    "api pledges": PledgeViewSet,
}


def slug(name):
    return name.replace(" ", "-")


BY_SLUG = {slug(name): viewset for name, viewset in VIEWSETS.items()}


def path_for(name):
    return f"{PREFIX}{slug(name)}/" if name in VIEWSETS else None


def bare_list(request, name):
    viewset = BY_SLUG.get(name)
    if viewset is None:
        raise Http404(name)
    queryset = viewset.queryset.prefetch_related(None).order_by(*viewset.ordering)
    return JsonResponse({
        "count": queryset.count(),
        "results": list(queryset.values()[:PAGE_SIZE]),
    })  # fmt: skip


urlpatterns = [
    path(f"{PREFIX.strip('/')}/<slug:name>/", bare_list),
    path("", include("zones_project.urls")),
]
