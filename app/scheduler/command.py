"""``twofeet schedule EVENT.json``: schedule an event file from the command line.

Prints the ``twofeet.schedule/1`` document on stdout. Errors are one line on stderr
naming the file, key and id; exit status 2 for bad files or arguments, 1 when the
event's hard constraints cannot all hold, 0 otherwise. Never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from typing import NoReturn

from app.scheduler.eventfile import EventFileError, parse_event
from app.scheduler.instance import Instance
from app.scheduler.solution import Placement, Solution, Status, parse_schedule, schedule_to_document
from app.scheduler.solve import Config, Progress, solve, suggested_time_limit

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are our one clear line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise _Usage(message)


class _Usage(Exception):
    pass


def _positive_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return value


def _load_json(path: str) -> object:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise _BadInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise _BadInput(f"{path}: is a directory, not a file") from None
    except PermissionError:
        raise _BadInput(f"{path}: permission denied") from None
    except UnicodeDecodeError:
        raise _BadInput(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise _BadInput(f"{path}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except OSError as e:
        raise _BadInput(f"{path}: cannot read ({e.strerror})") from None


class _BadInput(Exception):
    """A bad argument or file: its message is the one line for stderr, and the exit status is 2."""


def _process_age() -> float:
    """Seconds since this process started (the interpreter and OR-Tools take a moment to load), so
    that ``--time-limit`` counts from the command, not from here; 0 where the system does not say."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            started_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - started_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def _build_parser() -> _Parser:
    parser = _Parser(prog="twofeet schedule", description="Schedule a twofeet.event/1 file.")
    parser.add_argument("event", metavar="EVENT.json", help="the event file")
    parser.add_argument(
        "--time-limit",
        type=_positive_float,
        default=None,
        metavar="SECONDS",
        help="wall-clock seconds from start to answer, reading the file and building the model "
        "included (default: by the event's size, 2 s for a 10-topic day, about 30 s for "
        "260 topics over 6 slots)",
    )
    parser.add_argument(
        "--work",
        type=_positive_float,
        default=None,
        metavar="SECONDS",
        help="reproducible runs: a budget of solver work instead of the clock (the same file, seed, "
        "work and workers give the same schedule on any machine; the wall time varies). "
        "--time-limit is then only a safety cap (default: 20 times the work)",
    )
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default 0)")
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="solver threads and search processes (default 2; the machine's cores)",
    )
    parser.add_argument(
        "--previous", metavar="SCHEDULE.json", help="the schedule in force, to change as little as possible"
    )
    parser.add_argument(
        "--keep-before", metavar="SLOT", help="keep the previous schedule's placements before this slot"
    )
    parser.add_argument("--verbose", action="store_true", help="progress lines on stderr")
    return parser


def main(argv: list[str] | None = None, *, from_process_start: bool | None = None) -> int:
    """Run ``twofeet schedule``; return the exit status.

    Parameters
    ----------
    argv : list of str, optional
        Arguments after ``schedule`` (defaults to ``sys.argv[1:]``).
    from_process_start : bool, optional
        Count ``--time-limit`` from the start of this process (the command line) rather than from
        this call; by default, when ``argv`` is None.

    Returns
    -------
    int
        0 on success, 1 if infeasible or nothing was found in time, 2 for bad input.

    Examples
    --------
    >>> main(["no-such-file.json"])
    2
    """
    # Run as a program, the clock starts with the process; called from Python, with this call.
    if from_process_start is None:
        from_process_start = argv is None
    started = time.monotonic() - (_process_age() if from_process_start else 0.0)
    try:
        args = _arguments(argv)
        instance, previous = _read_files(args)
    except _BadInput as e:
        print(e, file=sys.stderr)
        return 2
    config = _config(args, instance, started)
    solution = solve(
        instance,
        config,
        previous=previous,
        keep_before=args.keep_before,
        on_progress=_print_progress if args.verbose else None,
    )
    return _answer(args.event, solution, config)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    """The parsed command line; raises :class:`_BadInput` for a usage error."""
    try:
        args = _build_parser().parse_args(argv)
    except _Usage as e:
        raise _BadInput(f"twofeet schedule: {e}") from None
    if args.keep_before is not None and args.previous is None:
        raise _BadInput("twofeet schedule: --keep-before needs --previous")
    if args.workers < 1:
        raise _BadInput("twofeet schedule: --workers must be at least 1")
    return args


def _read_files(args: argparse.Namespace) -> tuple[Instance, tuple[Placement, ...] | None]:
    """The event, and the previous schedule when given; raises :class:`_BadInput` naming the file."""
    try:
        instance = parse_event(_load_json(args.event))
    except EventFileError as e:
        raise _BadInput(f"{args.event}: {e}") from None
    if args.previous is None:
        return instance, None
    try:
        previous = parse_schedule(_load_json(args.previous), instance)
    except EventFileError as e:
        raise _BadInput(f"{args.previous}: {e}") from None
    if args.keep_before is not None and args.keep_before not in instance.slot_ids:
        raise _BadInput(f"twofeet schedule: --keep-before: unknown slot {args.keep_before!r}")
    return instance, previous


def _config(args: argparse.Namespace, instance: Instance, started: float) -> Config:
    """The solver's settings: a work budget, or what is left of the time limit since ``started``."""
    if args.work is not None:
        return Config(
            time_limit=args.time_limit or 20 * args.work, seed=args.seed, workers=args.workers, work=args.work
        )
    # The clock started when the command did: reading and checking the file count too.
    limit = args.time_limit if args.time_limit is not None else suggested_time_limit(instance)
    return Config(time_limit=max(0.05, limit - (time.monotonic() - started)), seed=args.seed, workers=args.workers)


def _print_progress(p: Progress) -> None:
    bound = "?" if p.bound is None else str(p.bound)
    print(f"{p.elapsed:7.2f}s  attendance {p.attendance}  bound {bound}  upper bound {p.upper_bound}", file=sys.stderr)


def _answer(event: str, solution: Solution, config: Config) -> int:
    """Print the schedule on stdout, or why there is none on stderr; the exit status."""
    if solution.status is Status.INFEASIBLE:
        print(f"{event}: the hard constraints cannot all hold:", file=sys.stderr)
        for message in solution.conflicts:
            print(f"  {message}", file=sys.stderr)
        return 1
    if solution.status is Status.TIMEOUT:
        print(f"{event}: no schedule found within {config.time_limit:g} s; try a longer --time-limit", file=sys.stderr)
        return 1
    json.dump(schedule_to_document(solution), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
