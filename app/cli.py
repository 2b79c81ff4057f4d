"""The ``twofeet`` command: serve, demo, schedule, export, import, migrate."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from app.settings import Settings

if TYPE_CHECKING:  # sqlalchemy is imported where it is used: keeps `twofeet --help` fast
    from sqlalchemy import Engine
    from sqlmodel import Session

DESCRIPTION = """Two Feet: run an Edcamp-style unconference from a laptop.

commands:
  serve     run the app on the configured database (default: ./twofeet.db, made on first start)
  demo      run the app on a fresh demo database with a full wall, and print its links
  schedule  build a schedule from an event file (twofeet.event/1) and print it as JSON
  export    print an event as an event file:      twofeet export CODE > event.json
  import    create an event from an event file:   twofeet import event.json
            (--setup-only: only its rooms, slots, talks and rules, for a new event like it)
  migrate   bring the database up to date (for scale-out: run once, then start the workers)

Settings come from TWOFEET_* environment variables (see README), e.g. TWOFEET_DATABASE_URL."""


def _settings(db: str | None) -> Settings:
    settings = Settings()
    if db:
        settings = settings.model_copy(update={"DATABASE_URL": db if "://" in db else f"sqlite:///{db}"})
    return settings


def _engine(settings: Settings) -> Engine:
    from app.db import make_engine, upgrade_database  # noqa: PLC0415 - keeps `twofeet --help` fast

    engine = make_engine(settings.DATABASE_URL, sqlite_synchronous=settings.SQLITE_SYNCHRONOUS)
    upgrade_database(engine)
    return engine


def _links(settings: Settings, code: str, secret: str | None) -> str:
    base = settings.BASE_URL
    lines = [f"  attendees join:  {base}/e/{code}   (code {code})", f"  projector board: {base}/e/{code}/board"]
    if secret:
        lines.append(f"  organizer (private): {base}/e/{code}/organize?key={secret}")
    return "\n".join(lines)


# How uvicorn runs the app, here and in the tests and benchmarks that start it as a process.
# - uvicorn's websockets-sansio (the lightest of its websocket implementations) with the board's
#   prepared-frame extension (app/realtime/wsserver.py): one framing per batch, not one per socket.
# - a 64 KB cap on incoming websocket messages: clients only ever send "ping" (uvicorn allows 16 MB).
# - no permessage-deflate: pushed frames are small deltas (a few hundred bytes), and every socket
#   has its own compression context, so the same frame was compressed once per phone: at 2,000
#   phones that was more CPU than sending it.
class UvicornOptions(TypedDict):
    """The keyword arguments of ``uvicorn.run`` that ``UVICORN_OPTIONS`` sets, typed as uvicorn wants them."""

    ws: str
    ws_max_size: int
    ws_per_message_deflate: bool
    proxy_headers: bool


UVICORN_OPTIONS: UvicornOptions = {
    "ws": "app.realtime.wsserver:BoardWebSocketProtocol",
    "ws_max_size": 65536,
    "ws_per_message_deflate": False,
    "proxy_headers": True,
}


def uvicorn_command_line() -> list[str]:
    """``UVICORN_OPTIONS`` as ``python -m uvicorn`` flags."""
    flags: list[str] = []
    for name, value in UVICORN_OPTIONS.items():
        flag = "--" + name.replace("_", "-")
        if name == "proxy_headers":  # an on/off switch rather than a flag with a value
            flags.append(flag if value else "--no-proxy-headers")
        else:
            flags += [flag, str(value).lower() if isinstance(value, bool) else str(value)]
    return flags


def _serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    import os

    import uvicorn  # noqa: PLC0415 - only serving needs it

    if workers == 1:
        from app.main import create_app  # noqa: PLC0415 - the app is built only when serving

        uvicorn.run(create_app(settings), host=host, port=port, log_level="info", **UVICORN_OPTIONS)
        return
    # Several processes: each builds the app from TWOFEET_* variables; migrations ran once, here.
    _engine(settings).dispose()
    os.environ.update(
        {
            "TWOFEET_DATABASE_URL": settings.DATABASE_URL,
            "TWOFEET_BASE_URL": settings.BASE_URL,
            "TWOFEET_MIGRATE_ON_START": "false",
            "TWOFEET_LIVE_QUIET_GC": str(settings.LIVE_QUIET_GC).lower(),
        }
    )
    uvicorn.run(
        "app.main:create_app", factory=True, workers=workers, host=host, port=port, log_level="info", **UVICORN_OPTIONS
    )


def _workers_refusal(settings: Settings, workers: int) -> str | None:
    """Why ``workers`` processes cannot serve with these settings, or None."""
    if workers < 1:
        return "--workers: give 1 or more."
    if workers == 1:
        return None
    if settings.DATABASE_URL.startswith("sqlite"):
        return (
            "--workers: several workers need PostgreSQL (TWOFEET_DATABASE_URL=postgresql+psycopg://...); "
            "one process on SQLite is the embedded default."
        )
    if not settings.BROADCAST_URL.startswith(("redis://", "rediss://")):
        return (
            "--workers: several workers need Redis to share live updates "
            "(TWOFEET_BROADCAST_URL=redis://host:6379/0); otherwise boards miss changes made on another worker."
        )
    return None


def _address(settings: Settings, args: argparse.Namespace) -> tuple[Settings, str, list[str]]:
    """The base URL links are printed with, the address to listen on, and what to tell the person.

    ``--base-url`` or TWOFEET_BASE_URL when given; else this computer's address on the local
    network, found without sending anything (app/addresses.py), since phones cannot open localhost.
    """
    from app.addresses import lan_address, serve_address  # noqa: PLC0415 - only serving needs it

    given = args.base_url or (settings.BASE_URL if "BASE_URL" in settings.model_fields_set else None)
    look = not given and args.host in (None, "0.0.0.0", "::")
    chosen = serve_address(base_url=given, host=args.host, port=args.port, found=lan_address() if look else None)
    return (
        settings.model_copy(update={"BASE_URL": chosen.base_url}),
        chosen.host,
        [line for line in chosen.lines if line],
    )


def cmd_serve(args: argparse.Namespace) -> int:
    settings, host, lines = _address(_settings(args.db), args)
    if args.python_gc:
        settings = settings.model_copy(update={"LIVE_QUIET_GC": False})
    refusal = _workers_refusal(settings, args.workers)
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    print(f"Two Feet on {settings.DATABASE_URL}: open {settings.BASE_URL}/", *lines, sep="\n", flush=True)
    _serve(settings, host, args.port, args.workers)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from sqlmodel import Session  # noqa: PLC0415 - heavy imports only for this command

    from app.domain.demo import seed_demo, seed_demo_live

    path = Path(args.db or "twofeet-demo.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    settings, host, lines = _address(_settings(str(path)), args)
    engine = _engine(settings)
    with Session(engine, expire_on_commit=False) as session:
        created = seed_demo(session)
    with Session(engine, expire_on_commit=False) as session:
        live = seed_demo_live(session)
    engine.dispose()
    print(f"Demo events ready on {path} (recreated on every `twofeet demo`):")
    print(f"\n'{created.event.name}': the morning, topics being proposed and marked")
    print(_links(settings, created.event.code, created.secret))
    print(f"\n'{live.event.name}': the grid, door views and my day")
    print(_links(settings, live.event.code, live.secret))
    print("", *lines, sep="\n", flush=True)
    if not args.no_serve:
        _serve(settings, host, args.port)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from sqlmodel import Session  # noqa: PLC0415 - heavy imports only for this command

    from app.domain import eventfile, events

    settings = _settings(args.db)
    with Session(_engine(settings)) as session:
        event = events.get_event(session, args.code)
        if event is None:
            print(f"twofeet export: no event has the code '{args.code}'.", file=sys.stderr)
            return 2
        json.dump(eventfile.export_event(session, event), sys.stdout, indent=2, ensure_ascii=False)
        print()
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from sqlmodel import Session  # noqa: PLC0415 - heavy imports only for this command

    from app.domain.errors import DomainError

    settings = _settings(args.db)
    limit = settings.MAX_IMPORT_BYTES
    try:
        # Read at most one byte past the limit: a larger file is refused before it is parsed.
        if args.file == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with Path(args.file).open("rb") as handle:
                data = handle.read(limit + 1)
        if len(data) > limit:
            print(
                f"twofeet import: {args.file} is larger than {limit:,} bytes (TWOFEET_MAX_IMPORT_BYTES); "
                "no event file is that large.",
                file=sys.stderr,
            )
            return 2
        document = json.loads(data.decode("utf-8"))
    except OSError as error:
        print(f"twofeet import: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        print(f"twofeet import: {args.file} is not valid JSON: {error}", file=sys.stderr)
        return 2
    except RecursionError:
        print(f"twofeet import: {args.file} is nested too deeply to be an event file.", file=sys.stderr)
        return 2
    with Session(_engine(settings), expire_on_commit=False) as session:
        try:
            said = _import(session, document, args, settings)
        except DomainError as error:
            print(f"twofeet import: {args.file}: {error.message}", file=sys.stderr)
            return 2
    print(said)
    return 0


def _import(session: Session, document: object, args: argparse.Namespace, settings: Settings) -> str:
    """Import the whole event file, or with ``--setup-only`` its set-up; what to tell the person."""
    from app.domain import eventfile, series  # noqa: PLC0415 - heavy imports only for this command

    if not args.setup_only:
        imported = eventfile.import_event(session, series.on_date(document, args.date) if args.date else document)
        event = imported.created.event
        said = (
            f"Imported '{event.name}' as event {event.code}: {imported.topics} topics, "
            f"{imported.attendees} attendees, {imported.interests} marks."
        )
        return f"{said}\n{_links(settings, event.code, imported.created.secret)}"
    setup = series.import_setup(session, document, date=args.date)
    event = setup.imported.created.event
    left = ", ".join(f"{count} {words}" for words, count in setup.left_out.items())
    return "\n".join(
        [
            f"Imported the set-up of '{event.name}' as event {event.code} on {event.date or 'no date'}: its rooms, "
            f"slots, {setup.imported.talks} talks and marking rules.",
            f"Left out (--setup-only): {left}." if left else "The file held nothing else (--setup-only).",
            _links(settings, event.code, setup.imported.created.secret),
        ]
    )


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = _settings(args.db)
    _engine(settings).dispose()
    print(f"Database {settings.DATABASE_URL} is up to date.")
    return 0


def cmd_messages(_args: argparse.Namespace) -> int:
    from app.catalog import update  # Babel's extractors load only when asked

    print(f"Wrote app/locale/messages.pot and es/LC_MESSAGES/messages.po: {update('es')[1]} messages to translate.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="twofeet", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_server_commands(sub)
    _add_file_commands(sub)
    p = _with_db(sub.add_parser("migrate", help="upgrade the database", description="Apply database migrations."))
    p.set_defaults(func=cmd_migrate)
    sub.add_parser("messages", help="update the translation catalogs (app/locale)").set_defaults(func=cmd_messages)
    return parser


def _with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("--db", help="SQLite file or database URL (default: TWOFEET_DATABASE_URL or ./twofeet.db)")
    return p


def _with_server(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument(
        "--host",
        help="address to listen on (default: every interface when phones use this "
        "computer's network address, 127.0.0.1 for a localhost one)",
    )
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument(
        "--base-url",
        help="the address phones use, for every link and QR code (default: "
        "TWOFEET_BASE_URL, else this computer's address on the local network)",
    )
    return p


def _add_server_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``serve`` and ``demo``: the commands that run the app."""
    p = _with_server(
        _with_db(sub.add_parser("serve", help="run the app", description="Run the app on the configured database."))
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes to run (more than 1 needs PostgreSQL and Redis; see docs/scale-out.md)",
    )
    p.add_argument(
        "--python-gc",
        action="store_true",
        help="let Python make its full garbage-collection passes whenever it likes, even while the board "
        "is busy (default: only at quiet moments, which halves the live board's p99 with thousands of "
        "phones; see BENCHMARKS.md); same as TWOFEET_LIVE_QUIET_GC=false",
    )
    p.set_defaults(func=cmd_serve)
    p = _with_server(
        sub.add_parser(
            "demo",
            help="run the app on a demo event",
            description="Recreate a demo database with a full wall and run the app on it.",
        )
    )
    p.add_argument("--db", help="demo SQLite file (default ./twofeet-demo.db; it is deleted and recreated)")
    p.add_argument("--no-serve", action="store_true", help="only create the demo database and print its links")
    p.set_defaults(func=cmd_demo)


