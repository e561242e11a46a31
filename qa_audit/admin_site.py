from django.conf import settings
from django.contrib import admin


class QAAdminSite(admin.AdminSite):
    site_header = f"{settings.SERVICE_NAME}: administration"
    site_title = settings.SERVICE_NAME
    index_title = "Administration"

    def has_permission(self, request):
        """Only people with the Administrator or QA Lead role reach the admin."""
        user = request.user
        return user.is_active and user.has_perm("accounts.access_admin")
