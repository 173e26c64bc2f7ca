package provider

// What a read does with the credentials that travel with callbacks, unless
// redact_callback_secrets = false: the records kept and the read's messages
// are redacted (internal/redact) before they go into state, and the
// summary names its webhooks and failure descriptions redacted
// (accumulator.webhookKeys, accumulator.health). The summary groups the raw
// values, so a webhook is one group however its URL redacts. The provider
// logs no record content at all, redacted or not
// (TestReadRedactsCallbackSecrets checks its logs).

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
	"github.com/callbackwatch/terraform-provider-live/internal/redact"
)

// redactRecords redacts the records a read keeps, in place; keys are the
// summary's webhook keys (accumulator.webhookKeys).
func redactRecords[T any](records []T, common func(*T) *liveapi.CallbackCommon, keys map[string]string) {
	for i := range records {
		redactCallback(common(&records[i]), keys)
	}
}

// redactCallback redacts the fields of a record that can carry a
// credential: its notify_url becomes its webhook's key in the summary (keys),
// so that a record and its webhook's health name it alike.
func redactCallback(c *liveapi.CallbackCommon, keys map[string]string) {
	if key, ok := keys[c.NotifyURL]; ok {
		c.NotifyURL = key
	} else {
		c.NotifyURL = redact.URL(c.NotifyURL)
	}
	c.NotifyHeader = redact.Header(c.NotifyHeader)
	c.NotifyContent = redact.Text(c.NotifyContent)
	c.Description = redact.Text(c.Description)
	c.NotifyResponse = redact.Text(c.NotifyResponse)
}

// redactDiagnostics redacts the summary and detail of each diagnostic as
// text, keeping its severity and attribute path. No message of the provider
// quotes callback content today; this keeps one that ever does (an API
// error that echoes a value, say) from carrying a credential.
func redactDiagnostics(diags diag.Diagnostics) diag.Diagnostics {
	out := make(diag.Diagnostics, 0, len(diags))
	for _, d := range diags {
		summary, detail := redact.Text(d.Summary()), redact.Text(d.Detail())
		if summary == d.Summary() && detail == d.Detail() {
			out = append(out, d)
			continue
		}
		var redacted diag.Diagnostic
		if d.Severity() == diag.SeverityError {
			redacted = diag.NewErrorDiagnostic(summary, detail)
		} else {
			redacted = diag.NewWarningDiagnostic(summary, detail)
		}
		if withPath, ok := d.(diag.DiagnosticWithPath); ok {
			redacted = diag.WithPath(withPath.Path(), redacted)
		}
		out = append(out, redacted)
	}
	return out
}
