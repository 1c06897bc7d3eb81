"""Valid item data and items made through the services (so versions and audit exist)."""

import itertools

from zwfw.catalog import services

_seq = itertools.count(1)


def item_data(**overrides) -> dict:
    n = next(_seq)
    data = {
        "code": f"T{n:06d}",
        "name": f"测试许可事项{n}",
        "handling_name": "新设",
        "item_type": "license",
        "legal_basis": "《中华人民共和国行政许可法》",
        "legal_limit_days": 20,
        "promised_limit_days": 5,
        "immediate": False,
        "high_frequency": False,
        "chief_list_included": True,
        "fee": "不收费",
        "conditions": "申请人为依法设立的企业",
        "materials": [
            {"name": "申请书", "required": True, "original": True, "copies": 1},
            {"name": "营业执照", "required": True, "original": False, "copies": 1},
        ],
        "steps": [
            {"name": "受理", "post": "窗口受理岗", "days": 1},
            {"name": "审查", "post": "审查岗", "days": 1},
            {"name": "决定", "post": "首席服务员", "days": 0},
        ],
    }
    data.update(overrides)
    return data


def make_item(by, department, **overrides):
    return services.create_item(by=by, department=department, data=item_data(**overrides))
