"""Compute API microversions, as Nova negotiates them.

A client names the version it speaks in ``OpenStack-API-Version: compute
2.53`` (or the legacy ``X-OpenStack-Nova-API-Version: 2.53``); without a
header it gets the minimum, 2.1, so an old client never sees a change it
did not ask for. ``latest`` means the maximum. A version above the
maximum is refused with 406, a malformed one with 400. Every response
names the version that answered it.

Controllers ask ``req.api_version_request >= APIVersionRequest("2.64")``
(or ``req.is_microversion("2.64")``) where behaviour changed;
docs/api.md lists every such change minova implements.
"""

import re
from functools import total_ordering

# MAX is the newest version whose every change (for the resources minova
# serves) is implemented: a client trusts all of them. docs/api.md lists
# every version to 2.104 and what stops the maximum where it is (2.86).
MIN_API_VERSION = "2.1"
MAX_API_VERSION = "2.100"

SERVICE_TYPE = "compute"
HEADER = "OpenStack-API-Version"
LEGACY_HEADER = "X-OpenStack-Nova-API-Version"
VARY = f"{HEADER}, {LEGACY_HEADER}"
# Where the microversion middleware leaves the negotiated version.
ENV_KEY = "minova.api_version_request"

_FORMAT = re.compile(r"^([1-9]\d*)\.([1-9]\d*|0)$")


class InvalidAPIVersionString(ValueError):
    """Not ``X.Y`` with X >= 1 and no leading zeros."""


@total_ordering
class APIVersionRequest:
    """One version, ``major.minor``, compared numerically (2.10 > 2.9)."""

    __slots__ = ("major", "minor")

    def __init__(self, version_string: str) -> None:
        match = _FORMAT.match(version_string.strip())
        if match is None:
            raise InvalidAPIVersionString(
                f"API Version String {version_string} is of invalid format. "
                f"Must be of format MajorNum.MinorNum.")
        self.major = int(match.group(1))
        self.minor = int(match.group(2))

    def _key(self) -> tuple[int, int]:
        return (self.major, self.minor)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, APIVersionRequest):
            return NotImplemented
        return self._key() == other._key()

    def __lt__(self, other: "APIVersionRequest") -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def matches(self, min_version: str | None = None, max_version: str | None = None) -> bool:
        """True if this version is within [min_version, max_version] (either open)."""
        if min_version is not None and self < APIVersionRequest(min_version):
            return False
        return not (max_version is not None and self > APIVersionRequest(max_version))

    def get_string(self) -> str:
        return f"{self.major}.{self.minor}"

    __str__ = get_string

    def __repr__(self) -> str:
        return f"APIVersionRequest({self.get_string()!r})"


def min_version() -> APIVersionRequest:
    return APIVersionRequest(MIN_API_VERSION)


def max_version() -> APIVersionRequest:
    return APIVersionRequest(MAX_API_VERSION)


def requested_version_string(headers) -> str | None:
    """The version the client asked for, None if it did not ask.

    ``OpenStack-API-Version`` may list several services (``compute 2.5,
    image 2.1``); only the compute entry counts. It wins over the legacy
    header when both are present, as in Nova.
    """
    value = headers.get(HEADER)
    if value:
        for item in value.split(","):
            parts = item.strip().split()
            if len(parts) == 2 and parts[0].lower() == SERVICE_TYPE:
                return parts[1]
    legacy = headers.get(LEGACY_HEADER)
    if legacy:
        return legacy.strip()
    return None


class VersionNotAcceptable(Exception):
    """Asked for a version outside [MIN, MAX] (406)."""


def from_headers(headers) -> APIVersionRequest:
    """The version a request is served at; raises InvalidAPIVersionString or
    VersionNotAcceptable for one it cannot be served at."""
    requested = requested_version_string(headers)
    if requested is None:
        return min_version()
    if requested.strip().lower() == "latest":
        return max_version()
    version = APIVersionRequest(requested)
    if not version.matches(MIN_API_VERSION, MAX_API_VERSION):
        raise VersionNotAcceptable(
            f"Version {version.get_string()} is not supported by the API. "
            f"Minimum is {MIN_API_VERSION} and maximum is {MAX_API_VERSION}.")
    return version


def response_headers(version: APIVersionRequest) -> dict[str, str]:
    """The headers that tell a client which version answered."""
    return {
        HEADER: f"{SERVICE_TYPE} {version.get_string()}",
        LEGACY_HEADER: version.get_string(),
        "Vary": VARY,
    }
