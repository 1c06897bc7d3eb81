"""One NinjaAPI at /api/v1/ mounting every app's router."""

from zwfw.cases.api import router as cases_router
from zwfw.cases.joint_api import router as joint_router
from zwfw.catalog.api import router as catalog_router
from zwfw.core.api import make_api
from zwfw.core.auth_api import router as auth_router
from zwfw.evaluations.api import router as evaluations_router
from zwfw.experts.api import router as experts_router
from zwfw.grants.api import router as grants_router
from zwfw.org.api import router as org_router
from zwfw.staff.api import router as staff_router
from zwfw.supervision.api import router as supervision_router
from zwfw.talents.api import router as talents_router
from zwfw.workdays.api import router as workdays_router

api = make_api(
    title="政务服务首席服务平台 API",
    version="1",
    urls_namespace="api",
    description="政务服务首席服务平台对外接口。错误响应统一为 {code, message, field}。",
)
api.add_router("", auth_router)
api.add_router("", org_router)
api.add_router("", workdays_router)
api.add_router("", catalog_router)
api.add_router("", grants_router)
# Before cases: its catch-all /cases/{number}/{action} would shadow /cases/{number}/evaluation.
api.add_router("", evaluations_router)
api.add_router("", cases_router)
api.add_router("", joint_router)  # 一事联办 (issue 12 point 3)
api.add_router("", supervision_router)
api.add_router("", experts_router)  # 首席专家 (issue 13)
api.add_router("", staff_router)  # 进驻人员 (issue 14)
api.add_router("", talents_router)  # 人才服务 (issue 15)
