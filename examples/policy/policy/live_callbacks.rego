# Callback-health policy for plans that read the live provider's data sources.
#
# Input: the plan JSON (`tofu show -json plan.out`), as conftest and
# `opa eval -i plan.json` give it, or the same JSON under input.plan, as HCP
# Terraform and Terraform Enterprise policy sets give it (policies.hcl queries
# data.main.deny, a set, which OPA answers as an array).
#
# It fails closed: a plan passes only when every callback data source was read
# during plan, the read succeeded, counted the windows the policy judges and
# holds at least min_callbacks callbacks, and no event type or webhook of any
# read burns its error budget too fast or is still failing. The rules, their
# parameters, their defaults and their messages are those of the callback-gate
# module (examples/modules/callback-gate); each message names the read's
# address and its domain (and app and stream filters) first.
#
# Parameters come from data.live: a JSON data file (conftest --data, opa -d)
# such as
#   {"live": {"slo_target": 0.999, "min_window_callbacks": 20}}
# or, where only Rego files are loaded (a policy set), a Rego file with
#   package live
#   slo_target := 0.999
package main

import rego.v1

# The plan JSON, whichever way it came.
plan := input.plan if input.plan

plan := input if not input.plan

# The share of callbacks that must succeed, per event type and per webhook.
default slo_target := 0.99

slo_target := data.live.slo_target

# The period the error budget covers: it scales the thresholds.
default budget_period := "720h"

budget_period := data.live.budget_period

# The SRE workbook's two paging pairs for a 30-day budget.
default burn_rate_pairs := [
	{"long": "1h", "short": "5m", "budget_share": 0.02},
	{"long": "6h", "short": "30m", "budget_share": 0.05},
]

burn_rate_pairs := data.live.burn_rate_pairs

# The fewest callbacks (of one type or webhook) a window must hold to be
# judged.
default min_window_callbacks := 10

min_window_callbacks := data.live.min_window_callbacks

# The most failures in a row (after the newest success) that pass: 2 passes
# two and denies three.
default max_consecutive_failures := 2

max_consecutive_failures := data.live.max_consecutive_failures

# The fewest callbacks a read must hold: 0 lets an idle domain through.
default min_callbacks := 1

min_callbacks := data.live.min_callbacks

# Parameters that are gone, with what replaces them.
retired := {
	"max_failure_ratio": "the policy judges burn rates over a long and a short window now (slo_target, burn_rate_pairs, min_window_callbacks): remove it; the first pair denies when both the hour and the last 5 minutes lose more than 14.4 x (1 - slo_target) of their callbacks, so slo_target = 1 - max_failure_ratio / 14.4 denies at the ratio it had (0.05 gives about 0.9965)",
	"allow_no_callbacks": "set data.live.min_callbacks to 0 instead",
}

deny contains msg if {
	some name, advice in retired
	data.live[name] != null
	msg := sprintf("data.live.%s is retired: %s", [name, advice])
}

error_budget := 1 - slo_target

deny contains msg if {
	not slo_target > 0
	msg := sprintf("data.live.slo_target is %v: it is the share of callbacks that must succeed, more than 0 and less than 1", [slo_target])
}

deny contains msg if {
	not slo_target < 1
	msg := sprintf("data.live.slo_target is %v: it is the share of callbacks that must succeed, more than 0 and less than 1", [slo_target])
}

seconds(duration) := time.parse_duration_ns(duration) / 1000000000

budget_period_hours := seconds(budget_period) / 3600

# Each pair with its threshold: the burn rate that spends budget_share of
# the budget in the long window.
pairs := [object.union(p, {"threshold": (p.budget_share * seconds(budget_period)) / seconds(p.long)}) | some p in burn_rate_pairs]

windows := {w | some p in burn_rate_pairs; some w in [p.long, p.short]}

callback_types := {"live_record_notify_records", "live_stream_notify_records"}

# Every callback data source read during plan, in any module: data sources
# are read during plan, so their values are in prior_state.
callback_reads contains res if {
	walk(plan.prior_state.values, [_, res])
	res.mode == "data"
	res.type in callback_types
}

