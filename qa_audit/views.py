from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .my_work import my_work_for, purposes_for


@login_required
@require_GET
def home(request):
    """My work: what needs the signed-in person now, gathered from every app."""
    return render(
        request,
        "home.html",
        {"sections": my_work_for(request.user), "purposes": purposes_for(request.user)},
    )


@require_GET
def accessibility(request):
    return render(
        request,
        "pages/accessibility.html",
        {"ACCESSIBILITY_CONTACT_EMAIL": settings.ACCESSIBILITY_CONTACT_EMAIL},
    )


@require_GET
def privacy(request):
    return render(request, "pages/privacy.html")
