output "healthy" {
  description = "Whether the window holds at least min_callbacks callbacks and every event type and webhook is within both thresholds."
  value       = length(local.problems) == 0
}

output "problems" {
  description = "Why the gate is closed, one line per threshold crossed by each event type or webhook (named), and one when the window holds fewer than min_callbacks; empty when healthy."
  value       = local.problems
}

output "total" {
  description = "Callbacks read in the window."
  value       = local.summary.total
}

output "failed" {
  description = "Failed callbacks in the window."
  value       = local.summary.failed
}

output "failure_ratio" {
  description = "failed / total, from 0 to 1, over the whole window."
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
