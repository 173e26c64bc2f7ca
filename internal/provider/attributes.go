package provider

// The arguments and attributes both data sources share, as plain builders:
// each data source writes its own schema from them.

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// keep_records values.
const (
	keepAll    = "all"
	keepFailed = "failed"
	keepNone   = "none"
)

// redactedNote ends the description of every attribute that can carry a
// credential of a callback.
const redactedNote = " Credentials in it are replaced with `REDACTED` unless the provider sets " +
	"`redact_callback_secrets = false` (see the provider's *Secrets in callbacks*)."

func computedString(description string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: description, Computed: true}
}

func computedInt64(description string) schema.Int64Attribute {
	return schema.Int64Attribute{MarkdownDescription: description, Computed: true}
}

func idAttribute() schema.StringAttribute {
	return computedString("An identifier of the query: the domain, filters, window and page it read.")
}

func domainNameAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		Required:            true,
		Validators: []validator.String{
			stringvalidator.LengthAtLeast(1),
			stringvalidator.RegexMatches(domainPattern, "must be a domain name such as example.com"),
		},
	}
}

func appNameAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Return only the callbacks of this application (the name of the application to which the stream belongs).",
		Optional:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

func streamNameAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Return only the callbacks of this stream.",
		Optional:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

func statusAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Return only the callbacks with this result: `success` (the callback was successful) or `failed` (the callback failed).",
		Optional:            true,
		Validators:          []validator.String{stringvalidator.OneOf("success", "failed")},
	}
}

func startTimeAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "The beginning of the time range to query, as an RFC 3339 time; it is sent to the API in UTC as " +
			"`yyyy-MM-ddTHH:mm:ssZ`. The API only keeps the records of the last 7 days, so it must lie within the last 7 days " +
			"and not in the future. Set either `start_time` or `lookback`. After the read, the start of the window actually sent to " +
			"the API: rounded down to the second, and, near the 7-day edge, raised so that it stays within 7 days until the read's " +
			"last request, since the API judges the 7 days at each request. A read gives up what it needs for that plus a " +
			"5-minute margin, whatever `timeouts.read` says: `lookback = \"168h\"` reads 167h55m. A window shorter than asked by " +
			"more than the margin (a read of many pages at a low `max_qps`) draws a warning that names both windows.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{rfc3339Validator{}, stringvalidator.ConflictsWith(path.MatchRoot("lookback"))},
	}
}

func endTimeAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "The end of the time range to query, as an RFC 3339 time; it must be later than `start_time` and " +
			"is sent in UTC. Default: the time of the read, to the second. After the read, the end of the window actually sent " +
			"(rounded up to the second, so that a sub-second window is never empty).",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{rfc3339Validator{}, stringvalidator.ConflictsWith(path.MatchRoot("lookback"))},
	}
}

func lookbackAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "A window relative to the time of the read: a Go duration such as `30m`, `6h` or `48h`, at most " +
			"`168h` (7 days). The data source queries `[now - lookback, now]`, so the configuration never goes stale. " +
			"Conflicts with `start_time` and `end_time`.",
		Optional:   true,
		Validators: []validator.String{lookbackValidator{}},
	}
}

func pageSizeAttribute() schema.Int64Attribute {
	return schema.Int64Attribute{
		CustomType: wholeNumber,
		MarkdownDescription: "The number of entries on each page, 1 to 500. Default: 500, the API maximum, so that reading " +
			"every page takes the fewest calls. After the read, the page size the API used.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.Int64{int64validator.Between(1, liveapi.MaxPageSize)},
	}
}

func keepRecordsAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Which of the records read go into state: `all` (default), `failed` (only the failed callbacks, " +
			"what an on-call engineer opens) or `none` (only `summary` and the totals, for gates and checks). `summary` always " +
			"covers every record read. The provider holds only what the state needs while it reads: with `none` its memory " +
			"does not grow with the records read, with `failed` it holds the failed ones. A week of a busy domain is tens of " +
			"megabytes of state with `all`.",
		Optional:   true,
		Validators: []validator.String{stringvalidator.OneOf(keepAll, keepFailed, keepNone)},
	}
}

func maxKeptRecordsAttribute() schema.Int64Attribute {
	return schema.Int64Attribute{
		CustomType: wholeNumber,
		MarkdownDescription: "Keep at most this many of the records `keep_records` selects: the newest by `notify_time`, " +
			"listed in the API's order. Callbacks of one second tied at the cap are chosen by their content (`notify_type`, " +
			"`app_name`, `stream_name`, `notify_url`, `notify_result`, `description`, `notify_content`, `notify_header`, " +
			"`notify_response`, `domain_name`, then `storage_type` where there is one, each in byte order, first wins), never by " +
			"the API's order, which varies: the same callbacks give the same records. The provider holds only these N while it " +
			"reads. At least 1 (use `keep_records = \"none\"` to keep none). Unset: no cap.",
		Optional:   true,
		Validators: []validator.Int64{int64validator.AtLeast(1)},
	}
}

func pageNumAttribute() schema.Int64Attribute {
	return computedInt64("The page number of the answer (1 when every page was read).")
}

func totalNumAttribute() schema.Int64Attribute {
	return computedInt64("The total number of entries that meet the filter criteria, as the API counts them.")
}

func totalPageAttribute() schema.Int64Attribute {
	return computedInt64("The total number of pages at `page_size`.")
}

func requestIDAttribute() schema.StringAttribute {
	return computedString("The request ID of the (first) API call, for support requests.")
}

// timeoutsBlock is the framework's timeouts block (read), its read timeout
// also required to be longer than zero.
func timeoutsBlock(ctx context.Context) schema.Block {
	block, ok := timeouts.Block(ctx).(schema.SingleNestedBlock)
	if !ok {
		return timeouts.Block(ctx)
	}
	if read, ok := block.Attributes["read"].(schema.StringAttribute); ok {
		read.Validators = append(read.Validators, positiveDurationValidator{})
		block.Attributes["read"] = read
	}
	return block
}
