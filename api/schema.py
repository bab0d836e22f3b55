"""OpenAPI details drf-spectacular cannot infer: the key scheme, filter types, error responses."""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
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


class RegistryFilterExtension(DjangoFilterExtension):
    """django-filter parameters, with the exact types our filters accept.

    A filter class may carry `openapi_schema` (ids: integers from 1; money: decimal
    strings); drf-spectacular alone writes `number` for both. `__in` filters keep it
    for their items. The filter's help text stays as the description.
    """

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        item = getattr(filter_field, "openapi_schema", None)
        if item is None:
            return parameters
        for parameter in parameters:
            if parameter["schema"].get("type") == "array":
                parameter["schema"]["items"] = dict(item)
            else:
                parameter["schema"] = dict(item)
        return parameters


# Components whose fields depend on the case (an error carries `errors` only for bad
# input): every other response component lists what the API always returns.
PARTIAL_COMPONENTS = frozenset({"Error"})


def postprocess_for_openapi_30(result, generator, request, public):
    """Make the document say what OpenAPI 3.0 validators and generated clients can use.

    - A nullable reference (`Company.sector`) comes out of drf-spectacular as
      `allOf: [$ref], nullable: true`, which 3.0 validators read as "never null" (3.0
      honours `nullable` only beside a `type`). It becomes `oneOf` the reference or null.
    - A blank-or-URL string (`website`) is `oneOf` a URL or "", and "" passes both for a
      validator that does not check formats, so `oneOf` fails: it becomes `anyOf`.
    - Every field of a response component is `required`: the API always returns it (with
      null or "" when empty), and generated clients otherwise type it as optional. A page's
      `count` is the exception: keyset (`cursor=`) pages leave it out.
    - An optional query parameter sent empty (`?updated_since=`, as HTML forms and some clients
      send an unset field) means "not given", so the document says `allowEmptyValue` rather
      than let a client believe an empty value is refused.
    """
    schemas = result.get("components", {}).get("schemas", {})
    for name, component in schemas.items():
        if name.endswith("Request") or name in PARTIAL_COMPONENTS:
            continue
        if component.get("type") == "object" and "properties" in component:
            always = set(component["properties"])
            if name.startswith("Paginated"):
                always.discard("count")
            component["required"] = sorted(always)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method != "get":
                continue
            for parameter in operation.get("parameters", ()):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    _rewrite_for_openapi_30(result)
    return result


BLANK_STRING = {"type": "string", "maxLength": 0}


def _rewrite_for_openapi_30(node):
    if isinstance(node, dict):
        if node.get("nullable") is True and len(node.get("allOf", ())) == 1:
            reference = node.pop("allOf")[0]
            node.pop("nullable")
            node["oneOf"] = [reference, {"type": "object", "nullable": True, "enum": [None]}]
        if BLANK_STRING in node.get("oneOf", ()):
            node["anyOf"] = node.pop("oneOf")
        for value in node.values():
            _rewrite_for_openapi_30(value)
    elif isinstance(node, list):
        for value in node:
            _rewrite_for_openapi_30(value)
