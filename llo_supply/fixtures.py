"""Loopback server for the bundled fixture provider sites (see fixtures/html/CONTRACT.md)."""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

TEXT_TYPES = ("text/", "application/xml", "application/json")


def fixtures_dir() -> Path:
    """The bundled fixture sites (``LLO_FIXTURES_DIR`` overrides)."""
    override = os.environ.get("LLO_FIXTURES_DIR")
    return (
        Path(override) if override else Path(__file__).resolve().parent.parent / "fixtures" / "html"
    )


def path_to_file(target: str) -> str:
    """Map a request target (path + query) to a file name inside a site folder."""
    parts = urlsplit(target)
    path = unquote(parts.path).lstrip("/")
    if not path or path.endswith("/"):
        path += "index"
    if parts.query:
        path += "@" + unquote(parts.query)
    last = path.rsplit("/", 1)[-1].split("@", 1)[0]
    if "." not in last:
        path += ".html"
    return path


@dataclass
class Logged:
    """One request the server answered."""

    at: float
    path: str
    status: int
    headers: dict[str, str]
    size: int


@dataclass
class FixtureSite:
    """Serves one site folder on 127.0.0.1, rewriting ``origin`` to the loopback address."""

    root: Path
    origin: str
    port: int = 0
    # Seconds to wait before each answer: a slow site, for kill-and-resume tests.
    delay: float = 0.0
    log: list[Logged] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _route_hits: dict[str, int] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the site first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> str:
        if not self.root.is_dir():
            raise FileNotFoundError(f"{self.root}: no fixture site folder")
        routes_file = self.root / "_routes.json"
        routes = json.loads(routes_file.read_text("utf-8")) if routes_file.exists() else {}
        handler = type("Handler", (_Handler,), {"site": self, "routes": routes})
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FixtureSite:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    site: FixtureSite
    routes: dict[str, dict[str, Any]]
    protocol_version = "HTTP/1.1"
    server_version = "llo-supply-fixtures"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the log list records
        pass

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _route(self) -> dict[str, Any] | None:
        route = self.routes.get(self.path)
        if route is None:
            return None
        hits = self.site._route_hits.get(self.path, 0) + 1
        self.site._route_hits[self.path] = hits
        times = route.get("times")
        return route if times is None or hits <= times else None

    def _answer(self, head: bool) -> None:
        if self.site.delay:
            time.sleep(self.site.delay)
        route = self._route() or {}
        status = int(route.get("status", 200))
        headers: dict[str, str] = {}
        body: bytes
        if "body" in route:
            body = route["body"].encode("utf-8")
            headers["Content-Type"] = "text/html; charset=utf-8"
        elif "pad_to" in route:
            filler = b"<p>" + b"opvulling " * 100 + b"</p>\n"
            body = b"<html><body>" + filler * (int(route["pad_to"]) // len(filler) + 1)
            headers["Content-Type"] = "text/html; charset=utf-8"
        elif status >= 300 and status < 400:
            body = b""
        else:
            body, content_type = self._file()
            if body is None:
                status, body = 404, b"<html><body><h1>404 Niet gevonden</h1></body></html>"
                content_type = "text/html; charset=utf-8"
            headers["Content-Type"] = content_type
        headers.update(route.get("headers", {}))
        if status == 200 and not route:
            # Validators and conditional answers, as real sites give them (304: no body).
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            headers["ETag"] = etag
            if self.headers.get("If-None-Match") == etag:
                status, body = 304, b""
                headers.pop("Content-Type", None)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)
        self.site.log.append(
            Logged(time.monotonic(), self.path, status, dict(self.headers.items()), len(body))
        )

    def _file(self) -> tuple[bytes | None, str]:
        relative = path_to_file(self.path)
        if "\x00" in relative:
            return None, ""
        target = (self.site.root / relative).resolve()
        if self.site.root.resolve() not in target.parents or not target.is_file():
            return None, ""
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        body = target.read_bytes()
        if content_type.startswith(TEXT_TYPES):
            body = body.replace(self.site.origin.encode(), self.site.base_url.encode())
            if content_type == "text/html" or content_type.startswith("text/plain"):
                content_type += "; charset=utf-8"
        return body, content_type
