"""Keypair cryptography: fingerprints equal to Nova's (and ssh-keygen's), generated keys."""

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from minova import crypto, exception

# ssh-keygen -t rsa -b 2048 -C me@host; `ssh-keygen -l -E md5` prints FINGERPRINT.
PUBLIC_KEY = (
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC+BtiD+eSoqzjbCWELYZKbQt2h0sTcK9dm3AOv1tWENR11R"
    "b6pBnqGZdEejtDsH5sWLPg8IDsXHvHKDyRZm0kJtqBCDwCLjK30uq7gFuVCsV1/vEcwa22lfZzJuBIwxsGCbiD"
    "RFuIUj6Nk7LxY6gtKwDDWAIkFJNbcrxQZyPx8oZJCDphsystOTZLVm5kIobcKb2AbiAO73Sy/BpHGDQ+Tpjen"
    "Sv9AdSQaFcgW6PI+P1WowNWeJJTpS9n7w2xqAhfXcH0JpbvYYtZvn+KR88KfR22uN+zWHqKneqnLsVJTr9qaJl"
    "IriJ4ZAm5U8bpzNOVgHoqVZLtXflSPr3xvFZ45 me@host")
FINGERPRINT = "c1:94:ac:ac:30:c8:fe:83:be:fd:90:38:d6:28:b7:60"


def test_ssh_fingerprint_is_the_md5_of_the_key_blob():
    assert crypto.ssh_fingerprint(PUBLIC_KEY) == FINGERPRINT
    assert crypto.fingerprint(PUBLIC_KEY, "ssh") == FINGERPRINT


@pytest.mark.parametrize("bad", ["", "ssh-rsa", "ssh-rsa AAAA", "not a key at all",
                                 PUBLIC_KEY.replace("AAAAB3", "BBBBB3"),
                                 "ssh-foo AAAAB3NzaC1yc2EAAAADAQABAAABAQC+"])
def test_invalid_ssh_keys_are_invalid_keypair(bad):
    with pytest.raises(exception.InvalidKeypair) as err:
        crypto.ssh_fingerprint(bad)
    assert err.value.format_message() == (
        "Keypair data is invalid: failed to generate fingerprint")
    assert err.value.code == 400


def test_generated_ssh_pair_is_rsa_2048_in_openssh_format():
    private, public, fingerprint = crypto.generate_ssh_key_pair()
    assert private.startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert public.startswith("ssh-rsa ") and public.endswith(" Generated-by-Minova")
    key = serialization.load_pem_private_key(private.encode(), password=None)
    assert key.key_size == 2048
    derived = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                            serialization.PublicFormat.OpenSSH).decode()
    assert public.split()[:2] == derived.split()
    assert fingerprint == crypto.ssh_fingerprint(public)
    assert crypto.generate_ssh_key_pair()[1] != public


def test_x509_pair_and_fingerprint():
    private, cert_pem, fingerprint = crypto.generate_key_pair("x509", "alice")
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    assert cert.subject.rfc4514_string() == "CN=alice"
    assert "PRIVATE KEY" in private
    assert fingerprint == crypto.fingerprint(cert_pem, "x509")
    assert len(fingerprint.split(":")) == 20  # SHA-1


def test_invalid_certificate_is_invalid_keypair():
    with pytest.raises(exception.InvalidKeypair) as err:
        crypto.x509_fingerprint(PUBLIC_KEY)
    assert err.value.format_message().startswith(
        "Keypair data is invalid: failed to generate X509 fingerprint. Error message: ")
