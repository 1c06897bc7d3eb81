"""What the applicant is told by SMS at each step (through the notifications outbox).

Texts name the case number and what to do next; never a staff member's name or the
applicant's data beyond what they gave.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from zwfw.cases.models import Case

_held: ContextVar[bool] = ContextVar("cases_sms_held", default=False)


@contextmanager
def held():
    """While a joint case's action runs on its parts, the parts' own texts are held back: the
    applicant gets one SMS for the whole application, sent by the joint service."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def _head(case: Case) -> str:
    return f"【{case.center.name}】您申请的“{case.item.name}”（办件编号{case.number}）"


def sms(case: Case, kind: str, text: str) -> None:
    """Queue one SMS to the applicant; it leaves after the transaction commits."""
    from zwfw.notifications.services import queue_sms

    if _held.get():
        return

    queue_sms(phone=case.phone, text=text, kind=kind, ref=case.number, department=case.department)


SMS_PART_CHARS = 120


def _brief(text: str, more: str = "……（详见通知书）") -> str:
    """A reason or a list inside an SMS: its opening words. The page and the PDF carry the
    whole text, so a long reason is never refused for the SMS's length (issue 16 point 7)."""
    text = " ".join((text or "").split())
    return text if len(text) <= SMS_PART_CHARS else text[:SMS_PART_CHARS] + more


def received_text(case: Case) -> str:
    return f"{_head(case)}已收件，可凭办件编号和手机号后四位在政务服务网查询办理进度。"


def acceptance_text(case: Case) -> str:
    due = f"，承诺于{case.due_date:%Y年%m月%d日}前办结" if case.due_date else ""
    deemed = "（逾期未告知，视为自收件之日起受理）" if case.deemed_accepted else ""
    return f"{_head(case)}已于{case.accepted_on:%Y年%m月%d日}受理{deemed}{due}。"


def refusal_text(case: Case) -> str:
    return (
        f"{_head(case)}不予受理，理由：{_brief(case.refusal_reason)}。请凭办件编号查询不予受理"
        "通知书；如不服，可依法申请行政复议或提起行政诉讼。"
    )


def supplement_notice_text(case: Case, names: list[str]) -> str:
    listed = _brief("、".join(names), f"……等{len(names)}项（详见一次性告知书）")
    return (
        f"{_head(case)}需一次性补正以下材料：{listed}。请凭办件编号和手机号后四位查询"
        "一次性告知书，补齐后办理时间自补正齐全之日起计算。"
    )


def supplemented_text(case: Case) -> str:
    return f"{_head(case)}补正材料已收齐，我们将依法作出是否受理的决定。"


def pause_text(case: Case, reason_label: str) -> str:
    return (
        f"{_head(case)}因{reason_label}自{case.paused_since:%Y年%m月%d日}起暂停计时，"
        "所需时间不计入办理时限（行政许可法第45条）。"
    )


def resume_text(case: Case) -> str:
    return f"{_head(case)}已恢复计时，办理期限为{case.due_date:%Y年%m月%d日}。"


def extension_text(case: Case, days: int, reason: str) -> str:
    return (
        f"{_head(case)}经批准延长{days}个工作日，理由：{_brief(reason)}。"
        f"办理期限延至{case.due_date:%Y年%m月%d日}。"
    )


def decision_text(case: Case) -> str:
    word = "准予许可" if case.result == "approve" else "不予许可"
    return f"{_head(case)}已于{case.decided_on:%Y年%m月%d日}作出{word}的决定。"


def ready_text(case: Case) -> str:
    return f"{_head(case)}已办结，请携带有效证件到{case.center.name}领取办理结果。"


def closed_text(case: Case, word: str) -> str:
    return f"{_head(case)}已{word}，原因：{_brief(case.closed_reason)}。"
