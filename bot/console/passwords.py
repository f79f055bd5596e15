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


DUMMY = "$argon2id$v=19$m=65536,t=3,p=4$k+zE8ouO2mq0EJHGtLD8fA$wm7+M4YQ6rv1nVqkngH4md9UNCL6OLfYRnSx3h1bBK4"
"""HASHER's hash of "no password is set for this person", written out: hashing it at import took a quarter of a
second of every start. Its parameters are HASHER's (a test checks), so checking against it costs what a real one
does."""
