"""The browsable API (Django REST framework's HTML pages, such as /api/) under our
content security policy.

DRF's templates put ``style="…"`` attributes on some buttons and the syntax-highlighting
CSS in a ``<style>`` element. Only for these HTML pages, the policy allows inline style
attributes (they cannot run script), and the one ``<style>`` element carries the
request's nonce (templates/rest_framework/api.html). Scripts stay 'self' only.
"""

from csp.constants import NONCE
from rest_framework import renderers

BROWSABLE_API_CSP = {"style-src": [NONCE], "style-src-attr": ["'unsafe-inline'"]}


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = {**getattr(response, "_csp_update", {}), **BROWSABLE_API_CSP}
        return super().render(data, accepted_media_type, renderer_context)
