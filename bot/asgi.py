"""The gateway application: web chat, /api/chat, /healthz, Telegram, WhatsApp, help desk."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
import httpx
from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot import http_guard
from bot.channels import telegram, whatsapp
from bot.channels.runtime import channels_running
from bot.handoff import HandoffGate
from bot.logging_setup import configure_logging
from bot.rasa_client import RasaClient
from bot.router import Router
from bot.transcript import Transcript
from bot.webchat import router as webchat_router
from helpdesk.api import router as escalations_router
from helpdesk.dashboard import STATIC as HELPDESK_STATIC
from helpdesk.dashboard import router as dashboard_router
from helpdesk.outbox_api import router as outbox_router
from knowledge.db import session_factory
from knowledge.escalations.store import has_open_emergency
from knowledge.pseudonyms import hash_key, use_for_logs
from knowledge.settings import Settings, get_settings

STATIC = Path(__file__).parent / "static"
log = logging.getLogger(__name__)


async def _load_hash_key(sessions: sessionmaker[Session], settings: Settings, retry_s: float = 30.0) -> None:
    """Read the keyed-hash key once at startup, so no log line costs a database read (while the database is
    down, log pseudonyms use a key of this process only; retried until it answers)."""

    def load() -> bytes:
        with sessions() as session:
            return hash_key(session, settings.hash_key)

    while True:
        try:
            use_for_logs(await anyio.to_thread.run_sync(load))
            return
        except SQLAlchemyError as exc:
            log.warning("hash key not loaded (%s); retrying in %.0f s", type(exc).__name__, retry_s)
            await asyncio.sleep(retry_s)


def create_app(
    settings: Settings,
    *,
    factory: sessionmaker[Session] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    spool_dir: Path | None = None,
) -> FastAPI:
    """Build the app; tests pass their own session factory and a fake HTTP transport for Rasa."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The schema is created by `tanyakerja db init` / `tanyakerja run` (Alembic), never by a gateway:
        # several gateway processes may start at once.
        sessions = factory or session_factory()
        async with httpx.AsyncClient(transport=transport, limits=httpx.Limits(max_connections=100)) as client:
            rasa = RasaClient(
                client, settings.rasa_servers, settings.action_servers, settings.rasa_token, settings.rasa_timeout_s
            )
            watcher = asyncio.create_task(rasa.watch())
            app.state.settings = settings
            app.state.sessions = sessions
            app.state.rasa = rasa
            keyed = asyncio.create_task(_load_hash_key(sessions, settings))

            def in_emergency(channel: str, user_id: str) -> bool:
                try:
                    with sessions() as session:
                        return has_open_emergency(session, channel=channel, user_id=user_id)
                except SQLAlchemyError:
                    return False

            app.state.router = Router(
                rasa,
                Transcript(sessions, spool_dir or settings.spool_path()),
                rate_limit_per_minute=settings.rate_limit_per_minute,
                max_chars=settings.max_message_chars,
                handoff=HandoffGate(sessions, hold_idle=settings.hold_idle),
                emergency_check=in_emergency,
            )
            try:
                async with channels_running(app, settings, sessions, app.state.router):
                    yield
            finally:
                watcher.cancel()
                keyed.cancel()

    app = FastAPI(title="TanyaKerja gateway", lifespan=lifespan, docs_url=None, redoc_url=None)
    http_guard.install(app)
    app.include_router(webchat_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(telegram.router)
    app.include_router(whatsapp.router)
    app.include_router(escalations_router)
    app.include_router(outbox_router)
    app.mount("/helpdesk/static", StaticFiles(directory=HELPDESK_STATIC), name="helpdesk-static")
    app.include_router(dashboard_router)

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        """The web chat page."""
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        """200 when the gateway, the database and at least one Rasa and one action server answer.

        Every part is checked live and at once (at most ~1.5 s); `failing` names each part that did not
        answer, also when a second server still carries the service ("degraded")."""
        rasa: RasaClient = app.state.rasa
        servers, database = await asyncio.gather(
            rasa.health(), anyio.to_thread.run_sync(_database_ok, app.state.sessions)
        )
        parts = {"gateway": True, **servers, "database": database}
        failing = [name for name, ok in parts.items() if not ok]
        serving = database and all(
            any(ok for name, ok in servers.items() if name.split("-")[0] == kind) for kind in ("rasa", "actions")
        )
        body: dict[str, object] = {
            "status": ("ok" if not failing else "degraded") if serving else "error",
            "parts": {k: "ok" if v else "down" for k, v in parts.items()},
        }
        if failing:
            body["failing"] = failing
        return JSONResponse(body, status_code=200 if serving else 503)

    @app.get("/livez", include_in_schema=False)
    async def livez() -> JSONResponse:
        """200 while this gateway process answers at all (the supervisor's and Kubernetes' liveness check)."""
        return JSONResponse({"status": "ok"})

    return app


def _database_ok(sessions: sessionmaker[Session]) -> bool:
    try:
        with sessions() as session:
            session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        return False


def app_factory() -> FastAPI:
    """Entry point for `uvicorn --factory bot.asgi:app_factory`."""
    configure_logging()
    return create_app(get_settings())
