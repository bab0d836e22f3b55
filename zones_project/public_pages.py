"""The public site's trust pages (privacy, accessibility, contact) and /favicon.ico."""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.views.generic import TemplateView


class TrustPageView(TemplateView):
    """A static page that names the authority and its retention period from the settings."""

    def get_context_data(self, **kwargs):
        # Read per request, not at import, so that the environment and test overrides apply.
        return super().get_context_data(
            authority={
                "name": settings.AUTHORITY_NAME,
                "email": settings.AUTHORITY_EMAIL,
                "phone": settings.AUTHORITY_PHONE,
                "address": settings.AUTHORITY_ADDRESS,
            },
            contact_retention_days=settings.CONTACT_RETENTION_DAYS,
            **kwargs,
        )


privacy = TrustPageView.as_view(template_name="public/privacy.html")
accessibility = TrustPageView.as_view(template_name="public/accessibility.html")
contact = TrustPageView.as_view(template_name="public/contact.html")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the SVG icon.

    The unhashed static name, not the manifest's hashed one: a permanent redirect is cached
    for good, and the hashed name changes whenever the icon does.
    """
    return HttpResponsePermanentRedirect(f"{settings.STATIC_URL}img/favicon.svg")
