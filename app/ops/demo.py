"""Demo departments and catalog for the embedded default (`zwfw-credit serve --demo`).

Loaded through the same services an admin uses, so the data is validated and audited;
entries already present are left alone.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.catalog.repository import CatalogRepository
from app.catalog.schemas import MatterCreate
from app.catalog.service import create_matter
from app.departments.repository import DepartmentRepository
from app.departments.schemas import DepartmentCreate
from app.departments.service import create_department
from app.web.auth import Principal, Role

logger = logging.getLogger("app.demo")

DEMO_PRINCIPAL = Principal(sub="system:demo-data", roles=frozenset({Role.admin}), department=None)

# Each city's departments apply its own text (DZ art. 2 ¶1 本市行政区域内; LZ §3
# 临淄区范围内), named here so that a deployment's ZWFW_PROFILE does not change the demo.
_DZ, _LZ = "dezhou-2023", "linzi-2022"
DEPARTMENTS: list[dict[str, Any]] = [
    {
        "code": "371400-SPJ",
        "name": "德州市行政审批服务局",
        "contact_phone": "0534-2688000",
        "profile": _DZ,
    },
    {
        "code": "371400-SCJ",
        "name": "德州市市场监督管理局",
        "contact_phone": "0534-2311000",
        "profile": _DZ,
    },
    {
        "code": "371400-WJW",
        "name": "德州市卫生健康委员会",
        "contact_phone": "0534-2622000",
        "profile": _DZ,
    },
    {
        "code": "371400-ZJJ",
        "name": "德州市住房和城乡建设局",
        "contact_phone": "0534-2671000",
        "profile": _DZ,
    },
    {
        "code": "370305-XZSP",
        "name": "临淄区行政审批服务局",
        "contact_phone": "0533-7180000",
        "profile": _LZ,
    },
    {
        "code": "370305-JTJ",
        "name": "临淄区交通运输局",
        "contact_phone": "0533-7210000",
        "profile": _LZ,
    },
]

# What a breach costs, by the agency's city: DZ art. 15 ¶1 in Dezhou, LZ §5(1)2 in Linzi.
_LIABILITY = {
    "3714": "申请人作出不实承诺或未履行承诺的，依法终止办理或撤销办理结果，限制其享受容缺受理、"
    "告知承诺等便利化服务，并依法承担相应法律责任。",
    "3703": "申请人作出不实承诺或未履行承诺的，依法终止办理或撤销办理结果，"
    "列入政务服务失信制约名单，并依法承担相应法律责任。",
}
_POWER = "政务服务实施机关有权对申请人的承诺内容进行在线核查、现场核查或请求协助核查。"
_WD = "working_days"
# The demo catalog is in effect from the start of 2026 (Asia/Shanghai).
_EFFECTIVE_FROM = "2026-01-01T00:00:00+08:00"

MATTERS: list[dict[str, Any]] = [
    {
        "code": "371400-SPJ-001",
        "name": "食品经营许可（新办）",
        "agency_department": "371400-SPJ",
        "regulator_department": "371400-SCJ",
        "onsite_verification_department": "371400-SCJ",
        "legal_basis": "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        "modes": {
            "tolerance": {
                "tolerable_missing_materials": ["食品安全管理制度文本", "主要设备设施布局图"],
                "supplement_deadline": {"amount": 10, "unit": _WD},
                "submission_method": "德州市政务服务中心窗口或山东政务服务网在线提交",
            },
            "notify_commit": {
                "conditions": "具有与经营的食品品种、数量相适应的经营场所和设施设备",
                "material_requirements": ["食品经营许可申请书", "营业执照", "法定代表人身份证明"],
                "completion_limit": {"amount": 0, "unit": _WD},
                "verification_limit": {"amount": 20, "unit": _WD},
                "verification_methods": ["online", "onsite"],
            },
        },
    },
    {
        "code": "371400-SPJ-002",
        "name": "公共场所卫生许可",
        "agency_department": "371400-SPJ",
        "regulator_department": "371400-WJW",
        "onsite_verification_department": "371400-WJW",
        "legal_basis": "《公共场所卫生管理条例》第八条",
        "modes": {
            "notify_commit": {
                "conditions": "公共场所卫生设施、布局符合卫生标准和要求",
                "material_requirements": ["卫生许可申请表", "场所平面布局图", "卫生管理制度"],
                "completion_limit": {"amount": 0, "unit": _WD},
                "verification_limit": {"amount": 30, "unit": _WD},
                "verification_methods": ["onsite"],
            },
            "green_channel": {"services": ["快速办理", "专人帮办"]},
        },
    },
    {
        "code": "371400-SPJ-003",
        "name": "建筑工程施工许可",
        "agency_department": "371400-SPJ",
        "regulator_department": "371400-ZJJ",
        "onsite_verification_department": "371400-ZJJ",
        "legal_basis": "《中华人民共和国建筑法》第七条；《建筑工程施工许可管理办法》",
        "modes": {
            "tolerance": {
                "tolerable_missing_materials": ["施工图设计文件审查合格书"],
                "supplement_deadline": {"amount": 15, "unit": _WD},
                "submission_method": "工程建设项目审批管理系统在线提交",
            }
        },
    },
    {
        "code": "371400-SPJ-004",
        "name": "药品零售企业经营许可",
        "agency_department": "371400-SPJ",
        "regulator_department": "371400-SCJ",
        "legal_basis": "《中华人民共和国药品管理法》第五十一条",
        "excluded_categories": ["personal_health_life_property"],
        "modes": {},
        "other_notice": "直接关系人身健康，不适用信用便利化办理（德州办法第二条第二款）。",
    },
    {
        "code": "371400-WJW-001",
        "name": "医疗机构执业登记（诊所备案）",
        "agency_department": "371400-WJW",
        "regulator_department": "371400-WJW",
        "legal_basis": "《医疗机构管理条例》第十五条",
        "modes": {
            "tolerance": {
                "tolerable_missing_materials": ["诊所规章制度"],
                "supplement_deadline": {"amount": 5, "unit": _WD},
                "submission_method": "德州市卫生健康委员会窗口提交",
            }
        },
    },
    {
        "code": "370305-XZSP-001",
        "name": "个体工商户设立登记",
        "agency_department": "370305-XZSP",
        "regulator_department": "370305-XZSP",
        "legal_basis": "《促进个体工商户发展条例》；《中华人民共和国市场主体登记管理条例》",
        "modes": {
            "green_channel": {"services": ["快速办理", "专人帮办", "免费代办"]},
            "tolerance": {
                "tolerable_missing_materials": ["经营场所使用证明"],
                "supplement_deadline": {"amount": 5, "unit": _WD},
                "submission_method": "临淄区政务服务中心窗口提交",
            },
        },
    },
    {
        "code": "370305-XZSP-002",
        "name": "道路货物运输经营许可（普通货运）",
        "agency_department": "370305-XZSP",
        "regulator_department": "370305-JTJ",
        "onsite_verification_department": "370305-JTJ",
        "legal_basis": "《中华人民共和国道路运输条例》第二十四条",
        "modes": {
            "notify_commit": {
                "conditions": "有与其经营业务相适应并经检测合格的车辆",
                "material_requirements": ["道路货物运输经营申请表", "车辆行驶证"],
                "completion_limit": {"amount": 5, "unit": _WD},
                "verification_limit": {"amount": 3, "unit": "months"},
                "verification_methods": ["online", "onsite", "assisted"],
            }
        },
    },
]


async def load_demo(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    """Insert the demo departments and matters not yet present; returns how many were added."""
    added = 0
    now = datetime.now(UTC)
    async with sessionmaker() as session:
        departments = DepartmentRepository(session)
        for entry in DEPARTMENTS:
            if await departments.get(entry["code"]) is None:
                department = DepartmentCreate(region_code=entry["code"][:6], **entry)
                await create_department(session, DEMO_PRINCIPAL, department, None)
                added += 1
        catalog = CatalogRepository(session)
        for entry in MATTERS:
            if await catalog.get_matter(entry["code"]) is None:
                matter = MatterCreate.model_validate(
                    {
                        "legal_liability": _LIABILITY[entry["agency_department"][:4]],
                        "verification_power": _POWER,
                        "effective_from": _EFFECTIVE_FROM,
                        **entry,
                    }
                )
                await create_matter(session, DEMO_PRINCIPAL, matter, now)
                added += 1
        await session.commit()
    if added:
        logger.info("demo data loaded", extra={"rows": added})
    return added
