from django.contrib import admin
from django.urls import include, path

from zwfw.api import api
from zwfw.core.health import healthz

admin.site.site_header = admin.site.site_title = "政务服务首席服务平台 管理后台"

urlpatterns = [
    path("healthz", healthz, name="healthz"),  # load balancers: no query (core.health)
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("org/", include("zwfw.org.urls")),
    path("workdays/", include("zwfw.workdays.urls")),
    path("catalog/", include("zwfw.catalog.urls")),
    path("grants/", include("zwfw.grants.urls")),
    path("cases/", include("zwfw.cases.urls")),
    path("joint-cases/", include("zwfw.cases.joint_urls")),  # 一事联办 (issue 12 point 3)
    path("windows/", include("zwfw.windows.urls")),  # 无差别综合窗口 (issue 12 point 4)
    path("notifications/", include("zwfw.notifications.urls")),
    path("evaluations/", include("zwfw.evaluations.urls")),
    path("supervision/", include("zwfw.supervision.urls")),
    path("experts/", include("zwfw.experts.urls")),  # 首席专家 (issue 13, seed 000)
    path("staff/", include("zwfw.staff.urls")),  # 进驻人员 (issue 14, seed 002)
    path("talents/", include("zwfw.talents.urls")),  # 人才服务 (issue 15, seed 003)
    # Public pages (no login): item lists, guides, published lists, name lists.
    path("public/", include("zwfw.portal_urls")),
    path("", include("zwfw.core.urls")),
]
