"""The framework ceiling: a bare FastAPI JSON route, served like the app (bench/serve.py)."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
async def root() -> dict[str, str]:
    return {"status": "ok"}
