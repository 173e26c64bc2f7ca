output "healthy" {
  description = "Whether the callbacks are within both thresholds."
  value       = length(local.problems) == 0
}

output "problems" {
  description = "Why the gate is closed, one line per threshold crossed; empty when healthy."
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
  description = "failed / total, from 0 to 1."
  value       = local.summary.failure_ratio
}

output "consecutive_failures" {
  description = "Failed callbacks after the newest successful one."
  value       = local.summary.consecutive_failures
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
