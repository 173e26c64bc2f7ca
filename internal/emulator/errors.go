package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
)

// APIError is an error answer: HTTP status plus the Code and Message of the
// JSON error body. It is also how a test asks for a PersistentError fault.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message)
}

func newError(status int, code, format string, args ...any) *APIError {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &APIError{Status: status, Code: code, Message: msg}
}

// Gateway (authentication, routing, flow control) errors. Codes, messages
// and statuses are those of Alibaba Cloud's public OpenAPI error catalogue,
// which every product — Live included — answers before its own code runs.

// errMissingAccessKeyID answers a request that names no key: no V3
// Authorization header, no RPC AccessKeyId parameter. The real gateway has
// no "MissingAuthorization" code: when it finds no AccessKeyId anywhere in
// the request it answers 400 MissingAccessKeyId, which is what SDK users see
// when their client sends no credentials.
func errMissingAccessKeyID() *APIError {
	return newError(http.StatusBadRequest, "MissingAccessKeyId", "AccessKeyId is mandatory for this action.")
}

// errIncompleteSignature answers a signature that is only half there: an
// Authorization header that cannot be parsed, a signature that leaves out
// headers that must be signed, RPC signature parameters without Signature,
// SignatureMethod or SignatureVersion 1.0.
func errIncompleteSignature(detail string) *APIError {
	return newError(http.StatusBadRequest, "IncompleteSignature",
		"The request signature does not conform to Aliyun standards. %s", detail)
}

// errMixedSignatureStyles answers a request signed in both styles, or
// carrying what one style would sign along with the other's signature: only
// one of them can be verified, so the rest would be trusted unsigned.
func errMixedSignatureStyles(detail string) *APIError {
	return errIncompleteSignature("A request is signed either in the ACS3 style or in the RPC style; this one has " + detail + ".")
}

// errInvalidSignatureMethod answers an ACS3 algorithm other than
// ACS3-HMAC-SHA256, or an RPC SignatureMethod other than HMAC-SHA1. The real
// gateway also accepts ACS3-HMAC-SM3 and ACS3-RSA-SHA256; the emulator does
// not (the SDK defaults to HMAC-SHA256).
func errInvalidSignatureMethod(method string) *APIError {
	return newError(http.StatusBadRequest, "InvalidSignatureMethod",
		"Specified signature method is not supported. The emulator verifies ACS3-HMAC-SHA256 and HMAC-SHA1 (RPC) only, got %q.", method)
}

// errUnsupportedFormat answers an RPC Format other than JSON. The real API
// also answers XML (and does so when Format is absent); the emulator encodes
// JSON only, so it refuses rather than answer in a format not asked for.
func errUnsupportedFormat(format string) *APIError {
	return newError(http.StatusBadRequest, "InvalidParameter",
		"Specified parameter Format is not valid. The emulator answers Format JSON only, got %q.", format)
}

