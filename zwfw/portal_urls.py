"""Public pages, no login. Each app adds its public views here under its own prefix."""

from django.urls import include, path

from zwfw.core.portal import portal

urlpatterns = [
    path("", portal, name="portal"),  # the public front door (issue 16 point 1)
    path("catalog/", include(("zwfw.catalog.public_urls", "public_catalog"))),
    path("grants/", include(("zwfw.grants.public_urls", "public_grants"))),
    path("cases/", include(("zwfw.cases.public_urls", "public_cases"))),
    path("joint/", include("zwfw.cases.joint_public_urls")),  # 一事联办 progress (issue 12 point 3)
    path("experts/", include("zwfw.experts.public_urls")),  # issue 13
    path("talents/", include("zwfw.talents.public_urls")),  # issue 15
    path("rate/", include(("zwfw.evaluations.public_urls", "public_evaluations"))),
]
