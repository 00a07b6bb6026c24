"""Masking of personal data (PIPL; docs/domain.md section 7): names and citizen ID numbers.

Organisation names and USCCs are public by law and shown in full.
"""

from __future__ import annotations

import re

from app.core.identifiers import SubjectType, normalize
from app.web.auth import Role, viewer_var

# Roles whose work needs a person's identity in full (window, platform, verification,
# supervision, catalog administration). Auditors review actions, not people.
FULL_IDENTITY_ROLES = frozenset(
    {Role.clerk, Role.platform, Role.verifier, Role.regulator, Role.admin}
)

_MASK = "*"


def mask_name(name: str) -> str:
    """张三丰 -> 张*丰; 张三 -> 张*; a single character stays hidden: *."""
    if len(name) <= 1:
        return _MASK
    if len(name) == 2:
        return name[0] + _MASK
    return name[0] + _MASK * (len(name) - 2) + name[-1]


def mask_resident_id(number: str) -> str:
    """370102198506121234 -> 3701**********1234: region prefix and last four only."""
    if len(number) <= 8:
        return _MASK * len(number)
    return number[:4] + _MASK * (len(number) - 8) + number[-4:]


def masked_identity(subject_type: str, name: str, id_number: str) -> tuple[str, str]:
    """The name and number as shown to someone who does not need them in full."""
    if subject_type == SubjectType.person:
        return mask_name(name), mask_resident_id(id_number)
    return name, id_number


def viewer_needs_identity() -> bool:
    viewer = viewer_var.get()
    return viewer is None or viewer.has_any(FULL_IDENTITY_ROLES)


def present_identity(subject_type: str, name: str, id_number: str) -> tuple[str, str]:
    """The name and number as the current viewer may see them."""
    if viewer_needs_identity():
        return name, id_number
    return masked_identity(subject_type, name, id_number)


# Identifier shapes that may reach a log line: a 居民身份证号码 of 18 characters (GB
# 11643-1999) or of 15 digits (the first generation), and a 统一社会信用代码 (GB 32100-2015).
_IDENTIFIER = re.compile(
    r"\d{17}[\dX]|\d{15}|[1-9ANY][0-9A-HJ-NPQRTUWXY]\d{6}[0-9A-HJ-NPQRTUWXY]{10}"
)
# Inside a longer part: an ID number is a run of exactly 15 or 18 digits (the last may be
# X) wherever it stands; a USCC, whose letters could be a word's, stands alone.
_EMBEDDED_IDENTIFIER = re.compile(
    r"(?<!\d)(?:\d{17}[\dX]|\d{15})(?!\d)"
    r"|(?<![0-9A-Z])[1-9ANY][0-9A-HJ-NPQRTUWXY]\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"([/?&=,;:])")


def mask_identifiers(text: str) -> str:
    """Every ID number or USCC in ``text`` masked as :func:`mask_resident_id` does, for
    log lines (a log needs no identity). A part between separators (``/ ? & = , ; :``)
    that is an identifier once spaces, hyphens and case are set aside, as the routes
    accept it, is masked whole; so is one standing inside a longer part."""
    parts = _SEPARATORS.split(text)
    for index, part in enumerate(parts):
        candidate = normalize(part)
        if _IDENTIFIER.fullmatch(candidate):
            parts[index] = mask_resident_id(candidate)
    return _EMBEDDED_IDENTIFIER.sub(lambda match: mask_resident_id(match.group(0)), "".join(parts))
