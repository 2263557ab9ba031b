"""minova's exceptions.

Each carries the HTTP status the REST layer answers with, so a controller
can let a domain error through and the fault wrapper turns it into Nova's
error body. Their module is in oslo.messaging's ``allowed_remote_exmods``,
so an error raised in the conductor or scheduler arrives at the caller as
the same class.
"""


class MinovaException(Exception):
    """Base class: ``msg_fmt`` is formatted with the keyword arguments."""

    msg_fmt = "An unknown exception occurred."
    code = 500

    def __init__(self, message: str | None = None, **kwargs):
        self.kwargs = kwargs
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError):
                message = self.msg_fmt
        self.message = message
        super().__init__(message)

    def format_message(self) -> str:
        return self.args[0] if self.args else self.message


# 400
class Invalid(MinovaException):
    msg_fmt = "Bad request: %(reason)s"
    code = 400


class ValidationError(Invalid):
    msg_fmt = "%(detail)s"


class InvalidInput(Invalid):
    msg_fmt = "Invalid input received: %(reason)s"


# Cold migration and resize (Nova's messages, 400).
class CannotResizeToSameFlavor(Invalid):
    msg_fmt = "When resizing, instances must change flavor!"


class CannotResizeDisk(Invalid):
    msg_fmt = "Server disk was unable to be resized because: %(reason)s"


class CannotMigrateToSameHost(Invalid):
    msg_fmt = ("Cannot migrate to the host where the server exists. "
               "Please choose a different host.")


class MigrationHostNotFound(Invalid):
    """The 2.56 ``host`` of a migrate names no compute (Nova answers 400)."""

    msg_fmt = "Compute host %(host)s could not be found."


class FlavorNotFoundForBuild(Invalid):
    msg_fmt = "Flavor %(flavor_id)s could not be found."


class ImageNotFoundForBuild(Invalid):
    msg_fmt = "Image %(image_id)s could not be found."


class ImageNotActive(Invalid):
    msg_fmt = "Image %(image_id)s is not active."


class FlavorMemoryTooSmall(Invalid):
    msg_fmt = "Flavor's memory is too small for requested image."


class FlavorDiskTooSmall(Invalid):
    msg_fmt = "The created instance's disk would be too small."


class FlavorDiskSmallerThanImage(FlavorDiskTooSmall):
    msg_fmt = ("Flavor's disk is too small for requested image. Flavor disk is "
               "%(flavor_size)i bytes, image is %(image_size)i bytes.")


class FlavorDiskSmallerThanMinDisk(FlavorDiskTooSmall):
    msg_fmt = ("Flavor's disk is smaller than the minimum size specified in image "
               "metadata. Flavor disk is %(flavor_size)i bytes, minimum size is "
               "%(image_min_disk)i bytes.")


class AvailabilityZoneNotFound(Invalid):
    msg_fmt = "The requested availability zone is not available"


class RequestedDestinationNotFound(Invalid):
    """A create's ``host``/``hypervisor_hostname`` (API 2.74) names no compute node
    (Nova: 400, ComputeHostNotFound / ComputeHostNodeNotFound)."""

    msg_fmt = "Compute host %(host)s with node %(node)s could not be found."


class UnshelveHostNotFound(Invalid):
    """An unshelve's ``host`` (API 2.91) names no compute host (Nova: 400 with
    ComputeHostNotFound's message)."""

    msg_fmt = "Compute host %(host)s could not be found."


class InstanceGroupNotFoundForBuild(Invalid):
    """A create's ``group`` hint names no server group the caller can see (Nova: 400)."""

    msg_fmt = "Instance group %(group_uuid)s could not be found."


class InvalidKeypair(Invalid):
    msg_fmt = "Keypair data is invalid: %(reason)s"


class KeypairNotFoundForBuild(Invalid):
    """A create's ``key_name`` names no keypair of the caller's user (Nova: 400)."""

    msg_fmt = "Invalid key_name provided."


class TooManyInstanceTags(Invalid):
    msg_fmt = "The number of tags exceeded the per-server limit %(limit)d"


class InvalidAggregateAction(Invalid):
    msg_fmt = "Unacceptable parameters: %(reason)s"


class InvalidAggregateActionDelete(InvalidAggregateAction):
    msg_fmt = "Cannot remove aggregate %(aggregate_id)s. Reason: %(reason)s."


class InvalidAggregateActionUpdate(InvalidAggregateAction):
    msg_fmt = "Cannot update aggregate %(aggregate_id)s. Reason: %(reason)s."


class InvalidAggregateActionUpdateMeta(InvalidAggregateAction):
    msg_fmt = "Cannot update metadata of aggregate %(aggregate_id)s. Reason: %(reason)s."


