from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def audit_form(request, pk):
    return HttpResponse(status=501)
