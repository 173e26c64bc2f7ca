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
	"values": {
		"domain_name": "push.example.com", "app_name": null, "stream_name": null,
		"start_time": "2024-05-01T00:00:00Z", "end_time": "2024-05-01T06:00:00Z", "summary": summary,
	},
}

# denied is what the policy denies for a plan, given as conftest and opa eval
# give it (the plan JSON) and as HCP Terraform gives it (under input.plan,
# beside input.run); it is undefined, failing the test, when they differ.
denied(plan) := msgs if {
	msgs := deny with input as plan
	msgs == deny with input as {"plan": plan, "run": {"workspace": {"name": "ingest"}}}
}

# win is the count of one window: total callbacks, failed ones.
win(total, failed) := {"total": total, "failed": failed, "failure_ratio": failed / total} if total > 0

win(0, 0) := {"total": 0, "failed": 0, "failure_ratio": 0}

# quiet windows hold fewer callbacks than min_window_callbacks: not judged.
quiet := {"5m": win(2, 0), "30m": win(5, 0), "1h": win(8, 0), "6h": win(9, 0)}

health(total, failed, consecutive, windows) := {
	"total": total, "success": total - failed, "failed": failed, "failure_ratio": failed / total,
	"consecutive_failures": consecutive,
	"latest_notify_time": "2024-05-01T05:59:00Z",
	"latest_failure_time": "2024-05-01T05:00:00Z", "latest_failure_description": "callback failed: HTTP 502 Bad Gateway",
	"windows": object.union(quiet, windows),
}

hook := "http://hooks.example.com/live"

summary_of(types, urls) := {
	"total": sum([h.total | some h in types]),
	"windows": quiet,
	"by_notify_type": types,
	"by_notify_url": urls,
}

# 100 callbacks, 1 failed long ago.
healthy := summary_of(
	{"publish": health(50, 1, 0, {}), "publish_done": health(50, 0, 0, {})},
	{hook: health(100, 1, 0, {})},
)

prefix := "data.live_stream_notify_records.ingest (domain push.example.com): "

test_one_decimal_rounds_half_up if {
	one_decimal(5) == "5.0"
	one_decimal(9.8) == "9.8"
	one_decimal(14.4) == "14.4"
	one_decimal(0.04) == "0.0"
	one_decimal(0.05) == "0.1"
	one_decimal(6.25) == "6.3"
	one_decimal(100) == "100.0"
}

test_thresholds_of_the_default_pairs if {
	[p.threshold | some p in pairs] == [14.4, 6]
}

test_healthy_plan_is_allowed if {
	denied(plan_with(healthy)) == set()
	count(warn) == 0 with input as plan_with(healthy)
}

# The first pair: 2% of the 720h budget in 1h is a burn rate of 14.4.
test_fast_burn_is_denied_with_its_message if {
	outage := health(360, 90, 90, {"1h": win(180, 90), "5m": win(15, 15)})
	denied(plan_with(summary_of({"publish": outage}, {hook: health(360, 1, 0, {})}))) == {
		concat("", [prefix, "event type publish: burn rate 50.0 over 1h (90 of 180 failed) and 100.0 over 5m (15 of 15 failed), above 14.4, which spends 2.0% of the 720h error budget in 1h; at 50.0 the whole budget lasts 14.4 hours"]),
		concat("", [prefix, "event type publish: the last 90 callbacks failed (more than 2 in a row), latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway"]),
	}
}

# The second pair: 5% of the 720h budget in 6h is a burn rate of 6. A
# quarter failing, never twice in a row: only this pair sees it (the 5m
# window holds too few callbacks to be judged).
test_slow_burn_is_denied_by_the_second_pair if {
	slow := health(180, 45, 0, {"6h": win(180, 45), "30m": win(15, 4), "1h": win(30, 8)})
	denied(plan_with(summary_of({"publish": slow}, {hook: health(180, 0, 0, {})}))) == {concat("", [
		prefix,
		"event type publish: burn rate 25.0 over 6h (45 of 180 failed) and 26.7 over 30m (4 of 15 failed), above 6.0, which spends 5.0% of the 720h error budget in 6h; at 25.0 the whole budget lasts 28.8 hours",
	])}
}

