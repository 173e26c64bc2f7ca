# Unit tests of the gate: `tofu test` / `terraform test` (OpenTofu >= 1.8,
# Terraform >= 1.7). The provider is mocked and the data source's `summary` is
# given as literal values (mock_data defaults, or override_data in a run), so no
# credentials and no network are needed. Both take literal values only, and
# every attribute of `summary`.

mock_provider "live" {
  # Unless a run overrides it: an unhealthy domain, 6 of 10 callbacks failed,
  # the newest 4 in a row.
  mock_data "live_stream_notify_records" {
    defaults = {
      summary = {
        total                      = 10
        success                    = 4
        failed                     = 6
        failure_ratio              = 0.6
        by_notify_type             = { publish = 10 }
        failed_by_notify_type      = { publish = 6 }
        latest_notify_time         = "2026-11-25T10:00:00Z"
        latest_failure_time        = "2026-11-25T10:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        consecutive_failures       = 4
        failed_notify_urls         = ["https://hooks.example.com/live"]
        failed_streams             = ["app/stream0", "app/stream1"]
      }
    }
  }
}

variables {
  domain_name = "push.example.com"
}

run "healthy_passes" {
  command = plan

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 120
        success                    = 120
        failed                     = 0
        failure_ratio              = 0
        by_notify_type             = { publish = 60, publish_done = 60 }
        failed_by_notify_type      = {}
        latest_notify_time         = "2026-11-25T10:00:00Z"
        latest_failure_time        = null
        latest_failure_description = null
        consecutive_failures       = 0
        failed_notify_urls         = []
        failed_streams             = []
      }
    }
  }

  assert {
    condition     = output.healthy && length(output.problems) == 0
    error_message = "a domain whose callbacks all succeeded must pass the gate"
  }
  assert {
    condition     = output.total == 120 && output.failed == 0 && output.latest_failure == null
    error_message = "the outputs must carry the summary"
  }
}

run "a_recovered_failure_passes" {
  command = plan

  # 1 of 40 failed (2.5% <= 5%) and the newest callbacks succeeded.
  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 40
        success                    = 39
        failed                     = 1
        failure_ratio              = 0.025
        by_notify_type             = { publish = 20, publish_done = 20 }
        failed_by_notify_type      = { publish = 1 }
        latest_notify_time         = "2026-11-25T10:00:00Z"
        latest_failure_time        = "2026-11-25T09:20:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        consecutive_failures       = 0
        failed_notify_urls         = ["https://hooks.example.com/live"]
        failed_streams             = ["app/stream1"]
      }
    }
  }

  assert {
    condition     = output.healthy
    error_message = "a failure ratio under max_failure_ratio with no ongoing failure must pass the gate"
  }
  assert {
    condition     = output.latest_failure.description == "callback failed: HTTP 502 Bad Gateway"
    error_message = "latest_failure must describe the newest failed callback"
  }
}

run "unhealthy_blocks_the_plan" {
  command = plan

  # The mock's default summary: both thresholds are crossed.
  expect_failures = [data.live_stream_notify_records.this]
}

run "an_ongoing_failure_blocks_the_plan" {
  command = plan

  # Only 3 of 100 failed (under 5%), but they are the newest 3: still failing.
  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 100
        success                    = 97
        failed                     = 3
        failure_ratio              = 0.03
        by_notify_type             = { publish = 100 }
        failed_by_notify_type      = { publish = 3 }
        latest_notify_time         = "2026-11-25T10:00:00Z"
        latest_failure_time        = "2026-11-25T10:00:00Z"
        latest_failure_description = "callback failed: connection refused"
        consecutive_failures       = 3
        failed_notify_urls         = ["https://hooks.example.com/live"]
        failed_streams             = ["app/stream0"]
      }
    }
  }

  expect_failures = [data.live_stream_notify_records.this]
}

run "report_only_when_not_enforced" {
  command = plan

  variables {
    enforce = false
  }

  assert {
    condition     = !output.healthy
    error_message = "the gate must report an unhealthy domain as unhealthy"
  }
  assert {
    # tolist: a list output never equals a tuple literal.
    condition = output.problems == tolist([
      "6 of 10 callbacks failed (60.0%, more than 5.0%)",
      "the last 4 callbacks failed (more than 2 in a row)",
    ])
    error_message = "problems must name each threshold crossed"
  }
}

run "thresholds_are_validated" {
  command = plan

  variables {
    max_failure_ratio = 1.5
  }

  expect_failures = [var.max_failure_ratio]
}
