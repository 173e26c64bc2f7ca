package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// addAPIError turns a failed read into one diagnostic: what happened, in the
// API's words when it answered (code, message, request id, attempts), and
// what to do about that cause. The advice follows the error's class, so a
// failure that retrying cannot fix never suggests retrying.
func addAPIError(diags *diag.Diagnostics, action string, err error, readTimeout time.Duration) {
	var (
		apiErr  *liveapi.APIError
		tooLong *liveapi.ReadTooLongError
	)
	class := liveapi.ClassOther
	if errors.As(err, &apiErr) {
		class = apiErr.Class
	}
	text := errorText(action, err)
	switch {
	case errors.As(err, &tooLong):
		diags.AddError("Reading callback records cannot finish in time",
			fmt.Sprintf("%s.\n\nThe first page says the read needs %d pages, and at max_qps %g the rest take at least %s, "+
				"more than the read timeout (%s) leaves. Raise timeouts { read = \"...\" } above %s, raise max_qps, or narrow the "+
				"window (lookback, start_time/end_time) or the filters (app_name, stream_name, status).",
				text, tooLong.Pages, tooLong.MaxQPS, tooLong.Need.Round(time.Second), readTimeout,
				(tooLong.Need+time.Minute).Round(time.Minute)))
	case (apiErr == nil || class == liveapi.ClassInterrupted) && errors.Is(err, context.DeadlineExceeded):
		detail := fmt.Sprintf("%s\n\nThe read did not finish within %s. Raise timeouts { read = \"...\" }, narrow the window or the filters, or raise max_qps.", text, readTimeout)
		if apiErr != nil && apiErr.Throttles > 0 {
			detail += fmt.Sprintf("\n\nThe API throttled %d requests of this provider configuration meanwhile: the account's %d requests "+
				"a second are shared with every other client on the account (other plans, other tools), and the provider slowed "+
				"down to the share it got. Run fewer plans at once, or give the read more time.", apiErr.Throttles, liveapi.MaxAPIQPS)
		}
		diags.AddError("Reading callback records timed out", detail)
	case (apiErr == nil || class == liveapi.ClassInterrupted) && errors.Is(err, context.Canceled):
		diags.AddError("Reading callback records was interrupted", text)
	case errors.Is(err, liveapi.ErrUnstableTies):
		diags.AddError("Callback records could not be ordered into pages",
			text+"\n\nMore callbacks share one second than a page holds, and the API lists them in a different order "+
				"on each request, so no page boundary inside that second can be read exactly. Narrow the read with app_name, "+
				"stream_name or status so that each second holds at most 500 callbacks.")
	case errors.Is(err, liveapi.ErrWindowExpired):
		diags.AddError("The time window is older than 7 days",
			text+"\n\nThe API only answers for the last 7 days, judged at each request, and a read near the 7-day edge keeps its "+
				"start within them until its last request. Move end_time forward, or use lookback.")
	case errors.Is(err, liveapi.ErrPageRange):
		diags.AddError("Too many pages for the API",
			text+"\n\nNarrow the window (lookback, start_time/end_time) or add filters (app_name, stream_name, "+
				"status), or choose a page_number within the documented range.")
	case errors.Is(err, liveapi.ErrMalformedRecord):
		diags.AddError("The API answered a callback record that breaks its document",
			text+"\n\nA record's notify_time is not in the documented form (yyyy-MM-ddTHH:mm:ssZ, UTC), so the order of the "+
				"records and every time the summary gives would be guesses: the read failed rather than give a partial summary. "+
				"Retry the plan; if the answer persists, contact Alibaba Cloud support with the request id.")
	case errors.Is(err, liveapi.ErrInconsistent):
		diags.AddError("Callback records changed during the read",
			text+"\n\nNew callbacks kept arriving while the pages were read, so no consistent answer could be assembled. "+
				"Retry the plan, or query a window that has closed (set end_time in the past) for a stable result.")
	case apiErr != nil && apiErr.Code != "":
		summary := fmt.Sprintf("%s failed: %s", action, apiErr.Code)
		detail := fmt.Sprintf("The API answered HTTP %d, code %s: %s\nRequest ID: %s", apiErr.StatusCode, apiErr.Code, apiErr.Message, orNone(apiErr.RequestID))
		if apiErr.Attempts > 1 {
			detail += fmt.Sprintf("\nAttempts made: %d", apiErr.Attempts)
		}
		if apiErr.Starved > 0 {
			detail += fmt.Sprintf("\nNo request of this provider configuration was accepted for %s.", apiErr.Starved.Round(100*time.Millisecond))
		}
		if h := hint(action, apiErr.Code); h != "" {
			detail += "\n\n" + h
		}
		diags.AddError(summary, detail)
	case class.Transient() && errors.Is(err, liveapi.ErrNoCredentials):
		diags.AddError("Alibaba Cloud credentials could not be obtained", text+"\n\n"+fmt.Sprintf(credentialNetworkHint, hostOf(apiErr)))
	case class == liveapi.ClassCredentials || errors.Is(err, liveapi.ErrNoCredentials):
		diags.AddError("No usable Alibaba Cloud credentials", text+"\n\n"+credentialOptions)
	case class == liveapi.ClassCertificate:
		diags.AddError("The endpoint's TLS certificate is not trusted", text+"\n\n"+fmt.Sprintf(certificateHint, hostOf(apiErr)))
	case class == liveapi.ClassUnknownHost:
		diags.AddError("The API host does not exist", text+"\n\n"+fmt.Sprintf(unknownHostHint, hostOf(apiErr)))
	case class == liveapi.ClassEndpoint:
		diags.AddError("The endpoint does not speak HTTPS", text+"\n\n"+fmt.Sprintf(schemeHint, hostOf(apiErr)))
	case class == liveapi.ClassNetwork:
		diags.AddError(action+" failed: the API could not be reached", text+"\n\n"+fmt.Sprintf(networkHint, hostOf(apiErr)))
	case class == liveapi.ClassBadAnswer:
		diags.AddError(action+" failed: the API's answer could not be read", text+"\n\n"+fmt.Sprintf(networkHint, hostOf(apiErr)))
	default:
		diags.AddError(action+" failed", text)
	}
}

