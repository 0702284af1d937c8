"""VAPID key pairs (P-256) for web push: made by `python -m app vapid-keys`, or kept under
data/ in development so the demo works with no set-up."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def new_key_pair() -> tuple[bytes, bytes]:
    """(private PEM, public PEM)."""
    private = ec.generate_private_key(ec.SECP256R1())
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem


@lru_cache
def development_keys(folder: Path) -> tuple[bytes, bytes]:
    """One file holds both keys; the first process to link it in wins, so every process of a
    development server signs with the same pair."""
    path = folder / "vapid-development.pem"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        private_pem, public_pem = new_key_pair()
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(private_pem + public_pem)
        os.chmod(temporary, 0o600)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    data = path.read_bytes()
    split = data.index(b"-----BEGIN PUBLIC KEY-----")
    return data[:split], data[split:]
