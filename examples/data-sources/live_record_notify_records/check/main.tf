# Warns while any recording event type or webhook, judged on its own, burns
# its error budget too fast or is still failing (more than 2 failures in a
# row), and when 6 hours held no recording callbacks at all.
#
# The error budget of a 99% SLO is 1% of callbacks failed; a window's burn
# rate is its failure ratio over that budget (1 spends a 30-day budget in 30
# days). The pairs are the SRE workbook's paging alerts: 2% of the budget
# gone in an hour (burn rate 14.4, over 1h and 5m) and 5% in 6 hours (burn
# rate 6, over 6h and 30m). A pair fires when both its windows burn above the
# threshold, each with at least 10 callbacks of that type or webhook: a blip
# that has recovered passes, since its short window is clean.
locals {
  error_budget = 1 - 0.99
  burn_pairs = [
    { long = "1h", short = "5m", threshold = 14.4 },
    { long = "6h", short = "30m", threshold = 6 },
  ]
}

check "recording_callbacks" {
  data "live_record_notify_records" "recent" {
    domain_name  = "live.example.com"
    lookback     = "6h"
    windows      = ["5m", "30m", "1h", "6h"]
    keep_records = "none"
  }

  assert {
    condition     = data.live_record_notify_records.recent.summary.total > 0
    error_message = "No recording callbacks of live.example.com in the last 6h: nothing vouches for its webhooks. Is the domain live, and are its callbacks configured?"
  }

  # Each event type and each webhook on its own, in both windows of a pair.
  assert {
    condition = alltrue(flatten([
      for h in concat(values(data.live_record_notify_records.recent.summary.by_notify_type), values(data.live_record_notify_records.recent.summary.by_notify_url)) : [
        for p in local.burn_pairs : !(
          h.windows[p.long].total >= 10 && h.windows[p.short].total >= 10 &&
          h.windows[p.long].failure_ratio / local.error_budget > p.threshold && h.windows[p.short].failure_ratio / local.error_budget > p.threshold
        )
      ]
    ]))
    error_message = "Recording callbacks of live.example.com burn their error budget too fast: ${join("; ", flatten([
      for name, h in merge(
        { for t, h in data.live_record_notify_records.recent.summary.by_notify_type : "event type ${t}" => h },
        { for u, h in data.live_record_notify_records.recent.summary.by_notify_url : "webhook ${u}" => h },
        ) : [
        for p in local.burn_pairs : format(
          "%s: burn rate %.1f over %s (%d of %d failed) and %.1f over %s (%d of %d failed), above %.1f; at that rate the 30-day budget lasts %.1f hours",
          name, h.windows[p.long].failure_ratio / local.error_budget, p.long, h.windows[p.long].failed, h.windows[p.long].total,
          h.windows[p.short].failure_ratio / local.error_budget, p.short, h.windows[p.short].failed, h.windows[p.short].total,
          p.threshold, 720 / (h.windows[p.long].failure_ratio / local.error_budget),
        )
        if h.windows[p.long].total >= 10 && h.windows[p.short].total >= 10 &&
        h.windows[p.long].failure_ratio / local.error_budget > p.threshold && h.windows[p.short].failure_ratio / local.error_budget > p.threshold
      ]
    ]))}."
  }

  assert {
    condition = alltrue([
      for h in concat(values(data.live_record_notify_records.recent.summary.by_notify_type), values(data.live_record_notify_records.recent.summary.by_notify_url)) : h.consecutive_failures <= 2
    ])
    error_message = "Recording callbacks of live.example.com are still failing: ${join("; ", concat(
      [for t, h in data.live_record_notify_records.recent.summary.by_notify_type : "event type ${t}: the last ${h.consecutive_failures} failed, latest at ${h.latest_failure_time}: ${h.latest_failure_description}" if h.consecutive_failures > 2],
      [for u, h in data.live_record_notify_records.recent.summary.by_notify_url : "webhook ${u}: the last ${h.consecutive_failures} failed, latest at ${h.latest_failure_time}: ${h.latest_failure_description}" if h.consecutive_failures > 2],
    ))}."
  }
}