// errorText is err's message naming the action once: an APIError's message
// starts with it, and other errors get it in front.
func errorText(action string, err error) string {
	msg := err.Error()
	if strings.HasPrefix(msg, action+":") || strings.HasPrefix(msg, action+" ") {
		return msg
	}
	return action + ": " + msg
}

// hostOf names the host a failed request went to, for the advice.
func hostOf(apiErr *liveapi.APIError) string {
	if apiErr == nil || apiErr.Host == "" {
		return "the endpoint"
	}
	return apiErr.Host
}

// The advice for failures that come before any answer of the API; each takes
// the host the request went to.
const (
	certificateHint = "%s presented a certificate that this machine does not trust, that has expired or that names another " +
		"host, so no request was sent and none was retried. For a private endpoint or a TLS-inspecting proxy, give the " +
		"PEM file of its certificate authority in custom_ca_bundle (or ALIBABA_CLOUD_CA_BUNDLE); otherwise check that " +
		"endpoint names the host the certificate was issued for."
	unknownHostHint = "DNS has no address for %s, so no request was sent and none was retried. Unless endpoint is set, " +
		"the host comes from region: check region (a region ID such as cn-shanghai; ALIBABA_CLOUD_REGION_ID) or endpoint " +
		"(ALIBABA_CLOUD_LIVE_ENDPOINT). If only a proxy can resolve the name, set https_proxy (or HTTPS_PROXY)."
	schemeHint = "%s does not speak HTTPS on that port (it answered in plain HTTP or refused the TLS handshake), so no " +
		"request was sent and none was retried. Check endpoint: write http://host:port for a plain-HTTP test endpoint " +
		"such as the emulator, or the port of the HTTPS endpoint."
	networkHint = "The request to %s got no usable answer (the connection was refused, reset or timed out, a proxy " +
		"failed it, or the body did not parse) on every attempt. Check that endpoint and region are right and reachable " +
		"from this machine, and the proxy settings (http_proxy, https_proxy, no_proxy or their environment variables); " +
		"raise max_retries to ride out a flaky network."
	credentialNetworkHint = "The request to %s for credentials (STS for assume_role, or the ECS metadata service) got " +
		"no usable answer on every attempt. credentials-go makes that request, so only the environment variables " +
		"HTTPS_PROXY, HTTP_PROXY and NO_PROXY route it, not the provider's proxy arguments: check the network and those; " +
		"raise max_retries to ride out a flaky network."
)

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

const (
	paramsHintRecord = "Check the data source arguments against the documented ranges: page_size 1-500, page_number 1-100000, " +
		"status success or failed, a window within the last 7 days whose end_time is after start_time."
	paramsHintStream = "Check the data source arguments against the documented ranges: page_size 1-500, page_number 1 or more, " +
		"status success or failed, a window within the last 7 days whose end_time is after start_time."
	credentialHint = "The credentials were rejected before the API ran: check access_key (ALIBABA_CLOUD_ACCESS_KEY_ID) and " +
		"secret_key (ALIBABA_CLOUD_ACCESS_KEY_SECRET), and security_token for a temporary STS key pair."
	signingHint = "The request was not signed the way the API gateway expects. The provider signs every request itself, " +
		"so this points at a proxy or a custom endpoint that alters requests: check endpoint, and report it if it persists."
	clientBugHint = "The API gateway did not accept the request's form. The provider builds every request itself, so this " +
		"points at an endpoint that is not ApsaraVideo Live (check endpoint and region) or at a bug in the provider; please report it with the request id."
	permissionHint = "The identity lacks permission: grant live:DescribeLiveRecordNotifyRecords and " +
		"live:DescribeLiveStreamsNotifyRecords on the domain (acs:cdn:*:<account>:domain/<DomainName>)."
	accessKeyHint = "The access key does not exist or is disabled: check access_key (ALIBABA_CLOUD_ACCESS_KEY_ID) " +
		"and that the key is enabled in the RAM console."
	// throttlingHint answers the throttle codes. The client slows down when
	// throttled and retries for as long as some of its requests get
	// through, so a read fails with one only when none did.
	throttlingHint = "The API throttled every request of this provider configuration for max_retries attempts in a row. " +
		"The provider slows down to the share of the quota it gets and keeps retrying while any of its requests gets " +
		"through, so something else is taking all of it: find it and lower its rate (max_qps, for another configuration " +
		"of this provider), or raise max_retries to wait longer."
	serviceHint = "The service failed on its side; retry later. Raise max_retries to ride out longer incidents."
	// flaggedHint answers a numeric Code in an HTTP 200 answer: the API
	// returned the page but flagged it as failed.
	flaggedHint = "The API answered HTTP 200 but flagged the answer with a non-zero Code, so its records cannot be trusted and " +
		"no summary was computed. Retry the plan; if the code persists, contact Alibaba Cloud support with the request id."
)

