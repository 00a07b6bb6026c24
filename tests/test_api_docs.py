"""The interactive docs (/docs, /redoc) load from the service alone: on an intranet with no
internet they render.

The HTML tests read what the pages reference; the browser tests open them in Debian's
chromium (driven by Selenium through the system chromedriver) with every other host made
unreachable, and find the operations rendered. Under ``CI=true`` a missing browser fails
the run instead of skipping.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn

from app.main import create_app
from app.web.docs import STATIC_URL
from tests.conftest import make_settings, migrated_database
from tests.server_process import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Where a page names a resource: src/href attributes, url: in the start-up script, spec-url.
_REFERENCE = re.compile(r"""(?:src|href|url|spec-url)\s*[=:]\s*["']([^"']+)["']""")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        yield c


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_a_docs_page_references_no_host_but_the_service(
    client: httpx.AsyncClient, page: str
) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    references = _REFERENCE.findall(response.text)
    # The bundle, the icon and the document, at least; every one a path on this host.
    assert len(references) >= 3
    for reference in references:
        parts = urlsplit(reference)
        assert (parts.scheme, parts.netloc) == ("", ""), reference
        assert reference.startswith("/"), reference
    assert "googleapis" not in response.text
    assert "jsdelivr" not in response.text
    assert "tiangolo" not in response.text


@pytest.mark.parametrize(
    "asset", ["swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png"]
)
async def test_the_assets_the_pages_load_are_served(client: httpx.AsyncClient, asset: str) -> None:
    response = await client.get(f"{STATIC_URL}/{asset}")
    assert response.status_code == 200
    assert len(response.content) > 1000


@pytest.mark.parametrize("page", ["/docs", "/redoc", f"{STATIC_URL}/swagger-ui-bundle.js"])
async def test_the_docs_policy_lets_the_pages_load_nothing_from_another_host(
    client: httpx.AsyncClient, page: str
) -> None:
    policy = (await client.get(page)).headers["content-security-policy"]
    directives = {}
    for part in filter(None, (part.strip() for part in policy.split(";"))):
        name, _, sources = part.partition(" ")
        directives[name] = sources
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    for name, sources in directives.items():
        for source in sources.split():
            assert source in {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}, (
                name,
                source,
            )


def test_the_swagger_ui_validator_is_off() -> None:
    from app.web.docs import SWAGGER_UI_PARAMETERS

    assert SWAGGER_UI_PARAMETERS["validatorUrl"] is None


# --- in a real browser, with no network but the service ---------------------------------


def _browser_or_skip() -> Any:
    """The Selenium webdriver module, when the browser, its driver and Selenium are here;
    else skip, or fail under CI (where .ci/run installs chromium and chromium-driver)."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if shutil.which(path) is None]
    try:
        from selenium import webdriver
    except ImportError:
        missing.append("selenium (test extras)")
    if missing:
        message = "needs " + ", ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return webdriver


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The service on a loopback port, in this process (uvicorn in a thread)."""
    with migrated_database("sqlite", tmp_path_factory.mktemp("docs")) as url:
        app = create_app(make_settings(url))
        port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        uvicorn_server = uvicorn.Server(config)
        thread = threading.Thread(target=uvicorn_server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not uvicorn_server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            uvicorn_server.should_exit = True
            thread.join(timeout=10)


@contextmanager
def offline_browser() -> Iterator[Any]:
    """Headless chromium that can reach 127.0.0.1 only: every host name resolves to
    nothing, and every other address goes through a proxy that refuses (loopback bypasses
    proxies). The performance log records each request the page makes."""
    webdriver = _browser_or_skip()
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--proxy-server=http://127.0.0.1:9",
        "--window-size=1280,2000",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        driver.set_page_load_timeout(30)
        yield driver
    finally:
        driver.quit()


def _requests(driver: Any) -> dict[str, str | None]:
    """Each URL the page asked for, with the reason the browser blocked it (None: sent)."""
    urls: dict[str, str] = {}
    blocked: dict[str, str] = {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message["params"]
        if message["method"] == "Network.requestWillBeSent":
            urls[params["requestId"]] = params["request"]["url"]
        elif message["method"] == "Network.loadingFailed" and params.get("blockedReason"):
            blocked[params["requestId"]] = params["blockedReason"]
    return {url: blocked.get(request_id) for request_id, url in urls.items()}


def _wait_for(driver: Any, selector: str, minimum: int, timeout: float = 60) -> int:
    from selenium.webdriver.common.by import By

    deadline = time.monotonic() + timeout
    count = 0
    while time.monotonic() < deadline:
        count = len(driver.find_elements(By.CSS_SELECTOR, selector))
        if count >= minimum:
            return count
        time.sleep(0.25)
    return count


def _operation_count(document: dict[str, Any]) -> int:
    methods = {"get", "put", "post", "patch", "delete"}
    return sum(1 for item in document["paths"].values() for method in item if method in methods)


def _assert_only_the_service(requests: dict[str, str | None], base_url: str) -> None:
    """Every request went to the service; one for another host (ReDoc's logo) was refused
    by the page's content security policy before it left the browser."""
    local = (base_url + "/", "data:", "blob:")
    sent_elsewhere = {
        url: reason
        for url, reason in requests.items()
        if not url.startswith(local) and reason != "csp"
    }
    assert sent_elsewhere == {}
    assert any(url.startswith(base_url + STATIC_URL) for url in requests)


def test_swagger_ui_renders_every_operation_offline(server: str) -> None:
    operations = _operation_count(httpx.get(server + "/openapi.json", timeout=30).json())
    with offline_browser() as driver:
        from selenium.common.exceptions import WebDriverException

        # The network really is closed: an outside page does not load.
        with pytest.raises(WebDriverException, match="net::ERR_"):
            driver.get("http://example.com/")
        driver.get_log("performance")
        driver.get(server + "/docs")
        rendered = _wait_for(driver, ".opblock", operations)
        assert rendered == operations
        assert driver.find_elements("css selector", ".opblock-summary-path")
        _assert_only_the_service(_requests(driver), server)


def test_redoc_renders_the_operations_offline(server: str) -> None:
    document = httpx.get(server + "/openapi.json", timeout=30).json()
    operations = _operation_count(document)
    with offline_browser() as driver:
        driver.get(server + "/redoc")
        rendered = _wait_for(driver, "[data-section-id^='operation/']", operations)
        assert rendered >= operations
        title = document["info"]["title"]
        assert title in driver.find_element("css selector", "h1").text
        _assert_only_the_service(_requests(driver), server)


def test_the_static_directory_ships_with_the_package() -> None:
    from app.web.docs import STATIC_DIRECTORY

    names = {path.name for path in Path(STATIC_DIRECTORY).iterdir()}
    assert {"swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"} <= names


def test_a_missing_browser_fails_under_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(globals(), "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="/nonexistent/chromium"):
        _browser_or_skip()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="/nonexistent/chromium"):
        _browser_or_skip()
