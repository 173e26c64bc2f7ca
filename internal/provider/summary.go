package provider

// The schema of the health summary both data sources compute over the
// callbacks a query returned: counts for the whole answer, then the same
// health for each event type and each webhook, so that a gate judges each on
// its own, each over the trailing windows asked for, and the worst streams
// with a failure. accumulator.go computes it.

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// summaryScope says what every count of the summary covers; it opens the
// descriptions, so the docs say it once.
const summaryScope = "It covers the callbacks the query returned (all pages, or the one page asked for), whatever " +
	"`keep_records` and `max_kept_records` keep in state, and only those: with `status = \"failed\"` every callback read " +
	"is a failure, so `failure_ratio` is 1 and `consecutive_failures` counts them all."

// summaryAttribute is the schema of summary.
func summaryAttribute() schema.SingleNestedAttribute {
	attrs := healthAttributes()
	// Maps of objects rather than nested attributes: Terraform's test mocks
	// (mock_data, override_data) leave a nested map attribute empty whatever
	// values they are given, so a gate judging these maps could not be
	// unit-tested under terraform test.
	attrs["by_notify_type"] = schema.MapAttribute{
		MarkdownDescription: "The health of each event type (`notify_type`), as the callbacks of that type alone give it: " +
			"a type that is still failing shows in its own `consecutive_failures` even when other types succeed. " +
			"Gates judge every entry. Keys are the types read; each value is an object with " + healthFields + ".",
		ElementType: healthObjectType,
		Computed:    true,
	}
	attrs["by_notify_url"] = schema.MapAttribute{
		MarkdownDescription: "The health of each webhook (`notify_url`), as the callbacks sent to it alone give it. Gates " +
			"judge every entry. Keys are the URLs read; each value is an object with " + healthFields + ". Credentials in " +
			"the URLs are replaced with `REDACTED` unless the provider sets `redact_callback_secrets = false`; webhooks whose " +
			"URLs differ only in their credentials stay distinct keys, numbered `REDACTED-1`, `REDACTED-2`, ... from the one " +
			"with the newest callback (see the provider's *Secrets in callbacks*).",
		ElementType: healthObjectType,
		Computed:    true,
	}
	attrs["failed_notify_urls"] = schema.ListAttribute{
		MarkdownDescription: "The distinct webhook URLs with at least one failed callback, sorted: which endpoint to look at. " +
			"They are keys of `by_notify_url`, redacted as they are.",
		ElementType: types.StringType, Computed: true,
	}
	attrs["failed_streams"] = schema.MapAttribute{
		MarkdownDescription: fmt.Sprintf("The streams with at least one failed callback, keyed `app_name/stream_name`, each "+
			"with its `consecutive_failures`: how many of the stream's newest callbacks failed after its newest success (0: it "+
			"recovered). Streams without a failure are left out, and at most %d streams are listed, the worst: most "+
			"`consecutive_failures`, then most failed callbacks, then by name; `failed_streams_omitted` counts the others. "+
			"So the summary stays small on a busy domain; `keys(...)` lists the streams.", maxFailedStreams),
		ElementType: types.Int64Type,
		Computed:    true,
	}
	attrs["failed_streams_omitted"] = schema.Int64Attribute{
		MarkdownDescription: fmt.Sprintf("How many streams with a failed callback `failed_streams` leaves out, beyond its %d "+
			"worst: 0 when it lists them all.", maxFailedStreams),
		Computed: true,
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: "Callback health, computed by the provider. " + summaryScope,
		Computed:            true,
		Attributes:          attrs,
	}
}

// healthObjectType is the health of one event type or webhook: the
// summary's own health attributes, as an object type.
var healthObjectType = func() types.ObjectType {
	attrTypes := map[string]attr.Type{}
	for name, a := range healthAttributes() {
		attrTypes[name] = a.GetType()
	}
	return types.ObjectType{AttrTypes: attrTypes}
}()

// healthFields names the attributes of a health object, for the maps'
// descriptions.
const healthFields = "the attributes `total`, `success`, `failed`, `failure_ratio`, `consecutive_failures`, " +
	"`latest_notify_time`, `latest_failure_time`, `latest_failure_description` and `windows`, which mean what the " +
	"summary's own do, for those callbacks alone"

// healthAttributes are the summary's own health attributes, of every
// callback read; healthObjectType gives each event type and webhook the same.
func healthAttributes() map[string]schema.Attribute {
	const of = "callbacks read"
	count := func(description string) schema.Attribute {
		return schema.Int64Attribute{MarkdownDescription: description, Computed: true}
	}
	text := func(description string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	return map[string]schema.Attribute{
		"total":         count("Number of " + of + "."),
		"success":       count("Number of " + of + " whose `notify_result` is `success`."),
		"failed":        count("Number of " + of + " whose `notify_result` is `failed`."),
		"failure_ratio": schema.Float64Attribute{MarkdownDescription: "`failed / total`, from 0 to 1; 0 when there are none.", Computed: true},
		"consecutive_failures": count("How many of the " + of + " failed after the newest successful one (all failures when " +
			"none succeeded): 0 when the newest succeeded. It tells a failure that is still going on from one that has " +
			"recovered. Callbacks carry whole seconds: a failure in the same second as the newest success is not counted."),
		"latest_notify_time":  text("`notify_time` of the newest of the " + of + "; null when there is none."),
		"latest_failure_time": text("`notify_time` of the newest failed one of the " + of + "; null when none failed."),
		"latest_failure_description": text("`description` of that newest failure (the error the delivery ran into); null when none " +
			"failed. Of several failures in that second, the description that sorts first (byte order), so that the answer " +
			"does not depend on the order in which the API lists the callbacks of one second." + redactedNote),
		"windows": schema.MapAttribute{
			MarkdownDescription: "The same counts over each trailing window of the `windows` argument, keyed exactly as written " +
				"there: `total`, `failed` and `failure_ratio` (`failed / total`, 0 when there are none) of the " + of + " in the " +
				"last that long before `end_time`. Empty when no window is asked for.",
			ElementType: windowObjectType,
			Computed:    true,
		},
	}
}

// windowObjectType is one trailing window of a group: the same object at
// every level of the summary.
var windowObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"total":         types.Int64Type,
	"failed":        types.Int64Type,
	"failure_ratio": types.Float64Type,
}}
