"""The interactive API documentation (接口文档), served entirely by the service itself.

Swagger UI at ``/docs`` and ReDoc at ``/redoc`` load their bundles, style sheet and icon
from the files the ``fastapi-offline`` package ships, mounted under ``/docs/static``: on a
government intranet (政务外网) with no internet the pages render all the same. No web fonts
are loaded, Swagger UI's online validator is off, and the content security policy of these
pages (:data:`app.web.security_headers.DOCS_CSP`) names no other host, so a browser refuses
anything a bundle might still try to fetch from elsewhere (ReDoc's own logo).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
STATIC_URL = "/docs/static"
STATIC_DIRECTORY = Path(str(files("fastapi_offline") / "static"))
SWAGGER_UI_PARAMETERS = {
    # Swagger UI would otherwise send the document to an online validator for a badge.
    "validatorUrl": None,
    "displayOperationId": True,
    "docExpansion": "list",
}


def install_docs(app: FastAPI) -> None:
    """Serve ``/docs`` and ``/redoc`` from the service's own files (the app is created with
    ``docs_url=None, redoc_url=None``)."""
    assert app.openapi_url is not None
    openapi_url = app.openapi_url
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIRECTORY), name="docs-static")

    @app.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} 接口文档 (Swagger UI)",
            swagger_js_url=f"{root}{STATIC_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{STATIC_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{STATIC_URL}/favicon.png",
            swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
        )

    @app.get(REDOC_URL, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} 接口文档 (ReDoc)",
            redoc_js_url=f"{root}{STATIC_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{STATIC_URL}/favicon.png",
            with_google_fonts=False,
        )
