from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, but an unknown `?format=` is a 406 that names the formats on offer."""

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            offered = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise exceptions.NotAcceptable(
                f"Unknown format “{format}”. This endpoint offers: {offered}."
            )
        return matching
