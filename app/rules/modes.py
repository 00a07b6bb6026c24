"""Facilitation modes (便利化办理方式, DZ art. 7; LZ §4(2)); ``app.rules.profiles`` names the
modes each profile offers."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Mode(StrEnum):
    """Facilitation mode (便利化办理方式)."""

    GREEN_CHANNEL = "green_channel"  # 绿色通道 (LZ §4(2)1)
    TOLERANCE = "tolerance"  # 容缺受理 / 容缺办理 (DZ art. 7 ¶2)
    NOTIFY_COMMIT = "notify_commit"  # 告知承诺 / 承诺即入 (DZ art. 7 ¶3)

    @property
    def label_zh(self) -> str:
        return _MODE_LABELS_ZH[self]


_MODE_LABELS_ZH: Final[dict[Mode, str]] = {
    Mode.GREEN_CHANNEL: "绿色通道",
    Mode.TOLERANCE: "容缺受理",
    Mode.NOTIFY_COMMIT: "告知承诺",
}
