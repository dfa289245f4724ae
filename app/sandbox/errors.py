"""The error codes the emulated gateway and Live service return, with their HTTP statuses.

Statuses follow the POP gateway table and the Live "special error codes" tables (reference §1.5,
§3.10). Where Alibaba pages disagree, the gateway table wins.
"""

from __future__ import annotations

# code -> (HTTP status, default message)
ERROR_CATALOGUE: dict[str, tuple[int, str]] = {
    # gateway
    "MissingParameter": (
        400,
        'The input parameter "{name}" that is mandatory for processing this request is not'
        " supplied.",
    ),
    "InvalidParameter": (400, "The specified parameter is invalid."),
    "InvalidApi.NotFound": (404, "Specified api is not found, please check your url and method."),
    "UnsupportedHTTPMethod": (400, "This http method is not supported."),
    "InvalidAccessKeyId.NotFound": (404, "Specified access key is not found."),
    "InvalidAccessKeyId.Inactive": (400, "Specified access key is disabled."),
    "InvalidTimeStamp.Format": (400, "Specified time stamp or date value is not well formatted."),
    "InvalidTimeStamp.Expired": (400, "Specified time stamp or date value is expired."),
    "SignatureNonceUsed": (400, "Specified signature nonce was used already."),
    "IncompleteSignature": (400, "The request signature does not conform to Aliyun standards."),
    "InvalidSignatureMethod": (400, "Specified signature method is not supported."),
    "InvalidSignatureVersion": (400, "Specified signature version is not valid."),
    "SignatureDoesNotMatch": (
        400,
        "Specified signature is not matched with our calculation.",
    ),
    "InvalidSecurityToken.MismatchWithAccessKey": (
        400,
        "Specified security token does not match the access key.",
    ),
    "InvalidSecurityToken.Expired": (400, "Specified security token is expired."),
    "Throttling": (400, "Request was denied due to request throttling."),
    "Throttling.User": (400, "Request was denied due to user flow control."),
    "Throttling.Api": (400, "Request was denied due to api flow control."),
    "Forbidden": (403, "User not authorized to operate on the specified resource."),
    "Forbidden.RAM": (403, "User not authorized to operate on the specified resource."),
    "InternalError": (
        500,
        "The request processing has failed due to some unknown error, exception or failure.",
    ),
    "ServiceUnavailable": (503, "The request has failed due to a temporary failure of the server."),
    # live / caster
    "InvalidCaster.NotFound": (404, "Caster is not found."),
    "InvalidScene.NotFound": (404, "Scene is not found."),
    "InvalidDomainName.NotFound": (
        404,
        "DomainName is not configured. Call SetCasterConfig to set DomainName first.",
    ),
    "InvalidConfiguration.NotFound": (404, "DomainName is not configured."),
    "PermissionDenied": (401, "Permission Denied"),
    "IllegalOperation": (401, "Permission Denied"),
    "IncorrectSceneStatus": (400, "From scene is not started."),
    "IncorrectCasterStatus": (400, "The caster status does not allow this operation."),
    "IncorrectCasterStatus.Idle": (400, "The caster is idle."),
    "InvalidCasterId.Malformed": (400, "Specified parameter CasterId is not valid."),
    "InvalidLayout.NotFound": (400, "Layout is not found."),
    "CasterNumberExceed": (400, "The number of casters exceeds the limit."),
}

HOST_ID = "live.aliyuncs.com"


def status_for(code: str) -> int:
    """The HTTP status for ``code``; unknown codes are treated as client errors (400)."""
    entry = ERROR_CATALOGUE.get(code)
    if entry is not None:
        return entry[0]
    if code.startswith(("InternalError", "UnknownError")):
        return 500
    if code.startswith("ServiceUnavailable"):
        return 503
    return 400


class ApiError(Exception):
    """An error response: ``Code``, ``Message`` and the HTTP status that carries them."""

    def __init__(self, code: str, message: str | None = None, status: int | None = None) -> None:
        default_status, default_message = ERROR_CATALOGUE.get(code, (status_for(code), code))
        self.code = code
        self.message = message if message is not None else default_message
        self.status = status if status is not None else default_status
        super().__init__(f"{self.status} {code}: {self.message}")

    @classmethod
    def missing(cls, name: str) -> ApiError:
        return cls("MissingParameter", ERROR_CATALOGUE["MissingParameter"][1].format(name=name))

    @classmethod
    def invalid(cls, name: str, detail: str = "") -> ApiError:
        text = f"The specified parameter {name} is not valid."
        return cls("InvalidParameter", f"{text} {detail}".strip())
