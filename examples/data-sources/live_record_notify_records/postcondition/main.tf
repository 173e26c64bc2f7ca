# Stops the run while recording callbacks are being lost: an event type or
# webhook that burns its error budget too fast or is still failing (a
# file_created callback the webhook did not accept is a recording your
# application never learned about), or when 6 hours held none.
#
# The error budget of a 99% SLO is 1% of callbacks failed; a window's burn
# rate is its failure ratio over that budget. The pairs are the SRE
# workbook's paging alerts for a 30-day budget: 2% of it gone in an hour
# (burn rate 14.4, over 1h and 5m) and 5% in 6 hours (burn rate 6, over 6h
# and 30m). A pair stops the run when both its windows burn above the
# threshold, each with at least 10 callbacks of that type or webhook.
locals {
  error_budget = 1 - 0.99
  burn_pairs = [
    { long = "1h", short = "5m", threshold = 14.4 },
    { long = "6h", short = "30m", threshold = 6 },
  ]
}

data "live_record_notify_records" "gate" {
  domain_name  = "live.example.com"
  lookback     = "6h"
  windows      = ["5m", "30m", "1h", "6h"]
  keep_records = "none"

  lifecycle {
    postcondition {
      condition     = self.summary.total > 0
      error_message = "No recording callbacks of live.example.com between ${self.start_time} and ${self.end_time}: nothing vouches for the webhooks. Check that the domain is live and its callbacks are configured."
    }
    # Each event type and each webhook on its own, in both windows of a pair.
    postcondition {
      condition = alltrue(flatten([
        for h in concat(values(self.summary.by_notify_type), values(self.summary.by_notify_url)) : [
          for p in local.burn_pairs : !(
            h.windows[p.long].total >= 10 && h.windows[p.short].total >= 10 &&
            h.windows[p.long].failure_ratio / local.error_budget > p.threshold && h.windows[p.short].failure_ratio / local.error_budget > p.threshold
          )
        ]
      ]))
      error_message = "Recording callbacks of live.example.com burn their error budget too fast: ${join("; ", flatten([
        for name, h in merge(
          { for t, h in self.summary.by_notify_type : "event type ${t}" => h },
          { for u, h in self.summary.by_notify_url : "webhook ${u}" => h },
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
      ]))}. Fix the webhook, then plan again."
    }
    postcondition {
      condition = alltrue([for h in concat(values(self.summary.by_notify_type), values(self.summary.by_notify_url)) : h.consecutive_failures <= 2])
      error_message = "Recording callbacks of live.example.com are still failing: ${join("; ", concat(
        [for t, h in self.summary.by_notify_type : "event type ${t}: the last ${h.consecutive_failures} failed, latest at ${h.latest_failure_time}: ${h.latest_failure_description}" if h.consecutive_failures > 2],
        [for u, h in self.summary.by_notify_url : "webhook ${u}: the last ${h.consecutive_failures} failed, latest at ${h.latest_failure_time}: ${h.latest_failure_description}" if h.consecutive_failures > 2],
      ))}. Fix the webhook, then plan again."
    }
  }
}