# 144 of 1000 and 36 of 250 failed: both windows burn exactly 14.4, which
# passes. The pair denies only when both windows go one failure past it.
test_burn_rate_exactly_at_the_threshold_passes if {
	at := {"1h": win(1000, 144), "5m": win(250, 36)}
	denied(plan_with(summary_of({"publish": health(1000, 144, 0, at)}, {hook: health(1000, 0, 0, {})}))) == set()
	long_past := {"1h": win(1000, 145), "5m": win(250, 36)}
	denied(plan_with(summary_of({"publish": health(1000, 145, 0, long_past)}, {hook: health(1000, 0, 0, {})}))) == set()
	short_past := {"1h": win(1000, 144), "5m": win(250, 37)}
	denied(plan_with(summary_of({"publish": health(1000, 144, 0, short_past)}, {hook: health(1000, 0, 0, {})}))) == set()
	both_past := {"1h": win(1000, 145), "5m": win(250, 37)}
	denied(plan_with(summary_of({"publish": health(1000, 145, 0, both_past)}, {hook: health(1000, 0, 0, {})}))) == {concat("", [
		prefix,
		"event type publish: burn rate 14.5 over 1h (145 of 1000 failed) and 14.8 over 5m (37 of 250 failed), above 14.4, which spends 2.0% of the 720h error budget in 1h; at 14.5 the whole budget lasts 49.7 hours",
	])}
}

test_burn_rate_exactly_at_the_second_threshold_passes if {
	at := {"6h": win(1000, 60), "30m": win(100, 6)}
	denied(plan_with(summary_of({"publish": health(1000, 60, 0, at)}, {hook: health(1000, 0, 0, {})}))) == set()
	past := {"6h": win(1000, 61), "30m": win(100, 7)}
	count(denied(plan_with(summary_of({"publish": health(1000, 61, 0, past)}, {hook: health(1000, 0, 0, {})})))) == 1
}

# Every callback of both windows failed: judged from 10 callbacks in each,
# not from 9 in either.
test_min_window_callbacks_is_the_fewest_judged if {
	ten := {"1h": win(10, 10), "5m": win(10, 10)}
	denied(plan_with(summary_of({"publish": health(10, 10, 0, ten)}, {hook: health(10, 0, 0, {})}))) == {concat("", [
		prefix,
		"event type publish: burn rate 100.0 over 1h (10 of 10 failed) and 100.0 over 5m (10 of 10 failed), above 14.4, which spends 2.0% of the 720h error budget in 1h; at 100.0 the whole budget lasts 7.2 hours",
	])}
	short_nine := {"1h": win(10, 10), "5m": win(9, 9)}
	denied(plan_with(summary_of({"publish": health(10, 10, 0, short_nine)}, {hook: health(10, 0, 0, {})}))) == set()
	long_nine := {"1h": win(9, 9), "5m": win(9, 9)}
	denied(plan_with(summary_of({"publish": health(9, 9, 0, long_nine)}, {hook: health(9, 0, 0, {})}))) == set()
	count(denied(plan_with(summary_of({"publish": health(10, 10, 0, short_nine)}, {hook: health(10, 0, 0, {})})))) == 1 with data.live.min_window_callbacks as 9
}

# The issue's recovered blip: one callback every 8 minutes, one publish_done
# failed 41 minutes ago. No window holds 10 callbacks of a type, and nothing
# is failing now.
test_a_recovered_blip_passes if {
	blip := health(22, 1, 0, {"5m": win(0, 0), "30m": win(2, 0), "1h": win(4, 1), "6h": win(22, 1)})
	denied(plan_with(summary_of(
		{"publish": health(23, 0, 0, {}), "publish_done": blip},
		{hook: health(45, 1, 0, {"5m": win(1, 0), "30m": win(4, 0), "1h": win(8, 1), "6h": win(45, 1)})},
	))) == set()
}

# Only the backup webhook is over the burn rate: the types it shares with the
# main webhook stay under it (12.4% of the hour is a burn rate of 12.4).
test_only_a_webhook_over_the_burn_rate_is_denied if {
	typ := health(450, 56, 0, {"1h": win(450, 56), "5m": win(38, 9), "6h": win(2700, 56), "30m": win(225, 56)})
	backup := health(225, 112, 112, {"1h": win(225, 112), "5m": win(18, 18), "6h": win(1350, 112), "30m": win(112, 112)})
	denied(plan_with(summary_of(
		{"publish": typ, "publish_done": typ},
		{hook: health(675, 0, 0, {}), "https://backup.example.com/live": backup},
	))) == {
		concat("", [prefix, "webhook https://backup.example.com/live: burn rate 49.8 over 1h (112 of 225 failed) and 100.0 over 5m (18 of 18 failed), above 14.4, which spends 2.0% of the 720h error budget in 1h; at 49.8 the whole budget lasts 14.5 hours"]),
		concat("", [prefix, "webhook https://backup.example.com/live: burn rate 8.3 over 6h (112 of 1350 failed) and 100.0 over 30m (112 of 112 failed), above 6.0, which spends 5.0% of the 720h error budget in 6h; at 8.3 the whole budget lasts 86.8 hours"]),
		concat("", [prefix, "webhook https://backup.example.com/live: the last 112 callbacks failed (more than 2 in a row), latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway"]),
	}
}

