"""The public front door (/public/): one page from which every public service is reached.

Sections are a list, like the staff menu: an entry whose URL name does not resolve (an app
that is not installed) is left out, so the portal never links to a 404.
"""

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class PortalEntry:
    label: str
    url_name: str
    text: str


SECTIONS = [
    PortalEntry(
        "办事指南", "public_catalog:items", "按部门、类型查找政务服务事项，查看办事指南并在线申请"
    ),
    PortalEntry("办件进度查询", "public_cases:progress", "凭办件编号和手机号后四位查询办理进度"),
    PortalEntry("一事联办进度", "public_joint:progress", "一件事一次办的各部门办理进度"),
    PortalEntry("首席服务员名单", "public_grants:officers", "当前在任的首席服务员及其授权事项"),
    PortalEntry(
        "首席服务员审批服务事项清单", "public_catalog:lists", "各部门已公布的首席服务员事项清单"
    ),
    PortalEntry("政务服务首席专家", "public_experts:index", "首席专家名单、工作室"),
    PortalEntry(
        "公示与异议", "public_experts:notices", "首席专家推荐人选公示，可在公示期内提出异议"
    ),
    PortalEntry("人才绿色通道", "public_talents:items", "高层次人才绿色通道事项与服务窗口"),
]


def sections() -> list[dict]:
    found = []
    for entry in SECTIONS:
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        found.append({"label": entry.label, "url": url, "text": entry.text})
    return found


def portal(request):
    from zwfw.catalog.selectors import public_items

    popular = list(public_items().filter(high_frequency=True)[:8])
    return render(request, "core/portal.html", {"sections": sections(), "popular": popular})
