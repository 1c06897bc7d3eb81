"""Public pages, no login. Each app adds its public views here under its own prefix."""

from django.urls import include, path

urlpatterns = [
    path("catalog/", include(("zwfw.catalog.public_urls", "public_catalog"))),
    path("grants/", include(("zwfw.grants.public_urls", "public_grants"))),
    path("cases/", include(("zwfw.cases.public_urls", "public_cases"))),
    path("rate/", include(("zwfw.evaluations.public_urls", "public_evaluations"))),
]
