"""Console passwords: argon2id hashes (argon2-cffi's defaults, RFC 9106's second recommended parameter set)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
HASHER = PasswordHasher()


class WeakPassword(ValueError):
    pass


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a console password needs at least {MIN_LENGTH} characters")
    return HASHER.hash(password)


def verify(stored: str | None, password: str) -> bool:
    """Whether `password` matches; a person without a password is checked against a dummy hash, so the answer
    takes as long either way and does not tell who has one."""
    try:
        return HASHER.verify(stored or DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


DUMMY = HASHER.hash("no password is set for this person")
