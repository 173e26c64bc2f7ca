package provider

// The health summary both data sources compute over the callbacks a query
// returned: counts for the whole answer, then the same health for each event
// type and each webhook, so that a gate judges each on its own, and the
// streams with a failure.

import (
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
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
			"judge every entry. Keys are the URLs read; each value is an object with " + healthFields + ".",
		ElementType: healthObjectType,
		Computed:    true,
	}
	attrs["failed_notify_urls"] = schema.ListAttribute{
		MarkdownDescription: "The distinct webhook URLs with at least one failed callback, sorted: which endpoint to look at.",
		ElementType:         types.StringType, Computed: true,
	}
	attrs["failed_streams"] = schema.MapAttribute{
		MarkdownDescription: "The streams with at least one failed callback, keyed `app_name/stream_name`, each with its " +
			"`consecutive_failures`: how many of the stream's newest callbacks failed after its newest success (0: it " +
			"recovered). Streams without a failure are left out, so the summary stays small on a busy domain; " +
			"`keys(...)` lists the streams.",
		ElementType: types.Int64Type,
		Computed:    true,
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
	"`latest_notify_time`, `latest_failure_time` and `latest_failure_description`, which mean what the summary's own do, " +
	"for those callbacks alone"

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
		"latest_notify_time":         text("`notify_time` of the newest of the " + of + "; null when there is none."),
		"latest_failure_time":        text("`notify_time` of the newest failed one of the " + of + "; null when none failed."),
		"latest_failure_description": text("`description` of that newest failure (the error the delivery ran into); null when none failed."),
	}
}

// tally accumulates the health of one group of callbacks.
type tally struct {
	total, success, failed int64
	consecutive            int64
	latest, latestSuccess  string
	latestFailure          string
	latestFailureDesc      string
}

func (t *tally) add(c *liveapi.CallbackCommon) {
	t.total++
	t.latest = max(t.latest, c.NotifyTime)
	switch c.NotifyResult {
	case "failed":
		t.failed++
		if t.latestFailure == "" || c.NotifyTime > t.latestFailure {
			t.latestFailure, t.latestFailureDesc = c.NotifyTime, c.Description
		}
	case "success":
		t.success++
		t.latestSuccess = max(t.latestSuccess, c.NotifyTime)
	}
}

// countIfConsecutive counts a failed callback newer than the group's newest
// success; with no success at all latestSuccess is "" and every failure
// counts. It needs the group's latestSuccess, so it runs in a second pass.
func (t *tally) countIfConsecutive(c *liveapi.CallbackCommon) {
	if c.NotifyTime > t.latestSuccess {
		t.consecutive++
	}
}

func (t *tally) health() healthModel {
	h := healthModel{
		Total:                    t.total,
		Success:                  t.success,
		Failed:                   t.failed,
		ConsecutiveFailures:      t.consecutive,
		LatestNotifyTime:         types.StringNull(),
		LatestFailureTime:        types.StringNull(),
		LatestFailureDescription: types.StringNull(),
	}
	if t.total > 0 {
		h.FailureRatio = float64(t.failed) / float64(t.total)
		h.LatestNotifyTime = types.StringValue(t.latest)
	}
	if t.failed > 0 {
		h.LatestFailureTime = types.StringValue(t.latestFailure)
		h.LatestFailureDescription = types.StringValue(t.latestFailureDesc)
	}
	return h
}

// summarize computes the health summary. It does not rely on the API's
// ordering: NotifyTime is fixed-width UTC, so string order is time order.
func summarize(records []*liveapi.CallbackCommon) summaryModel {
	var all tally
	byType, byURL, byStream := map[string]*tally{}, map[string]*tally{}, map[string]*tally{}
	group := func(m map[string]*tally, key string) *tally {
		t, ok := m[key]
		if !ok {
			t = &tally{}
			m[key] = t
		}
		return t
	}
	for _, c := range records {
		all.add(c)
		group(byType, c.NotifyType).add(c)
		group(byURL, c.NotifyURL).add(c)
		group(byStream, streamKey(c)).add(c)
	}
	for _, c := range records {
		if c.NotifyResult == "failed" {
			all.countIfConsecutive(c)
			byType[c.NotifyType].countIfConsecutive(c)
			byURL[c.NotifyURL].countIfConsecutive(c)
			byStream[streamKey(c)].countIfConsecutive(c)
		}
	}

	s := summaryModel{
		healthModel:      all.health(),
		ByNotifyType:     make(map[string]healthModel, len(byType)),
		ByNotifyURL:      make(map[string]healthModel, len(byURL)),
		FailedNotifyURLs: []string{},
		FailedStreams:    map[string]int64{},
	}
	for k, t := range byType {
		s.ByNotifyType[k] = t.health()
	}
	for k, t := range byURL {
		s.ByNotifyURL[k] = t.health()
		if t.failed > 0 {
			s.FailedNotifyURLs = append(s.FailedNotifyURLs, k)
		}
	}
	sort.Strings(s.FailedNotifyURLs)
	for k, t := range byStream {
		if t.failed > 0 {
			s.FailedStreams[k] = t.consecutive
		}
	}
	return s
}

func streamKey(c *liveapi.CallbackCommon) string { return c.AppName + "/" + c.StreamName }
