"""The dev-only key the national portal signs ID tokens with when ``MAEX_SIGN_ON_PRIVATE_KEY`` is unset.

Generated once into ``.run/`` and shared by every local process (server, worker, test servers), so a token
signed by one is verified by another. Production never reads it: there the variable is required
(docs/decisions/0022-one-sign-in-across-portals.md)."""

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def dev_signing_key(folder: Path) -> str:
    path = folder / "sign_on_dev_key.pem"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        tmp = path.with_suffix(f".{id(pem)}.tmp")
        tmp.write_bytes(pem)
        tmp.replace(path)  # atomic: two processes starting at once agree on one key
    return path.read_text()
