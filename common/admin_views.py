"""What the admin pages of several apps share."""

from rules.contrib.admin import ObjectPermissionsModelAdmin


class ReadOnlyAdmin(ObjectPermissionsModelAdmin):
    """A record kept as it was written: listed and opened, never added, changed or
    deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
