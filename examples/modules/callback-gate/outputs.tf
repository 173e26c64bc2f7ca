output "healthy" {
  description = "Whether the gate is open: the read holds at least min_callbacks callbacks, no burn-rate pair fires and no event type or webhook is still failing."
  value       = length(local.problems) == 0

  # One precondition per rule, so that a closed gate says which rule closed
  # it. (A postcondition of the data source could not refer to the locals
  # built from it, and would have to repeat them.)
  precondition {
    condition     = !var.enforce || length(local.silence_problems) == 0
    error_message = "Callback gate, ${local.scope}: ${join("; ", local.silence_problems)}. No callbacks is not a pass: check that the domain is live and its callbacks are configured, or set min_callbacks = 0."
  }
  precondition {
    condition     = !var.enforce || length(local.burn_problems) == 0
    error_message = "Callback gate, ${local.scope}: callbacks fail fast enough to spend the error budget of slo_target ${var.slo_target}: ${join("; ", local.burn_problems)}."
  }
  precondition {
    condition     = !var.enforce || length(local.still_failing_problems) == 0
    error_message = "Callback gate, ${local.scope}: callbacks are still failing: ${join("; ", local.still_failing_problems)}."
  }
}

output "problems" {
  description = "Why the gate is closed, one line per rule crossed by each event type or webhook (named) and one when the read holds fewer than min_callbacks; empty when the gate is open. The policy in examples/policy denies with the same lines."
  value       = local.problems
}

output "burn_rates" {
  description = "The burn rate of each event type and each webhook (\"event type publish\", \"webhook https://...\") in each window of burn_rate_pairs, rounded to two decimals: its failure ratio over the error budget, 1 - slo_target. 1 spends the budget in exactly budget_period."
  value = {
    for name, rates in local.burn_rates : name => { for w, rate in rates : w => floor(rate * 100 + 0.5) / 100 }
  }
}

output "total" {
  description = "Callbacks read (the whole lookback)."
  value       = local.summary.total
}

output "failed" {
  description = "Failed callbacks read (the whole lookback)."
  value       = local.summary.failed
}

output "failure_ratio" {
  description = "failed / total, from 0 to 1, over the whole lookback."
  value       = local.summary.failure_ratio
}

output "consecutive_failures" {
  description = "Failed callbacks after the newest successful one, per event type and per webhook (\"event type publish_done\", \"webhook https://...\")."
  value       = { for name, h in local.judged : name => h.consecutive_failures }
}

output "failed_notify_urls" {
  description = "The webhooks with at least one failed callback: where to look."
  value       = local.summary.failed_notify_urls
}

output "latest_failure" {
  description = "Time and description of the newest failed callback; null when none failed."
  value = local.summary.latest_failure_time == null ? null : {
    time        = local.summary.latest_failure_time
    description = local.summary.latest_failure_description
  }
}