# Only an event type is over the burn rate: its webhook also carries a busy
# healthy type, so it burns 10.0 over the hour.
test_only_an_event_type_over_the_burn_rate_is_denied if {
	down := health(60, 30, 0, {"1h": win(60, 30), "5m": win(10, 10)})
	denied(plan_with(summary_of(
		{"publish": health(240, 0, 0, {"1h": win(240, 0), "5m": win(20, 0)}), "publish_done": down},
		{hook: health(300, 30, 0, {"1h": win(300, 30), "5m": win(30, 10)})},
	))) == {concat("", [
		prefix,
		"event type publish_done: burn rate 50.0 over 1h (30 of 60 failed) and 100.0 over 5m (10 of 10 failed), above 14.4, which spends 2.0% of the 720h error budget in 1h; at 50.0 the whole budget lasts 14.4 hours",
	])}
}

# Issue 17's first case: every publish succeeded, the newest 5 publish_done
# failed, all to one webhook whose newest callback succeeded.
test_one_event_type_still_failing_is_denied if {
	denied(plan_with(summary_of(
		{"publish": health(150, 0, 0, {}), "publish_done": health(150, 5, 5, {})},
		{hook: health(300, 5, 0, {})},
	))) == {concat("", [prefix, "event type publish_done: the last 5 callbacks failed (more than 2 in a row), latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway"])}
}

test_one_webhook_still_failing_is_denied if {
	denied(plan_with(summary_of(
		{"publish": health(200, 3, 0, {})},
		{hook: health(100, 0, 0, {}), "https://backup.example.com/live": health(100, 3, 3, {})},
	))) == {concat("", [prefix, "webhook https://backup.example.com/live: the last 3 callbacks failed (more than 2 in a row), latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway"])}
}

test_max_consecutive_failures_is_the_most_that_pass if {
	two := summary_of({"publish": health(100, 2, 2, {})}, {hook: health(100, 2, 2, {})})
	denied(plan_with(two)) == set()
	three := summary_of({"publish": health(100, 3, 3, {})}, {hook: health(100, 3, 2, {})})
	denied(plan_with(three)) == {concat("", [prefix, "event type publish: the last 3 callbacks failed (more than 2 in a row), latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway"])}
	count(denied(plan_with(two))) == 2 with data.live.max_consecutive_failures as 1
}

test_min_callbacks_is_the_fewest_that_pass if {
	one := summary_of({"publish": health(1, 0, 0, {})}, {hook: health(1, 0, 0, {})})
	denied(plan_with(one)) == set()
	empty := summary_of({}, {})
	denied(plan_with(empty)) == {concat("", [prefix, "0 callbacks between 2024-05-01T00:00:00Z and 2024-05-01T06:00:00Z, fewer than min_callbacks 1"])}
	denied(plan_with(empty)) == set() with data.live.min_callbacks as 0
	five := summary_of({"publish": health(5, 0, 0, {})}, {hook: health(5, 0, 0, {})})
	four := summary_of({"publish": health(4, 0, 0, {})}, {hook: health(4, 0, 0, {})})
	denied(plan_with(five)) == set() with data.live.min_callbacks as 5
	denied(plan_with(four)) == {concat("", [prefix, "4 callbacks between 2024-05-01T00:00:00Z and 2024-05-01T06:00:00Z, fewer than min_callbacks 5"])} with data.live.min_callbacks as 5
}

