"""OpenAPI schema helpers (apart from common.api, which DRF's settings import before
its views exist)."""

from drf_spectacular.openapi import AutoSchema


class OneObjectSchema(AutoSchema):
    """A figures endpoint answers one object, not a list, though the router calls its
    view ``list``."""

    def _is_list_view(self, serializer=None):
        return False


ERROR = {
    "type": "object",
    "description": "Why the request was refused: ``detail`` (a sentence), or, for a 400, "
    "each field's messages by the field's name.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
#: the answers every operation may give besides its own
ERROR_ANSWERS = {
    "400": "The parameters or the body are not valid: each field's messages.",
    "401": "The email and password given (HTTP Basic) are not right.",
    "403": "Not signed in, or not allowed to do this.",
    "404": "No such record among those you may see.",
}


def document_errors(result, generator, request, public):
    """drf-spectacular post-processing: every operation documents the error answers it
    may give (400, 401, 403, 404), each a JSON object, beside its own; and an optional
    filter given empty (``?month=``, as a form sends a blank field) means no filter."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_ANSWERS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
