"""OpenAPI schema helpers (apart from common.api, which DRF's settings import before
its views exist)."""

from drf_spectacular.openapi import AutoSchema


class OneObjectSchema(AutoSchema):
    """A figures endpoint answers one object, not a list, though the router calls its
    view ``list``."""

    def _is_list_view(self, serializer=None):
        return False
