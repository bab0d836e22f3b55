"""The API's request parser."""

from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested too deeply to decode is a 400, not a 500.

    Python's json module gives up with RecursionError (not the ValueError DRF expects) at about
    a thousand levels, e.g. on a body of 100,000 `[`.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(
                "JSON parse error - the body is nested too deeply. Send a flat object as "
                "documented for this endpoint."
            ) from None
