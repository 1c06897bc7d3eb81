import datetime

from ninja import Router, Schema

from zwfw.core import services
from zwfw.core.api import BearerAuth, ErrorOut

router = Router(tags=["认证"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: datetime.datetime


@router.post("/auth/token", response=TokenOut, auth=None, summary="获取接口令牌")
def token(request, payload: TokenIn):
    plain, token = services.issue_api_token(
        request=request, username=payload.username, password=payload.password
    )
    return {"token": plain, "expires_at": token.expires_at}


@router.post(
    "/auth/token/revoke",
    response={204: None, 401: ErrorOut},
    auth=BearerAuth(),
    summary="注销接口令牌",
    description=(
        "立即注销请求头 `Authorization: Bearer <令牌>` 中出示的令牌，此后该令牌一律返回 401。"
        "只注销这一个令牌；同一账号的其他令牌不受影响。账号被停用，或登录失败次数达到账号上限"
        "（全部来源累计）而被锁定时，其全部令牌立即失效。"
    ),
)
def revoke_token(request):
    plain = request.headers.get("Authorization", "").partition(" ")[2].strip()
    services.revoke_api_token(user=request.user, plain=plain)
    return 204, None