read_addresses := {res.address | some res in callback_reads}

# Who a message is about: the address, then the domain and the filters.
about(res) := sprintf("%s (%s)", [res.address, concat(", ", array.concat(
	[sprintf("domain %s", [res.values.domain_name])],
	[sprintf("%s %s", [label, value]) |
		some [label, key] in [["app", "app_name"], ["stream", "stream_name"]]
		value := object.get(res.values, key, null)
		value != null
	],
))])

# A read deferred to apply (its arguments unknown at plan) is in
# resource_changes but not in prior_state: nothing vouches for it. (A data
# source in a check block is in both: it is read at plan and again at apply.)
deny contains msg if {
	some change in plan.resource_changes
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
	msg := sprintf("%s: the read failed (see the plan's warnings), so its callbacks cannot be judged", [about(res)])
}

# The windows are counted by the data source: one it was not asked for
# cannot be judged.
deny contains msg if {
	some res in callback_reads
	res.values.summary != null
	missing := [w | some w in sort(windows); not res.values.summary.windows[w]]
	count(missing) > 0
	msg := sprintf(
		"%s: the summary counts no window %s, so the burn rates cannot be judged: add windows = [%s] to the data source",
		[about(res), concat(", ", missing), concat(", ", [sprintf("%q", [w]) | some w in sort(windows)])],
	)
}

deny contains msg if {
	some res in callback_reads
	res.values.summary.total < min_callbacks
	msg := sprintf(
		"%s: %d callbacks between %s and %s, fewer than min_callbacks %d",
		[about(res), res.values.summary.total, res.values.start_time, res.values.end_time, min_callbacks],
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

burn_rate(health, window) := health.windows[window].failure_ratio / error_budget

# Burn rates and thresholds are compared in millionths, rounded, so that a
# burn rate equal to its threshold compares equal whatever the arithmetic;
# the module compares them the same way.
millionths(x) := round(x * 1000000)

deny contains msg if {
	some [res, name, health] in judged
	some p in pairs
	long := health.windows[p.long]
	short := health.windows[p.short]
	long.total >= min_window_callbacks
	short.total >= min_window_callbacks
	millionths(burn_rate(health, p.long)) > millionths(p.threshold)
	millionths(burn_rate(health, p.short)) > millionths(p.threshold)
	msg := sprintf(
		"%s: %s: burn rate %s over %s (%d of %d failed) and %s over %s (%d of %d failed), above %s, which spends %s%% of the %s error budget in %s; at %s the whole budget lasts %s hours",
		[
			about(res), name,
			one_decimal(burn_rate(health, p.long)), p.long, long.failed, long.total,
			one_decimal(burn_rate(health, p.short)), p.short, short.failed, short.total,
			one_decimal(p.threshold), one_decimal(p.budget_share * 100), budget_period, p.long,
			one_decimal(burn_rate(health, p.long)), one_decimal(budget_period_hours / burn_rate(health, p.long)),
		],
	)
}

deny contains msg if {
	some [res, name, health] in judged
	health.consecutive_failures > max_consecutive_failures
	msg := sprintf(
		"%s: %s: the last %d callbacks failed (more than %d in a row), latest at %s: %s",
		[
			about(res), name, health.consecutive_failures, max_consecutive_failures,
			health.latest_failure_time, health.latest_failure_description,
		],
	)
}

warn contains "the plan reads no live_stream_notify_records or live_record_notify_records: this policy has nothing to judge" if {
	count(read_addresses) == 0
	not deferred_read
}

deferred_read if {
	some change in plan.resource_changes
	change.type in callback_types
}

# one_decimal is x rounded half up to one decimal, such as "9.8" or "5.0",
# as the module writes numbers. sprintf's %.1f cannot format a whole number
# (OPA keeps 0.05 * 100 as the integer 5), so the tenths are counted as an
# integer.
one_decimal(x) := sprintf("%d.%d", [floor(tenths / 10), tenths % 10]) if {
	tenths := round(x * 10)
}
