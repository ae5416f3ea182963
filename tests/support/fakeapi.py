"""A real local HTTP server that plays a platform API in tests and benchmarks: it records every call and
can be told to fail (HTTP 500, 429 with a wait, a hang past the client's timeout, 403, being down)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from tests.support.stackctl import free_port

Match = Callable[[str, dict], bool]


def eventually(predicate: Callable[[], object], timeout: float = 10.0) -> None:
    """Poll until predicate() is true; AssertionError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


@dataclass
class Call:
    """One request the fake received and what it answered (status 0: it hung up without answering)."""

    method: str
    params: dict
    status: int
    at: float = field(default_factory=time.monotonic)
    headers: dict = field(default_factory=dict)


@dataclass
class Rule:
    """Fail matching calls `times` times (None: until healed)."""

    mode: str
    times: int | None
    match: Match | None
    retry_after: int = 1


class FakeAPI:
    """Base of the fake Bot API and Graph API: threading HTTP server, call log, failure rules."""

    hang_s = 12.0  # longer than the gateway's read timeouts

    def __init__(self) -> None:
        self.port = free_port()
        self.calls: list[Call] = []
        self.rules: list[Rule] = []
        self.changed = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeAPI:
        """Listen (again) on the same port."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                fake._serve(self, "GET")

            def do_POST(self) -> None:
                fake._serve(self, "POST")

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening: the gateway then gets 'connection refused'."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def fail(self, mode: str, *, times: int | None = None, match: Match | None = None, retry_after: int = 1) -> None:
        """From now on answer matching calls with a failure: '500', '429', 'timeout', '403' (and subclass modes)."""
        with self.changed:
            self.rules.append(Rule(mode, times, match, retry_after))

    def heal(self) -> None:
        """Stop failing."""
        with self.changed:
            self.rules.clear()

    def wait_for(self, predicate: Callable[[list[Call]], bool], timeout: float = 30.0) -> list[Call]:
        """Block until predicate(calls) holds; the calls so far. AssertionError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not predicate(self.calls):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; calls so far: {[(c.method, c.status) for c in self.calls]}")
                self.changed.wait(left)
            return list(self.calls)

    def _rule_for(self, method: str, params: dict) -> Rule | None:
        with self.changed:
            for rule in self.rules:
                if rule.times != 0 and (rule.match is None or rule.match(method, params)):
                    if rule.times is not None:
                        rule.times -= 1
                    return rule
        return None

    def _record(self, call: Call) -> None:
        with self.changed:
            self.calls.append(call)
            self.changed.notify_all()

    def _serve(self, req: BaseHTTPRequestHandler, verb: str) -> None:
        length = int(req.headers.get("Content-Length") or 0)
        raw = req.rfile.read(length) if length else b""
        url = urlsplit(req.path)
        params = dict(parse_qsl(url.query))
        params.update(self.parse_body(raw, req.headers.get("Content-Type", "")))
        method, status, body = self.route(verb, url.path, params, dict(req.headers))
        if status is None:  # unknown path
            status, body = 404, {"error": "not found"}
        rule = self._rule_for(method, params) if status == 200 else None
        if rule is not None and rule.mode == "timeout":
            self._record(Call(method, params, 0, headers=dict(req.headers)))
            time.sleep(self.hang_s)
            req.close_connection = True
            return
        if rule is not None:
            status, body = self.failure(rule)
        elif status == 200:
            body = self.respond(method, params)
        self._record(Call(method, params, status, headers=dict(req.headers)))
        data = json.dumps(body).encode()
        try:
            req.send_response(status)
            req.send_header("Content-Type", "application/json")
            req.send_header("Content-Length", str(len(data)))
            req.end_headers()
            req.wfile.write(data)
        except OSError:
            pass

    @staticmethod
    def parse_body(raw: bytes, content_type: str) -> dict:
        """JSON bodies as they are; form bodies (PTB) with their JSON-valued fields decoded."""
        if not raw:
            return {}
        if "json" in content_type:
            data = json.loads(raw)
            return data if isinstance(data, dict) else {"_body": data}
        fields = dict(parse_qsl(raw.decode()))
        for key in ("reply_markup", "allowed_updates", "link_preview_options", "reply_parameters", "entities"):
            if key in fields:
                fields[key] = json.loads(fields[key])
        return fields

    def route(self, verb: str, path: str, params: dict, headers: dict) -> tuple[str, int | None, object]:
        """(API method name, 200 or an error status / None for unknown path, error body)."""
        raise NotImplementedError

    def respond(self, method: str, params: dict) -> object:
        """The success body of one call."""
        raise NotImplementedError

    def failure(self, rule: Rule) -> tuple[int, object]:
        """The status and body of a told-to-fail call."""
        raise NotImplementedError
