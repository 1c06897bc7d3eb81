import datetime

from ninja import Router, Schema

from zwfw.core import services

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
