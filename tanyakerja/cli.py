"""`tanyakerja`: the operator's command line (database, imports, staff accounts, running the stack)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from knowledge.db import get_engine, session_factory, session_scope
from knowledge.importing import ImportFailed, ImportSummary
from knowledge.migrations import upgrade_to_head
from knowledge.settings import get_settings


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD)") from exc


def _print_summary(kind: str, path: Path, summary: ImportSummary) -> None:
    for problem in summary.skipped:
        print(f"skipped {path.name} {problem}", file=sys.stderr)
    print(f"{kind}: {summary.line()}")


def _run_import(kind: str, path: Path, do_import: Callable) -> int:
    """Run one import in one transaction; on failure print every bad line and change nothing."""
    upgrade_to_head(get_engine())
    try:
        with session_scope(session_factory()) as session:
            summary = do_import(session)
    except ImportFailed as exc:
        for problem in exc.problems:
            print(f"error: {path.name} {problem}" if problem.line else f"error: {problem}", file=sys.stderr)
        print(
            f"{kind}: import failed, nothing was changed ({len(exc.problems)} problem(s); "
            f"--skip-invalid imports the valid rows)",
            file=sys.stderr,
        )
        return 1
    _print_summary(kind, path, summary)
    return 0


def cmd_db_init(_args: argparse.Namespace) -> int:
    """Create or upgrade the schema."""
    upgrade_to_head(get_engine())
    print(f"database ready: {get_engine().url.render_as_string(hide_password=True)}")
    return 0


def cmd_db_revision(args: argparse.Namespace) -> int:
    """Write a new migration revision from the difference between the models and an upgraded database."""
    from alembic import command

    from knowledge.migrations import alembic_config

    upgrade_to_head(get_engine())
    with get_engine().begin() as conn:
        script = command.revision(alembic_config(conn), message=args.message, autogenerate=True)
    print(f"new revision: {getattr(script, 'path', script)}")
    return 0


def cmd_import_agencies(args: argparse.Namespace) -> int:
    """Load the licensed-agency registry."""
    from knowledge.registry.importer import import_agencies

    return _run_import(
        "agencies", args.file, lambda s: import_agencies(s, args.file, as_of=args.as_of, skip_invalid=args.skip_invalid)
    )


def cmd_import_vacancies(args: argparse.Namespace) -> int:
    """Load a vacancy feed (canonical CSV, or CSV/JSON Lines with a mapping file)."""
    from knowledge.vacancies.importer import import_vacancies

    return _run_import(
        "vacancies",
        args.file,
        lambda s: import_vacancies(s, args.file, mapping_path=args.mapping, skip_invalid=args.skip_invalid),
    )


def cmd_import_trainings(args: argparse.Namespace) -> int:
    """Load training programmes."""
    from knowledge.trainings.importer import import_trainings

    return _run_import("trainings", args.file, lambda s: import_trainings(s, args.file, skip_invalid=args.skip_invalid))


def cmd_staff_add(args: argparse.Namespace) -> int:
    """Create a help-desk account; the password is read from standard input (never from the command line)."""
    from helpdesk.accounts import StaffError, add_staff
    from knowledge.staff import audit

    if not args.password_stdin:
        print("error: give the password on standard input with --password-stdin", file=sys.stderr)
        return 2
    password = sys.stdin.readline().rstrip("\r\n")
    upgrade_to_head(get_engine())
    name = args.username.strip().lower()
    try:
        with session_scope(session_factory()) as session:
            add_staff(session, args.username, password, admin=args.admin)
            audit.record(session, "(command line)", "staff_add", account=name, admin=args.admin)
    except StaffError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"staff account '{name}' created{' (admin)' if args.admin else ''}")
    return 0


def cmd_staff_disable(args: argparse.Namespace) -> int:
    """Lock a help-desk account out: its password stops working, its dashboard sessions end at once and the
    conversations it held go back to the bot (their reports back to the queue; the users are told)."""
    from helpdesk.accounts import disable_staff
    from knowledge.staff import audit

    upgrade_to_head(get_engine())
    name = args.username.strip().lower()
    with session_scope(session_factory()) as session:
        if not disable_staff(session, name):
            print(f"error: no staff account '{name}'", file=sys.stderr)
            return 1
        audit.record(session, "(command line)", "staff_disable", account=name)
    print(f"staff account '{name}' disabled (its sessions ended, the conversations it held went back to the bot)")
    return 0


def cmd_staff_unlock(args: argparse.Namespace) -> int:
    """Lift the wrong-password locks of an account (from every address) and, with --address, of that address."""
    from sqlalchemy import select

    from knowledge.models import StaffUser
    from knowledge.staff import audit, throttle

    upgrade_to_head(get_engine())
    name = args.username.strip().lower()
    with session_scope(session_factory()) as session:
        if session.scalar(select(StaffUser.id).where(StaffUser.username == name)) is None:
            print(f"error: no staff account '{name}'", file=sys.stderr)
            return 1
        cleared = throttle.unlock(session, name, address=args.address)
        audit.record(session, "(command line)", "staff_unlock", account=name, address=args.address, cleared=cleared)
    print(f"staff account '{name}' unlocked ({cleared} lock record(s) cleared)")
    return 0


def cmd_telegram(args: argparse.Namespace) -> int:
    """Register (set-webhook URL) or remove (delete-webhook) the Telegram webhook."""
    import asyncio

    from telegram.error import TelegramError

    from bot.channels import telegram_admin

    settings = get_settings()
    if not settings.telegram_token:
        print("error: set TELEGRAM_TOKEN (the token BotFather gave you)", file=sys.stderr)
        return 2
    try:
        if args.telegram_command == "delete-webhook":
            asyncio.run(telegram_admin.delete_webhook(settings))
            print("webhook removed: without TELEGRAM_WEBHOOK_SECRET, `tanyakerja run` polls getUpdates")
            return 0
        if not settings.telegram_webhook_secret:
            print("error: set TELEGRAM_WEBHOOK_SECRET first (the gateway checks it on every update)", file=sys.stderr)
            return 2
        if not args.url.startswith("https://"):
            print("warning: Telegram only calls https:// addresses (ports 443, 80, 88 or 8443)", file=sys.stderr)
        asyncio.run(telegram_admin.set_webhook(settings, args.url))
    except TelegramError as exc:
        print(f"error: Telegram refused: {exc.message}", file=sys.stderr)
        return 1
    print(f"webhook registered: {args.url} (with the secret token; updates: message, edited_message, ...)")
    return 0


def cmd_run(_args: argparse.Namespace) -> int:
    """Prepare the database (schema, demo data when empty) and run the supervised stack."""
    from tanyakerja.demo import load_demo_if_empty
    from tanyakerja.supervisor import run_stack, say

    settings = get_settings()
    upgrade_to_head(get_engine())
    say(f"database ready: {get_engine().url.render_as_string(hide_password=True)}")
    with session_scope(session_factory()) as session:
        for name, summary in load_demo_if_empty(session).items():
            say(f"demo {name} loaded (DATA FIKTIF): {summary.line()}")
    get_engine().dispose()
    return run_stack(settings, Path.cwd())


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(prog="tanyakerja", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    db.add_parser("init", help="create or upgrade the schema in DATABASE_URL").set_defaults(func=cmd_db_init)
    revision = db.add_parser("revision", help="write a migration revision for a change to the models")
    revision.add_argument("message", help="what changed, e.g. 'outbox table'")
    revision.set_defaults(func=cmd_db_revision)

    imp = sub.add_parser("import", help="load data files").add_subparsers(dest="import_command", required=True)
    agencies = imp.add_parser("agencies", help="licensed-agency registry (agencies.csv)")
    agencies.add_argument("file", type=Path)
    agencies.add_argument("--as-of", type=_date, help="date of this registry copy (default: today)")
    agencies.add_argument("--skip-invalid", action="store_true", help="import valid rows, list skipped ones")
    agencies.set_defaults(func=cmd_import_agencies)

    vacancies = imp.add_parser("vacancies", help="vacancy feed (canonical CSV, or any feed with --mapping)")
    vacancies.add_argument("file", type=Path)
    vacancies.add_argument("--mapping", type=Path, help="YAML file mapping the feed's columns onto the canonical ones")
    vacancies.add_argument("--skip-invalid", action="store_true", help="import valid rows, list skipped ones")
    vacancies.set_defaults(func=cmd_import_vacancies)

    trainings = imp.add_parser("trainings", help="training programmes (trainings.csv)")
    trainings.add_argument("file", type=Path)
    trainings.add_argument("--skip-invalid", action="store_true", help="import valid rows, list skipped ones")
    trainings.set_defaults(func=cmd_import_trainings)

    staff = sub.add_parser("staff", help="help-desk accounts").add_subparsers(dest="staff_command", required=True)
    staff_add = staff.add_parser("add", help="create a help-desk account")
    staff_add.add_argument("username")
    staff_add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    staff_add.add_argument("--admin", action="store_true", help="may read the audit log and take over others' cases")
    staff_add.set_defaults(func=cmd_staff_add)
    staff_disable = staff.add_parser("disable", help="lock an account out (password and sessions)")
    staff_disable.add_argument("username")
    staff_disable.set_defaults(func=cmd_staff_disable)
    staff_unlock = staff.add_parser("unlock", help="lift an account's wrong-password locks (from every address)")
    staff_unlock.add_argument("username")
    staff_unlock.add_argument("--address", help="also lift the lock of this client address (any account)")
    staff_unlock.set_defaults(func=cmd_staff_unlock)

    telegram = sub.add_parser("telegram", help="Telegram webhook").add_subparsers(
        dest="telegram_command", required=True
    )
    set_webhook = telegram.add_parser("set-webhook", help="register URL (https://.../telegram/webhook) with the secret")
    set_webhook.add_argument("url")
    set_webhook.set_defaults(func=cmd_telegram)
    telegram.add_parser("delete-webhook", help="remove the webhook (for polling mode)").set_defaults(func=cmd_telegram)

    sub.add_parser("run", help="start Rasa, the action server and the gateway").set_defaults(func=cmd_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `tanyakerja` command."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except SQLAlchemyError as exc:
        print(f"error: database problem ({type(exc).__name__}): {exc.__class__.__doc__ or ''}".strip(), file=sys.stderr)
        print(f"check DATABASE_URL ({get_settings().database_url.split('@')[-1]})", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
