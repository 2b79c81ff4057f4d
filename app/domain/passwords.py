"""Organizer passwords: argon2 hashes, a keyed tag so a sign-in checks one hash, and a bound on how
many hashes are checked at once.

Each argon2 check costs 64 MiB and ~0.2 s of CPU. Checking a guess against every organizer's
hash let forty guessing clients take a laptop to 2 GB and its pages to seconds. Two defences:

* **The tag.** Beside each hash we keep the first ``TAG_HEX`` hex digits of
  HMAC-SHA256(install secret, event id + password). A sign-in computes the tag of what was typed
  and checks only the hashes with that tag: with the 20 organizers an event may have, a wrong
  guess almost never reaches argon2 and the right password reaches one hash (rarely two). The tag
  is kept short on purpose: should the database and the secret both leak, it rules out only
  4,095 of every 4,096 candidate passwords without argon2, not all of them. A hash stored before
  tags existed (tag NULL) is still checked on every sign-in, until its owner's next success
  stores the tag.
* **The bound.** At most ``max_at_once`` checks run in this process at a time; a check that
  cannot start within a moment is refused as TooBusy (429) rather than queued, so guessers never
  hold the worker threads that pages need.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.domain.errors import TooBusy
from app.i18n import _

TAG_HEX = 3
_hasher = PasswordHasher()


@dataclass
class CheckStats:
    running: int = 0
    peak: int = 0
    checks: int = 0
    refused: int = 0


class PasswordChecker:
    """Hashes and checks organizer passwords for one process."""

    def __init__(self, *, secret: str, max_at_once: int = 2, wait_s: float = 0.25) -> None:
        self._key = hashlib.sha256(b"twofeet.password-tag:" + secret.encode()).digest()
        self._slots = threading.BoundedSemaphore(max_at_once)
        self._wait_s = wait_s
        self._lock = threading.Lock()
        self.stats = CheckStats()

    def tag(self, *, event_id: int, password: str) -> str:
        message = f"{event_id}:{password}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:TAG_HEX]

    def hash(self, password: str) -> str:
        with self._slot():
            return _hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        with self._slot():
            try:
                return _hasher.verify(password_hash, password)
            except (VerificationError, InvalidHashError):
                return False

    def _slot(self) -> _Slot:
        return _Slot(self)


class _Slot:
    def __init__(self, checker: PasswordChecker) -> None:
        self.checker = checker

    def __enter__(self) -> None:
        c = self.checker
        if not c._slots.acquire(timeout=c._wait_s):
            with c._lock:
                c.stats.refused += 1
            raise TooBusy(_("Many sign-ins are being checked right now; try again in a few seconds."), retry_after=2)
        with c._lock:
            c.stats.running += 1
            c.stats.checks += 1
            c.stats.peak = max(c.stats.peak, c.stats.running)

    def __exit__(self, *exc: object) -> None:
        c = self.checker
        with c._lock:
            c.stats.running -= 1
        c._slots.release()


def verify_untracked(password_hash: str, password: str) -> bool:
    """A check outside any app (the CLI, domain tests): no tag, no bound."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
