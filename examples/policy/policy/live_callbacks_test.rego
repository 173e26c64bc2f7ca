package main

import rego.v1

plan_with(summary) := plan_of(summary, healthy)

plan_of(summary, child_summary) := {"prior_state": {"values": {"root_module": {
	"resources": [{
		"address": "data.live_stream_notify_records.ingest",
		"mode": "data",
		"type": "live_stream_notify_records",
		"values": {"start_time": "2024-05-01T00:00:00Z", "end_time": "2024-05-01T06:00:00Z", "summary": summary},
	}],
	"child_modules": [{"resources": [{
		"address": "module.other.data.live_record_notify_records.recording",
		"mode": "data",
		"type": "live_record_notify_records",
		"values": {"start_time": "2024-05-01T00:00:00Z", "end_time": "2024-05-01T06:00:00Z", "summary": child_summary},
	}]}],
}}}}

healthy := {
	"total": 100, "failed": 1, "failure_ratio": 0.01, "consecutive_failures": 0,
	"failed_notify_urls": ["http://hooks.example.com/live"],
	"latest_failure_time": "2024-05-01T01:00:00Z", "latest_failure_description": "timeout",
}

test_healthy_plan_is_allowed if {
	count(deny) == 0 with input as plan_with(healthy)
}

test_high_failure_ratio_is_denied if {
	msgs := deny with input as plan_with(object.union(healthy, {"failed": 10, "failure_ratio": 0.1}))
	count(msgs) == 1
	some msg in msgs
	contains(msg, "data.live_stream_notify_records.ingest: 10 of 100 callbacks failed")
}

test_ongoing_failure_is_denied if {
	msgs := deny with input as plan_with(object.union(healthy, {"consecutive_failures": 3}))
	some msg in msgs
	contains(msg, "the last 3 callbacks failed")
}

test_threshold_comes_from_data if {
	count(deny) == 0 with input as plan_with(object.union(healthy, {"failed": 10, "failure_ratio": 0.1}))
		with data.live.max_failure_ratio as 0.2
}

test_child_modules_are_judged if {
	msgs := deny with input as plan_of(healthy, object.union(healthy, {"failure_ratio": 0.5, "failed": 50}))
	count(msgs) == 1
	some msg in msgs
	startswith(msg, "module.other.data.live_record_notify_records.recording: 50 of 100")
}

test_empty_window_warns if {
	msgs := warn with input as plan_with(object.union(healthy, {"total": 0, "failed": 0, "failure_ratio": 0}))
	count(msgs) == 1
}
