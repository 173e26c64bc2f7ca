package provider

import (
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// summaryAttribute is the summary both data sources compute.
func summaryAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "Callback health, computed over every record the query returned (all pages, or the one page " +
			"asked for), whatever `keep_records` and `max_kept_records` keep in state.",
		Computed: true,
		Attributes: map[string]schema.Attribute{
			"total":         computedInt64("Number of callbacks read."),
			"success":       computedInt64("Number of callbacks whose `notify_result` is `success`."),
			"failed":        computedInt64("Number of callbacks whose `notify_result` is `failed`."),
			"failure_ratio": schema.Float64Attribute{MarkdownDescription: "`failed / total`, from 0 to 1; 0 when there are no callbacks.", Computed: true},
			"by_notify_type": schema.MapAttribute{
				MarkdownDescription: "Number of callbacks of each `notify_type`.",
				ElementType:         types.Int64Type, Computed: true,
			},
			"failed_by_notify_type": schema.MapAttribute{
				MarkdownDescription: "Number of failed callbacks of each `notify_type` (types without failures are absent).",
				ElementType:         types.Int64Type, Computed: true,
			},
			"latest_notify_time":  computedString("`notify_time` of the newest callback; null when there is none."),
			"latest_failure_time": computedString("`notify_time` of the newest failed callback; null when none failed."),
			"latest_failure_description": computedString("`description` of the newest failed callback (the error the webhook " +
				"delivery ran into); null when none failed."),
			"consecutive_failures": computedInt64("How many callbacks failed after the newest successful one (all failures " +
				"when none succeeded): 0 when the newest callback succeeded. It tells a failure that is still going on from one that has recovered."),
			"failed_notify_urls": schema.ListAttribute{
				MarkdownDescription: "The distinct webhook URLs with at least one failed callback, sorted: which endpoint to look at.",
				ElementType:         types.StringType, Computed: true,
			},
			"failed_streams": schema.ListAttribute{
				MarkdownDescription: "The distinct `app_name/stream_name` pairs with at least one failed callback, sorted.",
				ElementType:         types.StringType, Computed: true,
			},
		},
	}
}

// summarize computes the health summary. It does not rely on the API's
// ordering: NotifyTime is fixed-width UTC, so string order is time order.
func summarize(records []*liveapi.CallbackCommon) summaryModel {
	s := summaryModel{
		ByNotifyType:       map[string]int64{},
		FailedByNotifyType: map[string]int64{},
		LatestNotifyTime:   types.StringNull(),
		LatestFailureTime:  types.StringNull(),

		LatestFailureDescription: types.StringNull(),
	}
	var latest, latestFailure, latestSuccess string
	urls, streams := map[string]bool{}, map[string]bool{}
	for _, c := range records {
		s.Total++
		s.ByNotifyType[c.NotifyType]++
		if c.NotifyTime > latest {
			latest = c.NotifyTime
		}
		failed := c.NotifyResult == "failed"
		if failed {
			s.Failed++
			s.FailedByNotifyType[c.NotifyType]++
			if c.NotifyTime > latestFailure || latestFailure == "" {
				latestFailure = c.NotifyTime
				s.LatestFailureDescription = types.StringValue(c.Description)
			}
			urls[c.NotifyURL] = true
			streams[c.AppName+"/"+c.StreamName] = true
		} else if c.NotifyResult == "success" {
			s.Success++
			latestSuccess = max(latestSuccess, c.NotifyTime)
		}
	}
	if s.Failed > 0 {
		// With no success at all, latestSuccess is "" and every failure counts.
		for _, c := range records {
			if c.NotifyResult == "failed" && c.NotifyTime > latestSuccess {
				s.ConsecutiveFailures++
			}
		}
	}
	if latest != "" {
		s.LatestNotifyTime = types.StringValue(latest)
	}
	if latestFailure != "" {
		s.LatestFailureTime = types.StringValue(latestFailure)
	}
	if s.Total > 0 {
		s.FailureRatio = float64(s.Failed) / float64(s.Total)
	}
	s.FailedNotifyURLs = sortedKeys(urls)
	s.FailedStreams = sortedKeys(streams)
	return s
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
