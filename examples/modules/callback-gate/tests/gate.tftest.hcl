# Unit tests of the gate: `tofu test` / `terraform test` (OpenTofu >= 1.8,
# Terraform >= 1.7). The provider is mocked and the data source's `summary` is
# given as literal values (mock_data defaults, or override_data in a run), so no
# credentials and no network are needed. Both take literal values only; OpenTofu
# also wants every attribute of `summary` and of each health object (their
# `windows` are empty here: the gate does not read them yet).

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
        consecutive_failures       = 4
        latest_notify_time         = "2026-11-25T10:00:00Z"
        latest_failure_time        = "2026-11-25T10:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = {}
        by_notify_type = {
          "publish" = {
            total                      = 10
            success                    = 4
            failed                     = 6
            failure_ratio              = 0.6
            consecutive_failures       = 4
            latest_notify_time         = "2026-11-25T10:00:00Z"
            latest_failure_time        = "2026-11-25T10:00:00Z"
            latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
            windows                    = {}
          }
        }
        by_notify_url = {
          "https://hooks.example.com/live" = {
            total                      = 10
            success                    = 4
            failed                     = 6
            failure_ratio              = 0.6
            consecutive_failures       = 4
            latest_notify_time         = "2026-11-25T10:00:00Z"
            latest_failure_time        = "2026-11-25T10:00:00Z"
            latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
            windows                    = {}
          }
        }
        failed_notify_urls = ["https://hooks.example.com/live"]
        failed_streams = {
          "app/stream0" = 2
          "app/stream1" = 2
        }
        failed_streams_omitted = 0
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
        consecutive_failures       = 0
        latest_notify_time         = "2026-11-25T10:00:00Z"
        latest_failure_time        = null
        latest_failure_description = null
        windows                    = {}
        by_notify_type = {
          "publish" = {
            total                      = 60
            success                    = 60
            failed                     = 0
            failure_ratio              = 0
            consecutive_failures       = 0
            latest_notify_time         = "2026-11-25T10:00:00Z"
            latest_failure_time        = null
            latest_failure_description = null
            windows                    = {}
          }
          "publish_done" = {
            total                      = 60
            success                    = 60
            failed                     = 0
            failure_ratio              = 0
            consecutive_failures       = 0
            latest_notify_time         = "2026-11-25T09:59:00Z"
            latest_failure_time        = null
            latest_failure_description = null
            windows                    = {}
          }
        }
        by_notify_url = {
          "https://hooks.example.com/live" = {
            total                      = 120
            success                    = 120
            failed                     = 0
            failure_ratio              = 0
            consecutive_failures       = 0
            latest_notify_time         = "2026-11-25T10:00:00Z"
            latest_failure_time        = null
            latest_failure_description = null
            windows                    = {}
          }
        }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
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

  # 1 of 20 publish callbacks failed (5% <= 5%), and newer ones succeeded.
  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 40
        success                    = 39
        failed                     = 1
        failure_ratio              = 0.025
        consecutive_failures       = 0
        latest_notify_time         = "2026-11-25T10:00:00Z"
        latest_failure_time        = "2026-11-25T09:20:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = {}
        by_notify_type = {
          "publish" = {
            total                      = 20
            success                    = 19
            failed                     = 1
            failure_ratio              = 0.05
            consecutive_failures       = 0
            latest_notify_time         = "2026-11-25T10:00:00Z"
            latest_failure_time        = "2026-11-25T09:20:00Z"
            latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
            windows                    = {}
          }
          "publish_done" = {
            total                      = 20
            success                    = 20
            failed                     = 0
            failure_ratio              = 0
            consecutive_failures       = 0
            latest_notify_time         = "2026-11-25T09:59:00Z"
            latest_failure_time        = null
            latest_failure_description = null
            windows                    = {}
          }
        }
        by_notify_url = {
          "https://hooks.example.com/live" = {
            total                      = 40
            success                    = 39
            failed                     = 1
            failure_ratio              = 0.025
            consecutive_failures       = 0
            latest_notify_time         = "2026-11-25T10:00:00Z"
            latest_failure_time        = "2026-11-25T09:20:00Z"
            latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
            windows                    = {}
          }
        }
        failed_notify_urls = ["https://hooks.example.com/live"]
        failed_streams = {
          "app/stream1" = 0
        }
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition     = output.healthy
    error_message = "a failure ratio within max_failure_ratio with no ongoing failure must pass the gate"
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
        consecutive_failures       = 3
        latest_notify_time         = "2026-11-25T10:00:00Z"
        latest_failure_time        = "2026-11-25T10:00:00Z"
        latest_failure_description = "callback failed: connection refused"
        windows                    = {}
        by_notify_type = {
          "publish" = {
            total                      = 100
            success                    = 97
            failed                     = 3
            failure_ratio              = 0.03
            consecutive_failures       = 3
            latest_notify_time         = "2026-11-25T10:00:00Z"
            latest_failure_time        = "2026-11-25T10:00:00Z"
            latest_failure_description = "callback failed: connection refused"
            windows                    = {}
          }
        }
        by_notify_url = {
          "https://hooks.example.com/live" = {
            total                      = 100
            success                    = 97
            failed                     = 3
            failure_ratio              = 0.03
            consecutive_failures       = 3
            latest_notify_time         = "2026-11-25T10:00:00Z"
            latest_failure_time        = "2026-11-25T10:00:00Z"
            latest_failure_description = "callback failed: connection refused"
            windows                    = {}
          }
        }
        failed_notify_urls = ["https://hooks.example.com/live"]
        failed_streams = {
          "app/stream0" = 3
        }
        failed_streams_omitted = 0
      }
    }
  }

  expect_failures = [data.live_stream_notify_records.this]
}

