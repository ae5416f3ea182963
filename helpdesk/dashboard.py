"""The staff dashboard at /helpdesk/: login and sessions (web.py), pages (pages.py), actions (forms.py),
the admins' unlock (security.py); static files are served from STATIC by the app."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from helpdesk import forms, pages, security, web

STATIC = Path(__file__).parent / "static"

router = APIRouter()
router.include_router(web.router)
router.include_router(pages.router)
router.include_router(forms.router)
router.include_router(security.router)
