"""An import's body, received whole before the database is touched (先收完请求体，再开数据库会话).

A client may send a large list slowly. Were the import read from the request stream as
it arrived, its database connection (and, on SQLite, the write lock) would be held for as
long as the upload took: forty-five uploads trickling a byte a second would starve every
other request. So the route's first dependency streams the body into an anonymous
temporary file (``TMPDIR``; no name, so it is gone when closed or when the process dies)
and the import then reads that file; the session dependency, declared after it, opens
only once the body is in.

Memory stays small: the body is written, and read back, a block at a time. Its size is
capped by the body-size middleware (``ZWFW_MAX_IMPORT_BYTES``, ``413`` past it). A
client that goes away before the body is complete raises :class:`RequestAbandoned`:
nothing has been written and no answer is sent.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from typing import IO, Annotated

from anyio import to_thread
from fastapi import Depends, Request
from starlette.requests import ClientDisconnect

from app.core.errors import RequestAbandoned
from app.joint_punishment.importing import ImportFormat, import_format

# Bytes written to, and read back from, the file at a time.
BLOCK_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReceivedImport:
    """The whole body of an import, in a temporary file, and the format it is in."""

    format: ImportFormat
    size: int
    file: IO[bytes]

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body from its first byte, a block at a time (read on a worker thread)."""
        await to_thread.run_sync(self.file.seek, 0)
        while block := await to_thread.run_sync(self.file.read, BLOCK_BYTES):
            yield block


async def _spool(stream: AsyncIterable[bytes], file: IO[bytes]) -> int:
    """Write ``stream`` to ``file``, gathering small chunks into blocks; the byte count."""
    size = 0
    block = bytearray()
    async for chunk in stream:
        block += chunk
        size += len(chunk)
        if len(block) >= BLOCK_BYTES:
            await to_thread.run_sync(file.write, bytes(block))
            block.clear()
    if block:
        await to_thread.run_sync(file.write, bytes(block))
    await to_thread.run_sync(file.flush)
    return size


async def receive_import(request: Request) -> AsyncIterator[ReceivedImport]:
    """The import's body, received whole (415 before a byte is read if its Content-Type
    is not one the import reads). The file is closed, so removed, when the request ends,
    however it ends."""
    fmt = import_format(request.headers.get("content-type"))
    with tempfile.TemporaryFile(prefix="zwfw-import-") as file:
        try:
            size = await _spool(request.stream(), file)
        except ClientDisconnect:
            raise RequestAbandoned("the import body was not received whole") from None
        yield ReceivedImport(format=fmt, size=size, file=file)


# scope="function": the file is closed before the answer is sent.
ReceivedImportDep = Annotated[ReceivedImport, Depends(receive_import, scope="function")]
