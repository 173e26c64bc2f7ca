package provider

// The read both data sources share: the client (Configure), the check of
// the arguments that depend on each other (ValidateConfig), and the Read:
// the call within the read timeout, feeding the summary and the records
// kept as the records arrive, and what the state reports beside them.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// defaultReadTimeout bounds a read when no timeouts block says otherwise:
// 100k records at the default rate take about 4 seconds, so this leaves
// ample room for retries.
const defaultReadTimeout = 5 * time.Minute

// providerData is what the provider's Configure hands the data sources: the
// client, and whether callback data is redacted (redact_callback_secrets).
type providerData struct {
	client        *liveapi.Client
	redactSecrets bool
}

// clientFrom is the Configure both data sources share: the client, and
// whether to redact.
func clientFrom(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) (*liveapi.Client, bool) {
	if req.ProviderData == nil {
		return nil, true // Not configured yet (validation); Read is never called like this.
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *provider.providerData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return nil, true
	}
	return data.client, data.redactSecrets
}

// recordType is what the shared read needs of a data source's records.
type recordType[T any] struct {
	op     liveapi.Operation[T]
	common func(*T) *liveapi.CallbackCommon
	// compareOwn orders two records by the fields of their type beyond
	// CallbackCommon (nil: none), the last step of the order
	// max_kept_records keeps by.
	compareOwn func(a, b *T) int
}

// order is the order max_kept_records keeps by (compareCallbacks, then the
// type's own fields): negative when a is kept before b.
func (k recordType[T]) order(a, b *T) int {
	if c := compareCallbacks(k.common(a), k.common(b)); c != 0 || k.compareOwn == nil {
		return c
	}
	return k.compareOwn(a, b)
}

// readNotifyRecords is the Read both data sources share: the window and
// the read timeout from m, the read of op (storageType is the record
// action's own filter, "" for none), then m's summary, window and totals.
// It returns the API's answer (for the fields only one action has) and the
// records to keep in state, in the API's order. With redactSecrets
// (redact_callback_secrets), the summary and the records are redacted; the
// read's messages always are.
func readNotifyRecords[T any](ctx context.Context, client *liveapi.Client, kind recordType[T], m *notifyRecordsModel,
	storageType string, redactSecrets bool,
) (*liveapi.Result[T], []T, diag.Diagnostics) {
	start, end, diags := resolveWindow(m.StartTime, m.EndTime, m.Lookback)
	readTimeout, d := m.Timeouts.Read(ctx, defaultReadTimeout)
	diags.Append(d...)
	if !diags.HasError() {
		diags.Append(checkWindowsFit(m.Windows, end.Sub(start), windowReadName(m.Lookback, start, end))...)
	}
	if diags.HasError() {
		return nil, nil, diags
	}
	q := liveapi.Query{
		DomainName:  m.DomainName.ValueString(),
		AppName:     m.AppName.ValueString(),
		StreamName:  m.StreamName.ValueString(),
		Status:      m.Status.ValueString(),
		StorageType: storageType,
		StartTime:   start,
		EndTime:     end,
		PageSize:    int(m.PageSize.ValueInt64()),
		PageNumber:  int(m.PageNumber.ValueInt64()),
	}
	windows, _ := windowsOf(m.Windows)
	sum := newAccumulator(windows, liveapi.SentEnd(q))
	sum.redactSecrets = redactSecrets
	sink := &readSink[T]{kind: kind, sum: sum, keep: newKeeper(kind, m.KeepRecords, m.MaxKeptRecords)}
	res, d := readRecords(ctx, client, kind.op, q, readTimeout, sink)
	// Messages are redacted whatever redact_callback_secrets says: that
	// argument is about callback data in state, and a message may quote the
	// provider's own credentials (credentials-go's STS and metadata errors
	// carry their request URL, SecurityToken and Signature included).
	d = redactDiagnostics(d)
	if diags.Append(d...); diags.HasError() {
		return nil, nil, diags
	}
	diags.Append(shortenedWindows(windows, res)...)
	summary := sink.sum.summary()
	m.Summary = &summary
	m.StartTime, m.EndTime = reportedWindow(res.StartTime, res.EndTime)
	m.ID = types.StringValue(queryID(q, m.StartTime, m.EndTime))
	m.PageSize = types.Int64Value(int64(res.PageSize))
	m.PageNum = types.Int64Value(int64(res.PageNum))
	m.TotalNum = types.Int64Value(int64(res.TotalNum))
	m.TotalPage = types.Int64Value(int64(res.TotalPage))
	m.RequestID = types.StringValue(res.RequestID)
	kept := sink.keep.records()
	if redactSecrets {
		redactRecords(kept, kind.common, sum.webhookKeys())
	}
	return res, kept, diags
}

// readSink feeds the records of a read to the summary and to the records
// kept, as liveapi.Read settles them.
type readSink[T any] struct {
	kind recordType[T]
	sum  *accumulator
	keep *keeper[T]
}