func errAccessKeyNotFound() *APIError {
	return newError(http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
}

// errMissingSecurityToken answers an STS AccessKeyId used without its token.
func errMissingSecurityToken() *APIError {
	return newError(http.StatusBadRequest, "MissingSecurityToken", "SecurityToken is mandatory for this action.")
}

// errSecurityTokenMismatch answers a token that does not belong to the
// AccessKeyId (wrong token, a token on a permanent key, or an
// x-acs-accesskey-id header naming another key).
func errSecurityTokenMismatch() *APIError {
	return newError(http.StatusBadRequest, "InvalidSecurityToken.MismatchWithAccessKey",
		"Specified SecurityToken mismatch with the AccessKey.")
}

func errTimestampFormat() *APIError {
	return newError(http.StatusBadRequest, "InvalidTimeStamp.Format",
		"Specified time stamp or date value is not well formatted.")
}

func errTimestampExpired() *APIError {
	return newError(http.StatusBadRequest, "InvalidTimeStamp.Expired",
		"Specified time stamp or date value is expired.")
}

// errSignatureMismatch echoes the server's string to sign like the real
// gateway does, so a client author can diff it against their own.
func errSignatureMismatch(stringToSign string) *APIError {
	return newError(http.StatusBadRequest, "SignatureDoesNotMatch",
		"Specified signature does not match our calculation. server StringToSign is [%s]", stringToSign)
}

// errRPCSignatureMismatch is errSignatureMismatch for the RPC style, in the
// wording alibaba-cloud-sdk-go looks for ("server string to sign is:", then
// the string to sign and nothing else): the SDK compares it with its own and
// tells a wrong secret from a signing bug (SignatureDostNotMatchWrapper).
func errRPCSignatureMismatch(stringToSign string) *APIError {
	return newError(http.StatusBadRequest, "SignatureDoesNotMatch",
		"Specified signature does not match our calculation. server string to sign is:%s", stringToSign)
}

// errPayloadHashMismatch: the body does not hash to x-acs-content-sha256.
// The payload hash is an input of the signature, so the emulator reports it
// as a signature mismatch (there is no separate public code for it).
func errPayloadHashMismatch() *APIError {
	return newError(http.StatusBadRequest, "SignatureDoesNotMatch",
		"Specified signature does not match our calculation. x-acs-content-sha256 is not the SHA-256 of the request body.")
}

func errMissingSignatureNonce() *APIError {
	return newError(http.StatusBadRequest, "MissingSignatureNonce", "SignatureNonce is mandatory for this action.")
}

func errSignatureNonceUsed() *APIError {
	return newError(http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce was used already.")
}

func errActionNotFound() *APIError {
	return newError(http.StatusNotFound, "InvalidAction.NotFound",
		"Specified api is not found, please check your url and method.")
}

func errInvalidVersion() *APIError {
	return newError(http.StatusBadRequest, "InvalidVersion", "Specified parameter Version is not valid.")
}

func errUnsupportedHTTPMethod() *APIError {
	return newError(http.StatusBadRequest, "UnsupportedHTTPMethod", "Specified http method is not supported.")
}

// errThrottlingUser is the real flow-control answer. Note the status: the
// gateway answers 400, not 429, and the SDK recognises the Code, turning it
// into *openapi.ThrottlingError.
func errThrottlingUser() *APIError {
	return newError(http.StatusBadRequest, "Throttling.User", "Request was denied due to user flow control.")
}

// errInternal is DescribeLiveStreamsNotifyRecords' documented 500.
func errInternal() *APIError {
	return newError(http.StatusInternalServerError, "InternalError",
		"The request processing has failed due to backend service exception.")
}

func errServiceUnavailable() *APIError {
	return newError(http.StatusServiceUnavailable, "ServiceUnavailable",
		"The request has failed due to a temporary failure of the server.")
}

// ErrorCodes returns every error Code the emulator can answer, sorted: the
// gateway's (authentication, routing, flow control), the faults' and both
// actions' documented parameter codes. A test keeps it in step with the
// newError calls of this package. The Code of a FlaggedAnswer fault is not
// in it: that one is an HTTP 200 answer with a number the test chooses.
func ErrorCodes() []string {
	return []string{
		"Duration.Exceed",
		"IncompleteSignature",
		"InternalError",
		"InvalidAccessKeyId.NotFound",
		"InvalidAction.NotFound",
		"InvalidEndTime.Malformed",
		"InvalidEndTime.Mismatch",
		"InvalidParam",
		"InvalidParameter",
		"InvalidParams",
		"InvalidSecurityToken.MismatchWithAccessKey",
		"InvalidSignatureMethod",
		"InvalidStartTime.Malformed",
		"InvalidTimeStamp.Expired",
		"InvalidTimeStamp.Format",
		"InvalidVersion",
		"MalformedParams",
		"MissingAccessKeyId",
		"MissingParams",
		"MissingSecurityToken",
		"MissingSignatureNonce",
		"ServiceUnavailable",
		"SignatureDoesNotMatch",
		"SignatureNonceUsed",
		"Throttling.User",
		"UnsupportedHTTPMethod",
	}
}

// errorBody is the JSON error document of Alibaba Cloud RPC APIs. The SDK
// reads Code, Message and RequestId from it (doRequestWithCtx_opResponse).
type errorBody struct {
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	Recommend string `json:"Recommend"`
}

func newErrorBody(e *APIError, requestID, host string) errorBody {
	return errorBody{
		RequestID: requestID,
		HostID:    host,
		Code:      e.Code,
		Message:   e.Message,
		Recommend: "https://api.aliyun.com/troubleshoot?q=" + e.Code + "&product=live&requestId=" + requestID,
	}
}

// newRequestID returns a fresh upper-case UUID-shaped id
// (180FA0D2-1A02-5158-A36B-115DBF7B218D), the form the real API uses.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