class InvalidAggregateActionAdd(InvalidAggregateAction):
    """400 from the db layer, but Nova's add_host answers it with 409."""

    msg_fmt = "Cannot add host to aggregate %(aggregate_id)s. Reason: %(reason)s."


# 401 / 403
class NotAuthorized(MinovaException):
    msg_fmt = "Not authorized."
    code = 403


class PolicyNotAuthorized(NotAuthorized):
    msg_fmt = "Policy doesn't allow %(action)s to be performed."


class MetadataLimitExceeded(NotAuthorized):
    """More server metadata items than Nova's default metadata_items quota (403)."""

    msg_fmt = "Maximum number of metadata items exceeds %(allowed)d"


class QuotaError(NotAuthorized):
    """Over a quota. Nova's class is a 413, but its API answers every one with 403."""

    msg_fmt = "Quota exceeded: code=%(code)s"


class TooManyInstances(QuotaError):
    msg_fmt = ("Quota exceeded for %(overs)s: Requested %(req)s, but already used "
               "%(used)s of %(allowed)s %(overs)s")


class OnsetFileLimitExceeded(QuotaError):
    """More personality files than the injected_files quota (rebuild before 2.57)."""

    msg_fmt = "Personality file limit exceeded"


class OnsetFilePathLimitExceeded(QuotaError):
    msg_fmt = "Personality file path exceeds maximum %(allowed)s"


class OnsetFileContentLimitExceeded(QuotaError):
    msg_fmt = "Personality file content exceeds maximum %(allowed)s"


class KeypairLimitExceeded(QuotaError):
    msg_fmt = "Maximum number of key pairs exceeded"


# 404
class NotFound(MinovaException):
    msg_fmt = "Resource could not be found."
    code = 404


class InstanceNotFound(NotFound):
    msg_fmt = "Instance %(instance_id)s could not be found."


class FlavorNotFound(NotFound):
    msg_fmt = "Flavor %(flavor_id)s could not be found."


class ImageNotFound(NotFound):
    msg_fmt = "Image %(image_id)s could not be found."


class ComputeHostNotFound(NotFound):
    msg_fmt = "Compute host %(host)s could not be found."


class HypervisorNotFound(NotFound):
    msg_fmt = "Hypervisor %(hypervisor_id)s could not be found."


class ServiceNotFound(NotFound):
    msg_fmt = "Service %(service_id)s could not be found."


class HostBinaryNotFound(NotFound):
    msg_fmt = "Could not find binary %(binary)s on host %(host)s."


class InstanceActionNotFound(NotFound):
    msg_fmt = "Action for request_id %(request_id)s on instance %(instance_uuid)s not found"


class AggregateNotFound(NotFound):
    msg_fmt = "Aggregate %(aggregate_id)s could not be found."


class AggregateHostNotFound(NotFound):
    msg_fmt = "Aggregate %(aggregate_id)s has no host %(host)s."


class FlavorExtraSpecsNotFound(NotFound):
    msg_fmt = "Flavor %(flavor_id)s has no extra specs with key %(extra_specs_key)s."


class InstanceTagNotFound(NotFound):
    msg_fmt = "Instance %(instance_id)s has no tag '%(tag)s'."


class MetadataItemNotFound(NotFound):
    msg_fmt = "Metadata item was not found"


class InstanceGroupNotFound(NotFound):
    msg_fmt = "Instance group %(group_uuid)s could not be found."


class KeypairNotFound(NotFound):
    msg_fmt = "Keypair %(name)s not found for user %(user_id)s"


class FlavorAccessNotFound(NotFound):
    msg_fmt = "Flavor access not found for %(flavor_id)s / %(project_id)s combination."


# 409
class Conflict(MinovaException):
    msg_fmt = "Conflict: %(reason)s"
    code = 409


class FlavorExists(Conflict):
    msg_fmt = "Flavor with %(key)s %(value)s already exists."


class KeyPairExists(Conflict):
    msg_fmt = "Key pair '%(key_name)s' already exists."


class FlavorAccessExists(Conflict):
    msg_fmt = ("Flavor access already exists for flavor %(flavor_id)s and project "
               "%(project_id)s combination.")


class AggregateNameExists(Conflict):
    msg_fmt = "Aggregate %(aggregate_name)s already exists."


class AggregateHostExists(Conflict):
    msg_fmt = "Aggregate %(aggregate_id)s already has host %(host)s."


class UnexpectedTaskStateError(Conflict):
    msg_fmt = (
        "Conflict updating instance %(instance_uuid)s. "
        "Expected: %(expected)s. Actual: %(actual)s"
    )


class UnshelveInstanceInvalidState(Conflict):
    msg_fmt = ("Specifying an availability zone or a host when unshelving server "
               "%(instance_uuid)s with status %(state)s is not supported. The server "
               "status must be SHELVED_OFFLOADED.")