var _ liveapi.Sink[liveapi.StreamNotifyRecord] = (*readSink[liveapi.StreamNotifyRecord])(nil)

func (s *readSink[T]) Start(total int) {
	s.sum.start()
	s.keep.start(total)
}

func (s *readSink[T]) Add(index int, recs []T) error {
	for i := range recs {
		c := s.kind.common(&recs[i])
		s.sum.add(c)
		s.keep.add(index+i, &recs[i], c)
	}
	return nil
}

// readRecords runs the read of q into sink within the read timeout.
// Failures become one diagnostic with the API's code, message and request
// id and what to do.
func readRecords[T any](ctx context.Context, client *liveapi.Client, op liveapi.Operation[T], q liveapi.Query, readTimeout time.Duration,
	sink liveapi.Sink[T],
) (*liveapi.Result[T], diag.Diagnostics) {
	var diags diag.Diagnostics
	if client == nil {
		diags.AddError("Provider not configured", "The live provider was not configured. This is a bug in the provider; please report it.")
		return nil, diags
	}
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	ctx = tflog.SetField(ctx, "domain_name", q.DomainName)
	res, err := liveapi.Read(ctx, client, op, q, sink)
	if err != nil {
		addAPIError(&diags, op.Action, err, readTimeout)
		return nil, diags
	}
	tflog.Debug(ctx, "read callback records", map[string]interface{}{
		"action": op.Action, "total_num": res.TotalNum, "calls": res.Calls, "restarts": res.Restarts,
	})
	if res.StartRaisedFor > 0 {
		diags.AddWarning("The window read is shorter than asked",
			fmt.Sprintf("%s was asked for %s to %s and read %s to %s. The API accepts a StartTime only within the last 7 days "+
				"at each request, and this read of %d pages at max_qps %g was expected to take %s, so its start was raised by %s "+
				"(%s more than the %s any read near the 7-day edge gives up). The summary covers the window read. To read more "+
				"of it, raise max_qps, narrow the filters, or read the oldest hours in a separate window.",
				op.Action, q.StartTime.UTC().Format(time.RFC3339), q.EndTime.UTC().Format(time.RFC3339),
				res.StartTime.UTC().Format(time.RFC3339), res.EndTime.UTC().Format(time.RFC3339),
				res.TotalPage, client.MaxQPS(), res.StartRaisedFor.Round(time.Second), res.StartTime.Sub(q.StartTime).Round(time.Second),
				(res.StartTime.Sub(q.StartTime)-liveapi.WindowMargin).Round(time.Second), liveapi.WindowMargin))
	}
	return res, diags
}

// shortenedWindows warns of each summary window that reaches before the
// start the read sent: it counts fewer callbacks than its length says.
func shortenedWindows[T any](windows []summaryWindow, res *liveapi.Result[T]) diag.Diagnostics {
	var diags diag.Diagnostics
	for i, w := range windows {
		from := res.EndTime.Add(-w.d)
		if !from.Before(res.StartTime) {
			continue
		}
		diags.AddAttributeWarning(path.Root("windows").AtListIndex(i), "A summary window is shorter than asked",
			fmt.Sprintf("The summary window %q covers %s to %s, %s, not %s to %s: the read's start was raised by %s, to %s, "+
				"because the API accepts a StartTime only within the last 7 days at each request and a read near that edge gives "+
				"up the oldest moments of its window (see start_time). Its failure_ratio is still that of the callbacks it counts. "+
				"For the whole window, shorten it or the lookback by at least %s.",
				w.name, res.StartTime.UTC().Format(time.RFC3339), res.EndTime.UTC().Format(time.RFC3339),
				canonicalWindow(res.EndTime.Sub(res.StartTime)), from.UTC().Format(time.RFC3339), res.EndTime.UTC().Format(time.RFC3339),
				canonicalWindow(res.StartTime.Sub(from)), res.StartTime.UTC().Format(time.RFC3339),
				canonicalWindow(res.StartTime.Sub(from))))
	}
	return diags
}

// windowReadName names the window read as the configuration gives it, for
// the error of a summary window longer than it.
func windowReadName(lookback types.String, start, end time.Time) string {
	if !lookback.IsNull() {
		return fmt.Sprintf("lookback %q", lookback.ValueString())
	}
	return fmt.Sprintf("the window read, end_time - start_time (%s to %s)", start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339))
}

func queryID(q liveapi.Query, start, end types.String) string {
	parts := []string{q.DomainName, q.AppName, q.StreamName, q.Status, q.StorageType, start.ValueString(), end.ValueString()}
	if q.PageNumber > 0 {
		parts = append(parts, fmt.Sprintf("page-%d-of-%d", q.PageNumber, q.PageSize))
	}
	return strings.Join(parts, "/")
}
