"""Field types of the API schemas that say more than their Python type."""

from __future__ import annotations

from typing import Annotated

from pydantic import WithJsonSchema

# An identifier kept as text that is a UUID: documented as one (``format: uuid``), so
# client generators type it like the UUIDs of the request bodies.
UuidStr = Annotated[str, WithJsonSchema({"type": "string", "format": "uuid"})]
