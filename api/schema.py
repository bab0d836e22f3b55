"""OpenAPI details drf-spectacular cannot infer: the key scheme and the error responses."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from api.exceptions import ErrorSerializer

from .permissions import IsPartnerOrStaff


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PartnerKeyAuthentication"
    name = "PartnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A partner key, sent as `Authorization: Api-Key <key>`.",
        }


class RegistryAutoSchema(AutoSchema):
    """Documents the JSON error bodies every operation can return (api.exceptions)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "404", "406", "429"]
        if any(isinstance(p, IsPartnerOrStaff) for p in self.view.get_permissions()):
            codes.append("403")
        if self.method == "POST":
            codes.append("403")  # a staff session without its CSRF token
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, direction=direction
                )
        # Errors are JSON whatever was asked for (the reports' CSV included), so their
        # bodies are declared as JSON only.
        for code, response in responses.items():
            content = response.get("content") if code.isdigit() and int(code) >= 400 else None
            if content and "application/json" in content:
                response["content"] = {"application/json": content["application/json"]}
        return dict(sorted(responses.items()))