run "one_event_type_still_failing_blocks_the_plan" {
  command = plan

  # Every publish succeeded and the newest 5 publish_done failed: the newest
  # callback of all succeeded (the summary's consecutive_failures is 0) and
  # the webhook, which receives both types, succeeded last too.
  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 300
        success                    = 295
        failed                     = 5
        failure_ratio              = 0.016667
        consecutive_failures       = 0
        latest_notify_time         = "2026-11-25T10:00:00Z"
        latest_failure_time        = "2026-11-25T09:58:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = {}
        by_notify_type = {
          "publish" = {
            total                      = 150
            success                    = 150
            failed                     = 0
            failure_ratio              = 0
            consecutive_failures       = 0
            latest_notify_time         = "2026-11-25T10:00:00Z"
            latest_failure_time        = null
            latest_failure_description = null
            windows                    = {}
          }
          "publish_done" = {
            total                      = 150
            success                    = 145
            failed                     = 5
            failure_ratio              = 0.033333
            consecutive_failures       = 5
            latest_notify_time         = "2026-11-25T09:59:00Z"
            latest_failure_time        = "2026-11-25T09:58:00Z"
            latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
            windows                    = {}
          }
        }
        by_notify_url = {
          "https://hooks.example.com/live" = {
            total                      = 300
            success                    = 295
            failed                     = 5
            failure_ratio              = 0.016667
            consecutive_failures       = 0
            latest_notify_time         = "2026-11-25T10:00:00Z"
            latest_failure_time        = "2026-11-25T09:58:00Z"
            latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
            windows                    = {}
          }
        }
        failed_notify_urls = ["https://hooks.example.com/live"]
        failed_streams = {
          "app/stream0" = 3
          "app/stream1" = 2
        }
        failed_streams_omitted = 0
      }
    }
  }

  expect_failures = [data.live_stream_notify_records.this]
}

run "one_event_type_still_failing_is_named" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 300
        success                    = 295
        failed                     = 5
        failure_ratio              = 0.016667
        consecutive_failures       = 0
        latest_notify_time         = "2026-11-25T10:00:00Z"
        latest_failure_time        = "2026-11-25T09:58:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = {}
        by_notify_type = {
          "publish" = {
            total                      = 150
            success                    = 150
            failed                     = 0
            failure_ratio              = 0
            consecutive_failures       = 0
            latest_notify_time         = "2026-11-25T10:00:00Z"
            latest_failure_time        = null
            latest_failure_description = null
            windows                    = {}
          }
          "publish_done" = {
            total                      = 150
            success                    = 145
            failed                     = 5
            failure_ratio              = 0.033333
            consecutive_failures       = 5
            latest_notify_time         = "2026-11-25T09:59:00Z"
            latest_failure_time        = "2026-11-25T09:58:00Z"
            latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
            windows                    = {}
          }
        }
        by_notify_url = {
          "https://hooks.example.com/live" = {
            total                      = 300
            success                    = 295
            failed                     = 5
            failure_ratio              = 0.016667
            consecutive_failures       = 0
            latest_notify_time         = "2026-11-25T10:00:00Z"
            latest_failure_time        = "2026-11-25T09:58:00Z"
            latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
            windows                    = {}
          }
        }
        failed_notify_urls = ["https://hooks.example.com/live"]
        failed_streams = {
          "app/stream0" = 3
          "app/stream1" = 2
        }
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition     = output.problems == tolist(["event type publish_done: the last 5 callbacks failed (more than 2 in a row)"])
    error_message = "problems must name the event type that is still failing"
  }
}

