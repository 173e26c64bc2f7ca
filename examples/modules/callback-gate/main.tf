# A deployment gate on the stream-ingest callbacks of one ApsaraVideo Live
# domain. It judges each event type and each webhook on its own, by three
# rules, each a precondition of the `healthy` output (outputs.tf):
#
# * burn rate: for a pair of burn_rate_pairs, both the long and the short
#   window hold at least min_window_callbacks callbacks and both burn the
#   error budget (1 - slo_target) faster than the pair's threshold;
# * still failing: more than max_consecutive_failures callbacks in a row
#   failed after the newest success;
# * silence: the read holds fewer than min_callbacks callbacks.
#
# The policy in examples/policy takes the same parameters (through data.live,
# with the same defaults) and gives the same messages.
terraform {
  # Nested attributes in expressions need Terraform 1.5 here (1.0 cannot
  # refer to them; 1.1 to 1.4 are untested); every OpenTofu works.
  required_version = ">= 1.5"
  required_providers {
    live = {
      source = "callbackwatch/live"
    }
  }
}

locals {
  # Seconds in each unit of a Go duration (lookback, budget_period); the
  # windows of burn_rate_pairs use only h, m and s.
  unit_seconds          = { h = 3600, m = 60, s = 1, ms = 0.001, us = 0.000001, "µs" = 0.000001, ns = 0.000000001 }
  duration_part         = "([0-9]*[.]?[0-9]+)(h|ms|us|µs|ns|m|s)"
  lookback_seconds      = sum(concat([0], [for part in regexall(local.duration_part, var.lookback) : tonumber(part[0]) * local.unit_seconds[part[1]]]))
  budget_period_seconds = sum(concat([0], [for part in regexall(local.duration_part, var.budget_period) : tonumber(part[0]) * local.unit_seconds[part[1]]]))
  window_seconds = {
    for w in distinct(flatten([for p in var.burn_rate_pairs : [p.long, p.short]])) :
    w => sum(concat([0], [for part in regexall(local.duration_part, w) : tonumber(part[0]) * local.unit_seconds[part[1]]]))
  }
  # The windows the data source counts: those of every pair, once each.
  windows         = keys(local.window_seconds)
  longest_window  = length(local.windows) == 0 ? "" : [for w, s in local.window_seconds : w if s == max(values(local.window_seconds)...)][0]
  lookback_covers = length(local.windows) == 0 || local.lookback_seconds >= max(values(local.window_seconds)...)

  # The error budget is the share of callbacks allowed to fail; a window's
  # burn rate is its failure ratio over that budget, and a pair's threshold
  # the burn rate that spends budget_share of the budget in its long window.
  error_budget = 1 - var.slo_target
  pairs = [for p in var.burn_rate_pairs : {
    long         = p.long
    short        = p.short
    budget_share = p.budget_share
    threshold    = p.budget_share * local.budget_period_seconds / local.window_seconds[p.long]
  }]
  budget_period_hours = local.budget_period_seconds / 3600
}

data "live_stream_notify_records" "this" {
  domain_name = var.domain_name
  app_name    = var.app_name
  stream_name = var.stream_name
  lookback    = var.lookback
  # A window longer than lookback is an error of the data source; when
  # lookback is too short the precondition below says so in the gate's own
  # terms instead.
  windows      = local.lookback_covers ? local.windows : []
  keep_records = "none"

  lifecycle {
    precondition {
      condition     = local.lookback_covers
      error_message = "Callback gate: lookback ${var.lookback} is shorter than ${local.longest_window}, the longest window of burn_rate_pairs. The windows are counted inside the read: set lookback to ${local.longest_window} or longer."
    }
  }
}

locals {
  summary = data.live_stream_notify_records.this.summary
  # Who the messages are about: the domain and the filters, if any.
  scope = join(", ", compact([
    "domain ${var.domain_name}",
    var.app_name == null ? "" : "app ${var.app_name}",
    var.stream_name == null ? "" : "stream ${var.stream_name}",
  ]))

  # Each event type and each webhook, judged on its own.
  judged = merge(
    { for t, h in local.summary.by_notify_type : "event type ${t}" => h },
    { for u, h in local.summary.by_notify_url : "webhook ${u}" => h },
  )
  burn_rates = {
    for name, h in local.judged : name => { for w in local.windows : w => h.windows[w].failure_ratio / local.error_budget }
  }

  # Burn rates and thresholds are compared in millionths, rounded, so that a
  # burn rate equal to its threshold compares equal whatever the floating
  # point arithmetic; the policy compares them the same way. Numbers in
  # messages are rounded half up to one decimal, as the policy rounds them.
  silence_problems = local.summary.total < var.min_callbacks ? [format(
    "%d callbacks between %s and %s, fewer than min_callbacks %d",
    local.summary.total, data.live_stream_notify_records.this.start_time, data.live_stream_notify_records.this.end_time, var.min_callbacks,
  )] : []
  burn_problems = flatten([for p in local.pairs : [
    for name, h in local.judged : format(
      "%s: burn rate %s over %s (%d of %d failed) and %s over %s (%d of %d failed), above %s, which spends %s%% of the %s error budget in %s; at %s the whole budget lasts %s hours",
      name,
      format("%.1f", floor(local.burn_rates[name][p.long] * 10 + 0.5) / 10), p.long, h.windows[p.long].failed, h.windows[p.long].total,
      format("%.1f", floor(local.burn_rates[name][p.short] * 10 + 0.5) / 10), p.short, h.windows[p.short].failed, h.windows[p.short].total,
      format("%.1f", floor(p.threshold * 10 + 0.5) / 10), format("%.1f", floor(p.budget_share * 1000 + 0.5) / 10), var.budget_period, p.long,
      format("%.1f", floor(local.burn_rates[name][p.long] * 10 + 0.5) / 10),
      format("%.1f", floor(local.budget_period_hours / local.burn_rates[name][p.long] * 10 + 0.5) / 10),
    )
    if h.windows[p.long].total >= var.min_window_callbacks && h.windows[p.short].total >= var.min_window_callbacks &&
    floor(local.burn_rates[name][p.long] * 1000000 + 0.5) > floor(p.threshold * 1000000 + 0.5) &&
    floor(local.burn_rates[name][p.short] * 1000000 + 0.5) > floor(p.threshold * 1000000 + 0.5)
  ]])
  still_failing_problems = [
    for name, h in local.judged : format(
      "%s: the last %d callbacks failed (more than %d in a row), latest at %s: %s",
      name, h.consecutive_failures, var.max_consecutive_failures, h.latest_failure_time, h.latest_failure_description,
    ) if h.consecutive_failures > var.max_consecutive_failures
  ]
  problems = tolist(concat(local.silence_problems, local.burn_problems, local.still_failing_problems))
}