// errorHints says what to do about each error code the API (and the
// emulator) can answer, in the provider's terms; paramCodes and numeric
// codes are handled by hint.
var errorHints = map[string]string{
	"Duration.Exceed": "The API only keeps callback records of the last 7 days: start_time must lie within the last 7 days " +
		"(use lookback to keep the window relative to now). Also check the machine clock: the API judges by its own.",
	"InvalidStartTime.Malformed": "Times must be RFC 3339 and are sent to the API in UTC as yyyy-MM-ddTHH:mm:ssZ.",
	"InvalidEndTime.Malformed":   "Times must be RFC 3339 and are sent to the API in UTC as yyyy-MM-ddTHH:mm:ssZ.",
	"InvalidEndTime.Mismatch":    "end_time must be later than start_time.",
	"SignatureDoesNotMatch": "The request signature was rejected: check that the secret key (secret_key, ALIBABA_CLOUD_ACCESS_KEY_SECRET) " +
		"belongs to the access key and has no stray whitespace, and that the machine clock is correct.",
	"IncompleteSignature":         signingHint,
	"InvalidSignatureMethod":      signingHint,
	"MissingSignatureNonce":       signingHint,
	"SignatureNonceUsed":          "The API saw this request's nonce before: a proxy or retry layer replayed it. Retry the plan; check endpoint if it persists.",
	"InvalidAccessKeyId.NotFound": accessKeyHint,
	"InvalidAccessKeyId":          accessKeyHint,
	"InvalidAccessKeyId.Inactive": "The access key is disabled: enable it in the RAM console or use another key (access_key, ALIBABA_CLOUD_ACCESS_KEY_ID).",
	"MissingAccessKeyId":          credentialHint + " No access key reached the API at all.",
	"MissingSecurityToken": "The access key is a temporary STS key, which needs its token: set security_token " +
		"(ALIBABA_CLOUD_SECURITY_TOKEN), or use assume_role so the provider gets and refreshes the token itself.",
	"InvalidSecurityToken.MismatchWithAccessKey": "The STS security token does not belong to this access key: give the " +
		"access_key, secret_key and security_token of the same STS session, and no security_token with a permanent key.",
	"InvalidSecurityToken.Expired": "The STS security token has expired: refresh security_token, or use assume_role so the " +
		"provider refreshes it.",
	"InvalidSecurityToken.Malformed": "The STS security token is malformed: copy security_token (ALIBABA_CLOUD_SECURITY_TOKEN) " +
		"again, whole and without whitespace.",
	"Forbidden.RAM": permissionHint,
	"Forbidden":     permissionHint,
	"NoPermission":  permissionHint,
	"Throttling.User": "The account's API quota (100 requests per second, shared by every tool on the account) was taken. " +
		throttlingHint,
	"Throttling":               throttlingHint,
	"Throttling.Api":           throttlingHint,
	"InternalError":            serviceHint,
	"ServiceUnavailable":       serviceHint,
	"InvalidTimeStamp.Expired": "The request time was rejected: make sure the machine clock is synchronised (NTP).",
	"InvalidTimeStamp.Format":  clientBugHint,
	"InvalidAction.NotFound":   clientBugHint,
	"InvalidVersion":           clientBugHint,
	"UnsupportedHTTPMethod":    clientBugHint,
}

// paramCodes are the codes of a rejected parameter; their advice names the
// action's documented ranges.
var paramCodes = map[string]bool{
	"MissingParams": true, "MalformedParams": true, "InvalidParams": true, "InvalidParam": true, "InvalidParameter": true,
}

// hint says what to do about an API error code; "" for codes without advice.
func hint(action, code string) string {
	if isNumeric(code) {
		return flaggedHint
	}
	if paramCodes[code] {
		if action == liveapi.RecordNotifyRecords.Action {
			return paramsHintRecord
		}
		return paramsHintStream
	}
	return errorHints[code]
}

func isNumeric(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
