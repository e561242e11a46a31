from django.conf import settings


def service(request):
    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "SESSION_IDLE_MINUTES": settings.SESSION_IDLE_MINUTES,
    }


def navigation(request):
    from .middleware import restricted_to
    from .navigation import navigation_for

    user = getattr(request, "user", None)
    if user is None:
        return {"nav_items": [], "restricted": False}
    return {
        "nav_items": navigation_for(user, request.path),
        # an Ambassador or a Data Protection Officer: no links to pages they cannot open
        "restricted": restricted_to(user) is not None,
    }
