"""自由文本 (free text): the one string type of every free-text field of a request.

Names, addresses, reasons, descriptions, facts, references, notes and titles all take
``Annotated[str, text(n)]``. The type

- bounds the length (``minLength``/``maxLength`` in the OpenAPI document); ``n`` is the
  length of the column the value is stored in, so a value that passes always fits it;
- refuses every control character (Unicode category Cc: U+0000-U+001F, U+007F-U+009F),
  NUL included, with the field error ``control_character``; a ``multiline`` field keeps
  line feed, carriage return and tab;
- like every ``str`` of a request, refuses a lone surrogate (U+D800-U+DFFF), which JSON's
  ``\\ud800`` escape can carry but no UTF-8 text can hold (pydantic's ``string_unicode``).

Identifiers with validators of their own (ID numbers, codes with a pattern) keep them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

CONTROL_CHARACTER = "control_character"

# Category Cc is exactly these two ranges (tests/test_text.py checks it against unicodedata).
_SINGLE_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f]")
_MULTILINE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class Text:
    """The constraints of one free-text field; build it with :func:`text`."""

    max_length: int
    min_length: int = 1
    multiline: bool = False

    def check(self, value: str) -> str:
        forbidden = _MULTILINE_FORBIDDEN if self.multiline else _SINGLE_LINE_FORBIDDEN
        if (found := forbidden.search(value)) is not None:
            allowed = " other than line feed, carriage return and tab" if self.multiline else ""
            raise PydanticCustomError(
                CONTROL_CHARACTER,
                "Text must not contain control characters{allowed}: U+{char} at {position}.",
                {
                    "allowed": allowed,
                    "char": f"{ord(found.group()):04X}",
                    "position": found.start(),
                },
            )
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            self.check,
            core_schema.str_schema(min_length=self.min_length or None, max_length=self.max_length),
        )


def text(max_length: int, *, min_length: int = 1, multiline: bool = False) -> Text:
    """Free text of at most ``max_length`` characters: ``Annotated[str, text(200)]``.

    ``min_length=0`` where an empty string has always been accepted (an optional note).
    """
    if not 0 <= min_length <= max_length:
        raise ValueError("text() needs 0 <= min_length <= max_length")
    return Text(max_length=max_length, min_length=min_length, multiline=multiline)


# 文书、证据或材料的编号或名称: one item of a list of references (stored in a JSON list).
Reference = Annotated[str, text(500)]
