# Stops the run while recordings are being lost: file_created callbacks that
# the webhook did not accept are recordings your application never learned
# about. A window without file_created callbacks stops it too.
data "live_record_notify_records" "gate" {
  domain_name  = "live.example.com"
  lookback     = "6h"
  keep_records = "none"

  lifecycle {
    postcondition {
      condition     = contains(keys(self.summary.by_notify_type), "file_created")
      error_message = "No file_created callbacks of live.example.com in the last 6h: the gate cannot vouch for recordings."
    }
    postcondition {
      condition     = try(self.summary.by_notify_type["file_created"].failed, 0) == 0
      error_message = "file_created callbacks of live.example.com failed in the last 6h (${try(self.summary.by_notify_type["file_created"].failed, 0)}, the newest at ${try(self.summary.by_notify_type["file_created"].latest_failure_time, "-")}): check ${join(", ", self.summary.failed_notify_urls)}."
    }
  }
}
