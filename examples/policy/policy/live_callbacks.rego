# Callback-health policy for plans that read the live provider's data sources.
# Evaluate it on `terraform show -json plan.out` (conftest test, or opa eval).
#
# It fails closed: a plan passes only when every callback data source was read
# during plan, the read succeeded and found callbacks, and every event type and
# every webhook of each read, judged on its own, is within both thresholds.
# Tune it with data, for example:
#   {"live": {"max_failure_ratio": 0.01, "max_consecutive_failures": 0, "allow_no_callbacks": true}}
package main

import rego.v1

# The largest share of failed callbacks that passes, per event type and per
# webhook.
default max_failure_ratio := 0.05

max_failure_ratio := data.live.max_failure_ratio

# The most failures in a row (after the newest success) that pass, per event
# type and per webhook: 2 passes two and denies three. The callback-gate
# module's max_consecutive_failures means the same.
default max_consecutive_failures := 2

max_consecutive_failures := data.live.max_consecutive_failures

# Whether a read that found no callbacks passes. It does not by default: an
# idle domain and a dead webhook look the same.
default allow_no_callbacks := false

allow_no_callbacks := data.live.allow_no_callbacks

callback_types := {"live_record_notify_records", "live_stream_notify_records"}

# Every callback data source read during plan, in any module: data sources
# are read during plan, so their values are in prior_state.
callback_reads contains res if {
	walk(input.prior_state.values, [_, res])
	res.mode == "data"
	res.type in callback_types
}

read_addresses := {res.address | some res in callback_reads}

# A read deferred to apply (its arguments unknown at plan) is in
# resource_changes but not in prior_state: nothing vouches for it. (A data
# source in a check block is in both: it is read at plan and again at apply.)
deny contains msg if {
	some change in input.resource_changes
	change.mode == "data"
	change.type in callback_types
	"read" in change.change.actions
	not change.address in read_addresses
	msg := sprintf(
		"%s: not read during plan (%s), so its callbacks cannot be judged: give it arguments known at plan time",
		[change.address, object.get(change, "action_reason", "read deferred to apply")],
	)
}

# A read that failed inside a check block leaves the plan a warning and the
# data source without a summary.
deny contains msg if {
	some res in callback_reads
	object.get(res.values, "summary", null) == null
	msg := sprintf("%s: the read failed (see the plan's warnings), so its callbacks cannot be judged", [res.address])
}

deny contains msg if {
	some res in callback_reads
	res.values.summary.total == 0
	not allow_no_callbacks
	msg := sprintf(
		"%s: no callbacks between %s and %s, so nothing vouches for the webhooks: check that the domain is live, or set data.live.allow_no_callbacks",
		[res.address, res.values.start_time, res.values.end_time],
	)
}

# Each event type and each webhook of each read, with its health.
judged contains [res, name, health] if {
	some res in callback_reads
	some notify_type, health in res.values.summary.by_notify_type
	name := sprintf("event type %s", [notify_type])
}

judged contains [res, name, health] if {
	some res in callback_reads
	some url, health in res.values.summary.by_notify_url
	name := sprintf("webhook %s", [url])
}

deny contains msg if {
	some [res, name, health] in judged
	health.failure_ratio > max_failure_ratio
	msg := sprintf(
		"%s: %s: %d of %d callbacks failed between %s and %s (%s, allowed %s); latest at %s: %s",
		[
			res.address, name, health.failed, health.total, res.values.start_time, res.values.end_time,
			percent(health.failure_ratio), percent(max_failure_ratio),
			health.latest_failure_time, health.latest_failure_description,
		],
	)
}

deny contains msg if {
	some [res, name, health] in judged
	health.consecutive_failures > max_consecutive_failures
	msg := sprintf(
		"%s: %s: the last %d callbacks failed (allowed %d in a row), latest at %s: %s: still failing",
		[
			res.address, name, health.consecutive_failures, max_consecutive_failures,
			health.latest_failure_time, health.latest_failure_description,
		],
	)
}

warn contains "the plan reads no live_stream_notify_records or live_record_notify_records: this policy has nothing to judge" if {
	count(read_addresses) == 0
	not deferred_read
}

deferred_read if {
	some change in input.resource_changes
	change.type in callback_types
}

# percent is a share (0 to 1) as a percentage with one decimal, such as
# "9.8%" or "5.0%". sprintf's %.1f cannot format a whole number (OPA keeps
# 0.05 * 100 as the integer 5), so the tenths are counted as an integer.
percent(share) := sprintf("%d.%d%%", [floor(tenths / 10), tenths % 10]) if {
	tenths := round(share * 1000)
}