def _add_file_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``schedule``, ``export`` and ``import``: the commands that read or write an event file."""
    sched = sub.add_parser(
        "schedule",
        help="schedule an event file",
        add_help=False,
        description="Build a schedule from an event file; see `twofeet schedule --help`.",
    )
    sched.set_defaults(func=None)
    p = _with_db(
        sub.add_parser("export", help="print an event file", description="Print an event as twofeet.event/1 JSON.")
    )
    p.add_argument("code", help="the event's join code")
    p.set_defaults(func=cmd_export)
    p = _with_db(
        sub.add_parser(
            "import",
            help="create an event from an event file",
            description="Create a new event from a twofeet.event/1 file and print its links.",
        )
    )
    p.add_argument("file", help="the event file, or - for standard input")
    p.add_argument(
        "--setup-only",
        action="store_true",
        help="import only the set-up (settings, rooms, slots and their kinds, talks), as a new event like that "
        "one: the file's attendees, topics, marks, notes and resources are left out (and counted)",
    )
    p.add_argument("--date", help="the new event's date (YYYY-MM-DD) instead of the file's")
    p.set_defaults(func=cmd_import)


def main(argv: list[str] | None = None) -> int:
    from_command_line = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "schedule":
        from app.scheduler.command import main as schedule_main  # noqa: PLC0415 - solver loads only when asked

        return schedule_main(argv[1:], from_process_start=from_command_line)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0 if not argv else 2
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
