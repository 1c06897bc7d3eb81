from django.conf import settings

from zwfw.core.permissions import roles_of


def site(request):
    return {"site_name": settings.SITE_NAME, "user_roles": roles_of(request.user)}