# A 99.9% target leaves a tenth of the budget: 1.5% failing burns 15.0.
test_slo_target_and_pairs_come_from_data if {
	mild := health(1000, 15, 0, {"1h": win(1000, 15), "5m": win(100, 2)})
	plan := plan_with(summary_of({"publish": mild}, {hook: health(1000, 0, 0, {})}))
	denied(plan) == set()
	denied(plan) == {concat("", [
		prefix,
		"event type publish: burn rate 15.0 over 1h (15 of 1000 failed) and 20.0 over 5m (2 of 100 failed), above 14.4, which spends 2.0% of the 720h error budget in 1h; at 15.0 the whole budget lasts 48.0 hours",
	])} with data.live.slo_target as 0.999

	# The workbook's ticket pair, 10% of the budget in 3 days: burn rate 1.
	ticket := [{"long": "72h", "short": "6h", "budget_share": 0.1}]
	slow := health(1000, 11, 0, {"72h": win(1000, 11), "6h": win(100, 2)})
	counted := object.union(summary_of({"publish": slow}, {hook: health(1000, 0, 0, {"72h": win(1000, 0), "6h": win(100, 0)})}), {"windows": {"72h": win(2000, 11)}})

	# The child module's read counts only the default windows.
	denied(plan_with(counted)) == {
		concat("", [prefix, "event type publish: burn rate 1.1 over 72h (11 of 1000 failed) and 2.0 over 6h (2 of 100 failed), above 1.0, which spends 10.0% of the 720h error budget in 72h; at 1.1 the whole budget lasts 654.5 hours"]),
		"module.other.data.live_record_notify_records.recording (domain push.example.com): the summary counts no window 72h, so the burn rates cannot be judged: add windows = [\"6h\", \"72h\"] to the data source",
	} with data.live.burn_rate_pairs as ticket
}

test_a_window_the_read_did_not_count_is_denied if {
	no_windows := {"total": 10, "windows": {}, "by_notify_type": {}, "by_notify_url": {}}
	denied(plan_with(no_windows)) == {concat("", [prefix, "the summary counts no window 1h, 30m, 5m, 6h, so the burn rates cannot be judged: add windows = [\"1h\", \"30m\", \"5m\", \"6h\"] to the data source"])}
}

test_retired_parameters_are_denied_with_advice if {
	denied(plan_with(healthy)) == {"data.live.max_failure_ratio is retired: the policy judges burn rates over a long and a short window now (slo_target, burn_rate_pairs, min_window_callbacks): remove it; the first pair denies when both the hour and the last 5 minutes lose more than 14.4 x (1 - slo_target) of their callbacks, so slo_target = 1 - max_failure_ratio / 14.4 denies at the ratio it had (0.05 gives about 0.9965)"} with data.live.max_failure_ratio as 0.05
	denied(plan_with(healthy)) == {"data.live.allow_no_callbacks is retired: set data.live.min_callbacks to 0 instead"} with data.live.allow_no_callbacks as true
}

# Messages name the domain and the filters beside the address.
test_messages_name_the_domain_and_filters if {
	plan := plan_with(summary_of({"publish": health(100, 3, 3, {})}, {hook: health(100, 0, 0, {})}))
	res := plan.prior_state.values.root_module.resources[0]
	filtered := object.union(res, {"values": {"app_name": "live", "stream_name": "room-1"}})
	p := object.union(plan, {"prior_state": {"values": {"root_module": {"resources": [filtered]}}}})
	denied(p) == {"data.live_stream_notify_records.ingest (domain push.example.com, app live, stream room-1): event type publish: the last 3 callbacks failed (more than 2 in a row), latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway"}
}

test_child_modules_are_judged if {
	msgs := denied(plan_of(healthy, summary_of({"file_created": health(100, 3, 3, {})}, {hook: health(100, 0, 0, {})})))
	msgs == {"module.other.data.live_record_notify_records.recording (domain push.example.com): event type file_created: the last 3 callbacks failed (more than 2 in a row), latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway"}
}

# A read that failed in a check block: the plan succeeds with a warning and
# the data source has a null summary.
test_failed_read_is_denied if {
	denied(plan_with(null)) == {"data.live_stream_notify_records.ingest (domain push.example.com): the read failed (see the plan's warnings), so its callbacks cannot be judged"}
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
	denied(plan) == {"data.live_stream_notify_records.later: not read during plan (read_because_config_unknown), so its callbacks cannot be judged: give it arguments known at plan time"}
}

test_a_plan_without_callback_reads_warns if {
	empty := {"prior_state": {"values": {"root_module": {"resources": []}}}, "resource_changes": []}
	warn == {"the plan reads no live_stream_notify_records or live_record_notify_records: this policy has nothing to judge"} with input as empty
	warn == {"the plan reads no live_stream_notify_records or live_record_notify_records: this policy has nothing to judge"} with input as {"plan": empty}
	denied(empty) == set()
}