run "one_webhook_still_failing_blocks_the_plan" {
  command = plan

  # publish callbacks go to two webhooks; the backup's newest 3 failed while
  # the main one succeeded last.
  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 200
        success                    = 197
        failed                     = 3
        failure_ratio              = 0.015
        consecutive_failures       = 0
        latest_notify_time         = "2026-11-25T10:00:00Z"
        latest_failure_time        = "2026-11-25T09:59:00Z"
        latest_failure_description = "callback failed: read timeout after 5s"
        windows                    = {}
        by_notify_type = {
          "publish" = {
            total                      = 200
            success                    = 197
            failed                     = 3
            failure_ratio              = 0.015
            consecutive_failures       = 0
            latest_notify_time         = "2026-11-25T10:00:00Z"
            latest_failure_time        = "2026-11-25T09:59:00Z"
            latest_failure_description = "callback failed: read timeout after 5s"
            windows                    = {}
          }
        }
        by_notify_url = {
          "https://hooks.example.com/live" = {
            total                      = 100
            success                    = 100
            failed                     = 0
            failure_ratio              = 0
            consecutive_failures       = 0
            latest_notify_time         = "2026-11-25T10:00:00Z"
            latest_failure_time        = null
            latest_failure_description = null
            windows                    = {}
          }
          "https://backup.example.com/live" = {
            total                      = 100
            success                    = 97
            failed                     = 3
            failure_ratio              = 0.03
            consecutive_failures       = 3
            latest_notify_time         = "2026-11-25T09:59:00Z"
            latest_failure_time        = "2026-11-25T09:59:00Z"
            latest_failure_description = "callback failed: read timeout after 5s"
            windows                    = {}
          }
        }
        failed_notify_urls = ["https://backup.example.com/live"]
        failed_streams = {
          "app/stream2" = 3
        }
        failed_streams_omitted = 0
      }
    }
  }

  expect_failures = [data.live_stream_notify_records.this]
}

run "no_callbacks_blocks_the_plan" {
  command = plan

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 0
        success                    = 0
        failed                     = 0
        failure_ratio              = 0
        consecutive_failures       = 0
        latest_notify_time         = null
        latest_failure_time        = null
        latest_failure_description = null
        windows                    = {}
        by_notify_type             = {}
        by_notify_url              = {}
        failed_notify_urls         = []
        failed_streams             = {}
        failed_streams_omitted     = 0
      }
    }
  }

  expect_failures = [data.live_stream_notify_records.this]
}

run "no_callbacks_passes_with_min_callbacks_0" {
  command = plan

  variables {
    min_callbacks = 0
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 0
        success                    = 0
        failed                     = 0
        failure_ratio              = 0
        consecutive_failures       = 0
        latest_notify_time         = null
        latest_failure_time        = null
        latest_failure_description = null
        windows                    = {}
        by_notify_type             = {}
        by_notify_url              = {}
        failed_notify_urls         = []
        failed_streams             = {}
        failed_streams_omitted     = 0
      }
    }
  }

  assert {
    condition     = output.healthy && output.total == 0
    error_message = "min_callbacks = 0 lets an idle domain through"
  }
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
      "event type publish: 6 of 10 callbacks failed (60.0%, more than 5.0%)",
      "webhook https://hooks.example.com/live: 6 of 10 callbacks failed (60.0%, more than 5.0%)",
      "event type publish: the last 4 callbacks failed (more than 2 in a row)",
      "webhook https://hooks.example.com/live: the last 4 callbacks failed (more than 2 in a row)",
    ])
    error_message = "problems must name each event type and webhook past each threshold"
  }
}

run "thresholds_are_validated" {
  command = plan

  variables {
    max_failure_ratio = 1.5
  }

  expect_failures = [var.max_failure_ratio]
}