class InstanceInvalidState(Conflict):
    msg_fmt = (
        "Cannot '%(action)s' instance %(instance_uuid)s while it is in "
        "%(attr)s %(state)s"
    )


class InstanceIsLocked(InstanceInvalidState):
    """A project's action on a server locked by lock (admins are not held back)."""

    msg_fmt = "Instance %(instance_uuid)s is locked"


# Not user-facing: control flow between services
# 503
class ServiceUnavailable(MinovaException):
    """What the request needs cannot be reached for now (Nova's message): the
    api answers 503 ``serviceUnavailable`` with ``Retry-After``; it is safe
    for the client to send the request again."""

    msg_fmt = "Service is unavailable at this time."
    code = 503


class DatabaseUnavailable(ServiceUnavailable):
    """The conductor lost its database connection (raised in place of the
    driver's error at the RPC boundary, minova.conductor.db_errors)."""

    msg_fmt = "Service is unavailable at this time: the database cannot be reached."


class NoValidHost(MinovaException):
    msg_fmt = "No valid host was found. %(reason)s"
    code = 500


class ClaimFailed(MinovaException):
    msg_fmt = "Claim on host %(host)s failed: %(reason)s"


class SchedulerUnavailable(MinovaException):
    """No scheduler answered: the build stays in scheduling, for build recovery."""
    msg_fmt = "No scheduler answered: %(reason)s"


class BuildAbortException(MinovaException):
    msg_fmt = "Build of instance %(instance_uuid)s aborted: %(reason)s"


class RescheduledException(MinovaException):
    msg_fmt = "Build of instance %(instance_uuid)s was re-scheduled: %(reason)s"


class VirtDriverNotFound(MinovaException):
    msg_fmt = "Could not load virt driver %(driver)s: %(reason)s"


class ConfigurationError(MinovaException):
    msg_fmt = "Configuration error: %(reason)s"


class StoppedWhileStarting(MinovaException):
    """A stop signal came while the service waited to start: a clean stop."""

    msg_fmt = "%(binary)s was stopped before it started"


class CannotListen(MinovaException):
    """A server's listening address is taken, not on this host, or privileged."""

    msg_fmt = "cannot listen on %(address)s: %(reason)s; %(remedy)s"


class ResponseValidationError(MinovaException):
    """An answer that does not match its response schema: a bug (500)."""

    msg_fmt = "The response does not match its schema: %(detail)s"


class MarkerNotFound(Invalid):
    msg_fmt = "Marker %(marker)s could not be found."


class InstanceNotRunning(Conflict):
    msg_fmt = "Instance %(instance_id)s is not running."


class UnsupportedRescueImage(Invalid):
    msg_fmt = "Requested rescue image '%(image)s' is not supported"


class InstanceNotRescuable(Invalid):
    msg_fmt = "Instance %(instance_id)s cannot be rescued: %(reason)s"


class TriggerCrashDumpNotSupported(Invalid):
    msg_fmt = "Triggering crash dump is not supported"


class InstanceNotReady(Conflict):
    msg_fmt = "Instance %(instance_id)s is not ready"


class ConsoleNotAvailable(Conflict):
    msg_fmt = "Guest does not have a console available."


# Image bytes and the hypervisor (compute hosts)
class ImageDownloadFailed(MinovaException):
    msg_fmt = "Download of image %(image_id)s failed: %(reason)s"


class ImageUploadFailed(MinovaException):
    msg_fmt = "Upload of image %(image_id)s failed: %(reason)s"


class ImageDeleteFailed(MinovaException):
    msg_fmt = "Delete of image %(image_id)s failed: %(reason)s"


class ImageChecksumMismatch(MinovaException):
    msg_fmt = "Checksum of image %(image_id)s does not match: %(reason)s"


class ImageUnacceptable(Invalid):
    msg_fmt = "Image %(image_id)s is unacceptable: %(reason)s"


class HypervisorUnavailable(MinovaException):
    msg_fmt = "Connection to the hypervisor is broken on host %(host)s: %(reason)s"
    code = 500


# The image service (/image/v2 and its conductor endpoints)
class ImageExists(Conflict):
    msg_fmt = "An image with identifier %(image_id)s already exists."


class ImageStatusConflict(Conflict):
    msg_fmt = "Image status transition from %(current)s to %(new)s is not allowed."


class ImageForbidden(NotAuthorized):
    msg_fmt = "You are not authorized to %(action)s image %(image_id)s."


class ImageProtected(NotAuthorized):
    msg_fmt = "Image %(image_id)s is protected and cannot be deleted."


class ImageDataNotFound(NotFound):
    msg_fmt = "The data of image %(image_id)s could not be found."
