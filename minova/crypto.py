"""Keypair cryptography: generating keys, and fingerprints as Nova computes them.

Fingerprints must be Nova's so that a key imported into minova shows the
value a user already knows from Nova (and from ``ssh-keygen -l -E md5``):
for ssh keys the MD5 of the decoded key blob, for x509 certificates the
SHA-1 of the DER certificate, both as colon-separated hex pairs.
"""

import base64
import binascii
import datetime
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from minova import exception

KEYPAIR_TYPE_SSH = "ssh"
KEYPAIR_TYPE_X509 = "x509"
KEYPAIR_TYPES = (KEYPAIR_TYPE_SSH, KEYPAIR_TYPE_X509)

_KEY_BITS = 2048
_PUBLIC_KEY_COMMENT = "Generated-by-Minova"
# Nova's generated x509 certificates are valid for ten years.
_CERT_VALIDITY = datetime.timedelta(days=3650)


def _colon_hex(hex_digest: str) -> str:
    return ":".join(hex_digest[i:i + 2] for i in range(0, len(hex_digest), 2))


def ssh_fingerprint(public_key: str) -> str:
    """MD5 fingerprint of an OpenSSH public key; InvalidKeypair if it is not one."""
    try:
        serialization.load_ssh_public_key(public_key.encode("utf-8"))
        blob = base64.b64decode(public_key.split()[1])
    except Exception:  # as Nova: ValueError, UnsupportedAlgorithm, a bad base64 blob...
        raise exception.InvalidKeypair(reason="failed to generate fingerprint") from None
    return _colon_hex(hashlib.md5(blob, usedforsecurity=False).hexdigest())


def x509_fingerprint(pem_certificate: str) -> str:
    """SHA-1 fingerprint of a PEM certificate; InvalidKeypair if it is not one."""
    try:
        cert = x509.load_pem_x509_certificate(pem_certificate.encode("utf-8"))
    except (ValueError, TypeError, UnicodeError) as exc:
        raise exception.InvalidKeypair(
            reason=f"failed to generate X509 fingerprint. Error message: {exc}") from None
    return _colon_hex(binascii.hexlify(cert.fingerprint(hashes.SHA1())).decode("ascii"))


def fingerprint(public_key: str, key_type: str) -> str:
    if key_type == KEYPAIR_TYPE_X509:
        return x509_fingerprint(public_key)
    return ssh_fingerprint(public_key)


def generate_ssh_key_pair() -> tuple[str, str, str]:
    """(private key PEM, OpenSSH public key, fingerprint) of a new RSA 2048 key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=_KEY_BITS)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()).decode("ascii")
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode("ascii")
    public = f"{public} {_PUBLIC_KEY_COMMENT}"
    return private_pem, public, ssh_fingerprint(public)


def generate_x509_key_pair(user_id: str) -> tuple[str, str, str]:
    """(private key PEM, certificate PEM, fingerprint): Nova's client certificate
    for WinRM certificate authentication, self-signed, its subject the user."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=_KEY_BITS)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, user_id)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + _CERT_VALIDITY)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode("ascii")
    return private_pem, cert_pem, x509_fingerprint(cert_pem)


def generate_key_pair(key_type: str, user_id: str) -> tuple[str, str, str]:
    if key_type == KEYPAIR_TYPE_X509:
        return generate_x509_key_pair(user_id)
    return generate_ssh_key_pair()
