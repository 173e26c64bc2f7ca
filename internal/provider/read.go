package provider

// The read both data sources share: the client, the call within the read
// timeout, what the state reports beside the records, and which records it
// keeps.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// defaultReadTimeout bounds a read when no timeouts block says otherwise:
// 100k records at the default rate take about 4 seconds, so this leaves
// ample room for retries.
const defaultReadTimeout = 5 * time.Minute

// clientFrom is the Configure both data sources share.
func clientFrom(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) *liveapi.Client {
	if req.ProviderData == nil {
		return nil // Not configured yet (validation); Read is never called like this.
	}
	client, ok := req.ProviderData.(*liveapi.Client)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *liveapi.Client, got %T. This is a bug in the provider; please report it.", req.ProviderData))
	}
	return client
}

// readResult is a finished read: the API's answer, and the window the state
// reports.
type readResult[T any] struct {
	*liveapi.Result[T]
	StartTime, EndTime types.String
}

// readRecords runs the read of q within the read timeout. Failures become one
// diagnostic with the API's code, message and request id and what to do.
func readRecords[T any](ctx context.Context, client *liveapi.Client, op liveapi.Operation[T], q liveapi.Query, readTimeout time.Duration) (*readResult[T], diag.Diagnostics) {
	var diags diag.Diagnostics
	if client == nil {
		diags.AddError("Provider not configured", "The live provider was not configured. This is a bug in the provider; please report it.")
		return nil, diags
	}
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	ctx = tflog.SetField(ctx, "domain_name", q.DomainName)
	res, err := liveapi.List(ctx, client, op, q)
	if err != nil {
		addAPIError(&diags, op.Action, err, readTimeout)
		return nil, diags
	}
	tflog.Debug(ctx, "read callback records", map[string]interface{}{
		"action": op.Action, "records": len(res.Records), "total_num": res.TotalNum, "calls": res.Calls, "restarts": res.Restarts,
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
	start, end := reportedWindow(res.StartTime, res.EndTime)
	return &readResult[T]{Result: res, StartTime: start, EndTime: end}, diags
}

// fillAnswer sets what a read reports beside its records: the summary of
// every callback read, the window sent, the API's paging totals and the id.
func fillAnswer[T any](a *readAnswerModel, q liveapi.Query, res *readResult[T], callbacks []*liveapi.CallbackCommon) {
	summary := summarize(callbacks)
	a.Summary = &summary
	a.ID = types.StringValue(queryID(q, res.StartTime, res.EndTime))
	a.StartTime, a.EndTime = res.StartTime, res.EndTime
	a.PageSize = types.Int64Value(int64(res.PageSize))
	a.PageNum = types.Int64Value(int64(res.PageNum))
	a.TotalNum = types.Int64Value(int64(res.TotalNum))
	a.TotalPage = types.Int64Value(int64(res.TotalPage))
	a.RequestID = types.StringValue(res.RequestID)
}

func queryID(q liveapi.Query, start, end types.String) string {
	parts := []string{q.DomainName, q.AppName, q.StreamName, q.Status, q.StorageType, start.ValueString(), end.ValueString()}
	if q.PageNumber > 0 {
		parts = append(parts, fmt.Sprintf("page-%d-of-%d", q.PageNumber, q.PageSize))
	}
	return strings.Join(parts, "/")
}

// keptIndexes picks the records that go into state, as indexes into records
// in the API's order: those keep_records selects (null means "all"), then the
// newest maxKept of them by notify_time (null means no cap). Ties at the cap
// go to the record the API listed first.
func keptIndexes(records []*liveapi.CallbackCommon, keep types.String, maxKept types.Int64) []int {
	mode := keep.ValueString()
	if mode == keepNone {
		return nil
	}
	kept := make([]int, 0, len(records))
	for i, r := range records {
		if mode != keepFailed || r.NotifyResult == "failed" {
			kept = append(kept, i)
		}
	}
	if maxKept.IsNull() || int64(len(kept)) <= maxKept.ValueInt64() {
		return kept
	}
	newest := slices.Clone(kept)
	slices.SortStableFunc(newest, func(a, b int) int { return strings.Compare(records[b].NotifyTime, records[a].NotifyTime) })
	newest = newest[:maxKept.ValueInt64()]
	slices.Sort(newest)
	return newest
}
