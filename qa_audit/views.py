from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def accessibility(request):
    return render(request, "pages/accessibility.html")


@require_GET
def privacy(request):
    return render(request, "pages/privacy.html")
