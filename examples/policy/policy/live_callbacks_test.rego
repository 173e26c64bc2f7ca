package main

import rego.v1

# A plan JSON with one stream read in the root module and one recording read
# in a child module, as `tofu show -json` writes them.
plan_of(summary, child_summary) := {
	"prior_state": {"values": {"root_module": {
		"resources": [read("data.live_stream_notify_records.ingest", "live_stream_notify_records", summary)],
		"child_modules": [{"resources": [read("module.other.data.live_record_notify_records.recording", "live_record_notify_records", child_summary)]}],
	}}},
	"resource_changes": [],
}

plan_with(summary) := plan_of(summary, healthy)

read(address, type, summary) := {
	"address": address, "mode": "data", "type": type,
	"values": {"start_time": "2024-05-01T00:00:00Z", "end_time": "2024-05-01T06:00:00Z", "summary": summary},
}

health(total, failed, consecutive) := {
	"total": total, "success": total - failed, "failed": failed, "failure_ratio": failed / total,
	"consecutive_failures": consecutive,
	"latest_notify_time": "2024-05-01T05:59:00Z",
	"latest_failure_time": "2024-05-01T05:00:00Z", "latest_failure_description": "callback failed: HTTP 502 Bad Gateway",
}

hook := "http://hooks.example.com/live"

summary_of(types, urls) := {
	"total": sum([h.total | some h in types]),
	"by_notify_type": types,
	"by_notify_url": urls,
}

# 100 callbacks, 1 failed long ago.
healthy := summary_of(
	{"publish": health(50, 1, 0), "publish_done": health(50, 0, 0)},
	{hook: health(100, 1, 0)},
)

test_percent_formats_whole_and_fractional_shares if {
	percent(0.05) == "5.0%"
	percent(0.098) == "9.8%"
	percent(1) == "100.0%"
	percent(0) == "0.0%"
	percent(0.0004) == "0.0%"
	percent(0.0005) == "0.1%"
}

test_healthy_plan_is_allowed if {
	count(deny) == 0 with input as plan_with(healthy)
	count(warn) == 0 with input as plan_with(healthy)
}

test_high_failure_ratio_is_denied_with_full_messages if {
	msgs := deny with input as plan_with(summary_of({"publish": health(100, 10, 0)}, {hook: health(100, 10, 0)}))
	msgs == {
		"data.live_stream_notify_records.ingest: event type publish: 10 of 100 callbacks failed between 2024-05-01T00:00:00Z and 2024-05-01T06:00:00Z (10.0%, allowed 5.0%); latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway",
		"data.live_stream_notify_records.ingest: webhook http://hooks.example.com/live: 10 of 100 callbacks failed between 2024-05-01T00:00:00Z and 2024-05-01T06:00:00Z (10.0%, allowed 5.0%); latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway",
	}
}

# Issue 17's first case: every publish succeeded, the newest 5 publish_done
# failed, all to one webhook whose newest callback succeeded.
test_one_event_type_still_failing_is_denied if {
	msgs := deny with input as plan_with(summary_of(
		{"publish": health(150, 0, 0), "publish_done": health(150, 5, 5)},
		{hook: health(300, 5, 0)},
	))
	msgs == {"data.live_stream_notify_records.ingest: event type publish_done: the last 5 callbacks failed (allowed 2 in a row), latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway: still failing"}
}

test_one_webhook_still_failing_is_denied if {
	msgs := deny with input as plan_with(summary_of(
		{"publish": health(200, 3, 0)},
		{hook: health(100, 0, 0), "https://backup.example.com/live": health(100, 3, 3)},
	))
	msgs == {"data.live_stream_notify_records.ingest: webhook https://backup.example.com/live: the last 3 callbacks failed (allowed 2 in a row), latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway: still failing"}
}

test_max_consecutive_failures_is_the_most_that_pass if {
	two := summary_of({"publish": health(100, 2, 2)}, {hook: health(100, 2, 2)})
	count(deny) == 0 with input as plan_with(two)
	count(deny) == 2 with input as plan_with(two) with data.live.max_consecutive_failures as 1
}

test_thresholds_come_from_data if {
	ten := summary_of({"publish": health(100, 10, 0)}, {hook: health(100, 10, 0)})
	count(deny) == 0 with input as plan_with(ten) with data.live.max_failure_ratio as 0.2
}

test_child_modules_are_judged if {
	msgs := deny with input as plan_of(healthy, summary_of({"file_created": health(100, 50, 0)}, {hook: health(100, 0, 0)}))
	msgs == {"module.other.data.live_record_notify_records.recording: event type file_created: 50 of 100 callbacks failed between 2024-05-01T00:00:00Z and 2024-05-01T06:00:00Z (50.0%, allowed 5.0%); latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway"}
}

# A read that failed in a check block: the plan succeeds with a warning and
# the data source has a null summary.
test_failed_read_is_denied if {
	msgs := deny with input as plan_with(null)
	msgs == {"data.live_stream_notify_records.ingest: the read failed (see the plan's warnings), so its callbacks cannot be judged"}
}

# A read deferred to apply is in resource_changes and not in prior_state.
test_deferred_read_is_denied if {
	plan := object.union(plan_with(healthy), {"resource_changes": [
		{
			"address": "data.live_stream_notify_records.later", "mode": "data", "type": "live_stream_notify_records",
			"change": {"actions": ["read"]}, "action_reason": "read_because_config_unknown",
		},
		# Read at plan and again at apply: judged by its summary, not denied.
		{
			"address": "data.live_stream_notify_records.ingest", "mode": "data", "type": "live_stream_notify_records",
			"change": {"actions": ["read"]}, "action_reason": "read_because_check_nested",
		},
	]})
	msgs := deny with input as plan
	msgs == {"data.live_stream_notify_records.later: not read during plan (read_because_config_unknown), so its callbacks cannot be judged: give it arguments known at plan time"}
}

test_no_callbacks_is_denied_unless_allowed if {
	empty := summary_of({}, {})
	msgs := deny with input as plan_with(empty)
	msgs == {"data.live_stream_notify_records.ingest: no callbacks between 2024-05-01T00:00:00Z and 2024-05-01T06:00:00Z, so nothing vouches for the webhooks: check that the domain is live, or set data.live.allow_no_callbacks"}
	count(deny) == 0 with input as plan_with(empty) with data.live.allow_no_callbacks as true
}

test_a_plan_without_callback_reads_warns if {
	msgs := warn with input as {"prior_state": {"values": {"root_module": {"resources": []}}}, "resource_changes": []}
	count(msgs) == 1
	count(deny) == 0 with input as {"prior_state": {"values": {"root_module": {"resources": []}}}, "resource_changes": []}
}
