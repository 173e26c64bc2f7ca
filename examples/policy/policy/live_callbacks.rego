# Callback-health policy for plans that read the live provider's data sources.
# Evaluate it on `terraform show -json plan.out` (conftest test, or opa eval).
# Tune it with data: {"live": {"max_failure_ratio": 0.01, "max_consecutive_failures": 1}}.
package main

import rego.v1

default max_failure_ratio := 0.05

max_failure_ratio := data.live.max_failure_ratio

default max_consecutive_failures := 3

max_consecutive_failures := data.live.max_consecutive_failures

callback_types := {"live_record_notify_records", "live_stream_notify_records"}

# Every callback data source read during plan, in any module: data sources
# are read during plan, so their values are in prior_state.
callback_reads contains res if {
	walk(input.prior_state.values, [_, res])
	res.mode == "data"
	res.type in callback_types
}

deny contains msg if {
	some res in callback_reads
	s := res.values.summary
	s.failure_ratio > max_failure_ratio
	msg := sprintf(
		"%s: %d of %d callbacks failed between %s and %s (%.1f%%, allowed %.1f%%); failing webhooks: %s",
		[
			res.address, s.failed, s.total, res.values.start_time, res.values.end_time,
			s.failure_ratio * 100, max_failure_ratio * 100, concat(", ", s.failed_notify_urls),
		],
	)
}

deny contains msg if {
	some res in callback_reads
	s := res.values.summary
	s.consecutive_failures >= max_consecutive_failures
	msg := sprintf(
		"%s: the last %d callbacks failed (latest at %s: %s): the webhook is still failing",
		[res.address, s.consecutive_failures, s.latest_failure_time, s.latest_failure_description],
	)
}

warn contains msg if {
	some res in callback_reads
	res.values.summary.total == 0
	msg := sprintf("%s: no callbacks between %s and %s; is the domain live?", [res.address, res.values.start_time, res.values.end_time])
}
