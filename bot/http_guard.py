"""What every gateway response goes through: a request-body size limit, security headers, and JSON errors
({"error", "message"}) for anything a route did not answer itself -- unknown paths, malformed parameters
and unexpected exceptions (logged without the request's content, answered 500 without a stack trace)."""

from __future__ import annotations

import logging
import traceback

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

# Larger than any single endpoint's own limit (web chat 64 KiB, webhooks 1 MiB): a backstop for routes that
# read a body without one (forms), applied before a byte of the body is buffered.
MAX_REQUEST_BYTES = 1024 * 1024 + 1024

# No inline script or style anywhere (the pages load /static/*.js and *.css), nothing from other origins,
# and no page of ours may be framed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "invalid_request",
}
_MESSAGES = {
    404: "Alamat tidak ditemukan.",
    405: "Metode tidak didukung untuk alamat ini.",
    413: "Isi permintaan terlalu besar.",
}


def json_error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The one error shape of the gateway's JSON endpoints: {"error": code, "message": Indonesian text}."""
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


class _TooLarge(Exception):
    """The body grew past the limit while it was being read."""


class GuardMiddleware:
    """Adds the security headers to every HTTP response, refuses bodies over MAX_REQUEST_BYTES (413) and
    answers an exception no route handled with a 500 JSON error."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_REQUEST_BYTES):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap `send` (headers) and `receive` (size); other scopes pass untouched."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(scope, receive, send_with_headers)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counting_receive, send_with_headers)
        except _TooLarge:
            if started:
                raise
            await _too_large(scope, receive, send_with_headers)
        except Exception as exc:  # a bug: answered here so no server's default handler logs its message
            _log_unexpected(scope, exc)
            if started:
                raise
            await json_error(500, "internal_error", "Terjadi kesalahan di server. Coba lagi sebentar lagi.")(
                scope, receive, send_with_headers
            )


def _log_unexpected(scope: Scope, exc: Exception) -> None:
    """Where a bug happened: the type and the innermost frames, never the exception's message (it may quote
    user text) nor the query string."""
    frames = traceback.extract_tb(exc.__traceback__)[-6:]
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames))
    log.error("unhandled %s on %s %s at %s", type(exc).__name__, scope.get("method"), scope.get("path"), where)


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    await json_error(413, "too_large", _MESSAGES[413])(scope, receive, send)


def install(app: FastAPI) -> None:
    """The middleware and the exception handlers, on one app."""
    app.add_middleware(GuardMiddleware)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        """Unknown paths, wrong methods: the JSON error shape instead of FastAPI's {"detail"}."""
        code = _STATUS_CODES.get(exc.status_code, "error")
        message = _MESSAGES.get(exc.status_code, "Permintaan tidak bisa diproses.")
        return json_error(exc.status_code, code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        """A malformed query or path parameter; names the parameters, never echoes their values."""
        names = sorted({str(err.get("loc", ("?",))[-1]) for err in exc.errors()})
        return json_error(422, "invalid_request", f"Parameter tidak valid: {', '.join(names)}.")
