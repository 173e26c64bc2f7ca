# Unit tests of the gate: `tofu test` / `terraform test` (OpenTofu >= 1.8,
# Terraform >= 1.7). The provider is mocked and the data source's `summary` is
# given as values (mock_data defaults, or override_data in a run), so no
# credentials and no network are needed.
#
# Override values take no function calls and no references, but a for
# expression over literals works, so each event type and webhook is written
# compactly and expanded into the health object the data source returns
# (OpenTofu wants every attribute of it):
#
#   "<name>" = [total, failed, failures in a row, { "<window>" = [total, failed], ... }]
#
# Every failure is at 2024-05-01T05:00:00Z: "callback failed: HTTP 502 Bad
# Gateway". Windows the gate must not judge hold fewer than
# min_window_callbacks (10) callbacks: 5m 2, 30m 5, 1h 8, 6h 9. The gate
# judges event types and webhooks, never the domain as a whole, so the
# summary's own windows are left at 0.
#
# Each run says which rule it expects to fire, by asserting on `problems`
# with enforce = false (the lines the policy in examples/policy denies with,
# word for word: its tests use the same cases), or that none does. The runs
# with enforce = true check that a closed gate fails the plan.

mock_provider "live" {
  # Unless a run overrides it: an ongoing outage of publish callbacks, 90 of
  # them failed in a row, burning the budget 50 times over the hour.
  mock_data "live_stream_notify_records" {
    defaults = {
      summary = {
        total                      = 360
        success                    = 270
        failed                     = 90
        failure_ratio              = 90 / 360
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [360, 90, 90, { "5m" = [15, 15], "30m" = [5, 0], "1h" = [180, 90], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [360, 1, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = ["http://hooks.example.com/live"]
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }
}

variables {
  domain_name = "push.example.com"
}

# A busy domain with a failure now and then (healthy.example.com of the
# emulator): every output evaluates while the gate is open.
run "healthy_passes_and_every_output_evaluates" {
  command = plan

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 2160
        success                    = 2146
        failed                     = 14
        failure_ratio              = 14 / 2160
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish"      = [1080, 7, 0, { "5m" = [15, 0], "30m" = [90, 0], "1h" = [180, 1], "6h" = [1080, 7] }]
          "publish_done" = [1080, 7, 0, { "5m" = [15, 0], "30m" = [90, 1], "1h" = [180, 1], "6h" = [1080, 7] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [2160, 14, 0, { "5m" = [30, 0], "30m" = [180, 1], "1h" = [360, 2], "6h" = [2160, 14] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = ["http://hooks.example.com/live"]
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition     = output.healthy && length(output.problems) == 0
    error_message = "a domain whose callbacks seldom fail must pass the gate"
  }

  assert {
    condition     = output.total == 2160 && output.failed == 14 && abs(output.failure_ratio - 14 / 2160) < 1e-12
    error_message = "total, failed and failure_ratio must carry the summary"
  }

  assert {
    condition     = output.consecutive_failures == { "event type publish" = 0, "event type publish_done" = 0, "webhook http://hooks.example.com/live" = 0 }
    error_message = "consecutive_failures must name each type and webhook"
  }

  assert {
    condition     = output.burn_rates["event type publish_done"]["30m"] == 1.11 && output.burn_rates["webhook http://hooks.example.com/live"]["6h"] == 0.65 && output.burn_rates["event type publish"]["5m"] == 0
    error_message = "burn_rates must be each window's failure ratio over the 1% budget, rounded: 1 of 90 is 1.11, 14 of 2160 is 0.65"
  }

  assert {
    condition     = output.failed_notify_urls == tolist(["http://hooks.example.com/live"]) && output.latest_failure.description == "callback failed: HTTP 502 Bad Gateway"
    error_message = "failed_notify_urls and latest_failure must describe the failures"
  }
}

# The issue's recovered blip (blip.example.com): one callback every 8
# minutes, one publish_done failed 41 minutes ago and the 5 after it
# succeeded. No window holds 10 callbacks of a type, and nothing is failing now.
run "a_recovered_blip_passes" {
  command = plan

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 45
        success                    = 44
        failed                     = 1
        failure_ratio              = 1 / 45
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish"      = [23, 0, 0, { "5m" = [1, 0], "30m" = [2, 0], "1h" = [4, 0], "6h" = [23, 0] }]
          "publish_done" = [22, 1, 0, { "5m" = [0, 0], "30m" = [2, 0], "1h" = [4, 1], "6h" = [22, 1] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [45, 1, 0, { "5m" = [1, 0], "30m" = [4, 0], "1h" = [8, 1], "6h" = [45, 1] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = ["http://hooks.example.com/live"]
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition     = output.healthy && length(output.problems) == 0
    error_message = "a failure that has recovered must pass the gate"
  }
}

# The mock's default, reported: the first pair (1h and 5m, 2% of the 720h
# budget in an hour, burn rate 14.4) and the still-failing rule fire.
run "fast_burn_is_named" {
  command = plan

  variables {
    enforce = false
  }

  assert {
    condition     = !output.healthy
    error_message = "an ongoing outage must close the gate"
  }

  assert {
    condition = output.problems == tolist([
      "event type publish: burn rate 50.0 over 1h (90 of 180 failed) and 100.0 over 5m (15 of 15 failed), above 14.4, which spends 2.0% of the 720h error budget in 1h; at 50.0 the whole budget lasts 14.4 hours",
      "event type publish: the last 90 callbacks failed (more than 2 in a row), latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway",
    ])
    error_message = "problems must name the type, both windows and their burn rates, and the failures in a row"
  }
}

run "a_closed_gate_fails_the_plan" {
  command = plan

  expect_failures = [output.healthy]
}

# A quarter failing, never twice in a row (slow-burn.example.com): only the
# second pair (6h and 30m, 5% of the budget in 6 hours, burn rate 6) sees
# it; the 5m window holds too few callbacks to be judged.
run "slow_burn_is_named_by_the_second_pair" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 180
        success                    = 135
        failed                     = 45
        failure_ratio              = 45 / 180
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [180, 45, 0, { "5m" = [2, 0], "30m" = [15, 4], "1h" = [30, 8], "6h" = [180, 45] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [180, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition = output.problems == tolist([
      "event type publish: burn rate 25.0 over 6h (45 of 180 failed) and 26.7 over 30m (4 of 15 failed), above 6.0, which spends 5.0% of the 720h error budget in 6h; at 25.0 the whole budget lasts 28.8 hours",
    ])
    error_message = "problems must name the second pair only"
  }
}

# 144 of 1000 and 36 of 250 failed: both windows burn exactly 14.4.
run "burn_rate_exactly_at_the_threshold_passes" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 1000
        success                    = 856
        failed                     = 144
        failure_ratio              = 144 / 1000
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [1000, 144, 0, { "5m" = [250, 36], "30m" = [5, 0], "1h" = [1000, 144], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [1000, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition     = length(output.problems) == 0
    error_message = "burn rates are judged strictly above the threshold, in both windows"
  }
}

# 145 of 1000 in the hour, but the last 5 minutes burn exactly 14.4: the
# trouble is not going on now.
run "a_long_window_past_the_threshold_alone_passes" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 1000
        success                    = 855
        failed                     = 145
        failure_ratio              = 145 / 1000
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [1000, 145, 0, { "5m" = [250, 36], "30m" = [5, 0], "1h" = [1000, 145], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [1000, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition     = length(output.problems) == 0
    error_message = "burn rates are judged strictly above the threshold, in both windows"
  }
}

# 37 of 250 in the last 5 minutes, but the hour burns exactly 14.4: too
# little of the budget is gone yet.
run "a_short_window_past_the_threshold_alone_passes" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 1000
        success                    = 856
        failed                     = 144
        failure_ratio              = 144 / 1000
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [1000, 144, 0, { "5m" = [250, 37], "30m" = [5, 0], "1h" = [1000, 144], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [1000, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition     = length(output.problems) == 0
    error_message = "burn rates are judged strictly above the threshold, in both windows"
  }
}

# 145 of 1000 and 37 of 250: both windows one failure past 14.4.
run "both_windows_one_failure_past_the_threshold_close" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 1000
        success                    = 855
        failed                     = 145
        failure_ratio              = 145 / 1000
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [1000, 145, 0, { "5m" = [250, 37], "30m" = [5, 0], "1h" = [1000, 145], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [1000, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition = output.problems == tolist([
      "event type publish: burn rate 14.5 over 1h (145 of 1000 failed) and 14.8 over 5m (37 of 250 failed), above 14.4, which spends 2.0% of the 720h error budget in 1h; at 14.5 the whole budget lasts 49.7 hours",
    ])
    error_message = "burn rates are judged strictly above the threshold, in both windows"
  }
}

# 60 of 1000 over 6h and 6 of 100 over 30m: both burn exactly 6.
run "second_pair_exactly_at_its_threshold_passes" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 1000
        success                    = 940
        failed                     = 60
        failure_ratio              = 60 / 1000
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [1000, 60, 0, { "5m" = [2, 0], "30m" = [100, 6], "1h" = [8, 0], "6h" = [1000, 60] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [1000, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition     = length(output.problems) == 0
    error_message = "a burn rate equal to the threshold passes"
  }
}

run "second_pair_one_failure_past_its_threshold_closes" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 1000
        success                    = 939
        failed                     = 61
        failure_ratio              = 61 / 1000
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [1000, 61, 0, { "5m" = [2, 0], "30m" = [100, 7], "1h" = [8, 0], "6h" = [1000, 61] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [1000, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition = output.problems == tolist([
      "event type publish: burn rate 6.1 over 6h (61 of 1000 failed) and 7.0 over 30m (7 of 100 failed), above 6.0, which spends 5.0% of the 720h error budget in 6h; at 6.1 the whole budget lasts 118.0 hours",
    ])
    error_message = "one failure past the threshold in both windows fires the second pair"
  }
}

# Every callback of both windows failed: judged from 10 callbacks in each.
run "min_window_callbacks_judges_a_window_of_10" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 10
        success                    = 0
        failed                     = 10
        failure_ratio              = 10 / 10
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [10, 10, 0, { "5m" = [10, 10], "30m" = [5, 0], "1h" = [10, 10], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [10, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition = output.problems == tolist([
      "event type publish: burn rate 100.0 over 1h (10 of 10 failed) and 100.0 over 5m (10 of 10 failed), above 14.4, which spends 2.0% of the 720h error budget in 1h; at 100.0 the whole budget lasts 7.2 hours",
    ])
    error_message = "a window of min_window_callbacks callbacks is judged"
  }
}

# The 5m window holds 9: the pair cannot fire.
run "min_window_callbacks_leaves_a_window_of_9_unjudged" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 10
        success                    = 0
        failed                     = 10
        failure_ratio              = 10 / 10
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [10, 10, 0, { "5m" = [9, 9], "30m" = [5, 0], "1h" = [10, 10], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [10, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition     = length(output.problems) == 0
    error_message = "a window of fewer than min_window_callbacks callbacks is not judged"
  }
}

run "min_window_callbacks_leaves_a_long_window_of_9_unjudged" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 9
        success                    = 0
        failed                     = 9
        failure_ratio              = 9 / 9
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [9, 9, 0, { "5m" = [9, 9], "30m" = [5, 0], "1h" = [9, 9], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [9, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition     = length(output.problems) == 0
    error_message = "a long window of fewer than min_window_callbacks callbacks is not judged"
  }
}

run "min_window_callbacks_9_judges_a_window_of_9" {
  command = plan

  variables {
    enforce              = false
    min_window_callbacks = 9
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 10
        success                    = 0
        failed                     = 10
        failure_ratio              = 10 / 10
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [10, 10, 0, { "5m" = [9, 9], "30m" = [5, 0], "1h" = [10, 10], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [10, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition = output.problems == tolist([
      "event type publish: burn rate 100.0 over 1h (10 of 10 failed) and 100.0 over 5m (9 of 9 failed), above 14.4, which spends 2.0% of the 720h error budget in 1h; at 100.0 the whole budget lasts 7.2 hours",
    ])
    error_message = "min_window_callbacks = 9 judges a window of 9"
  }
}

# One webhook down (webhook-down.example.com): the backup receives a quarter
# of both types and failed for the last 30 minutes. Each type burns 12.4
# over the hour, under 14.4; only the webhook fires, by both pairs and by
# its failures in a row.
run "only_a_webhook_over_the_burn_rate_is_named" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 900
        success                    = 788
        failed                     = 112
        failure_ratio              = 112 / 900
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish"      = [450, 56, 0, { "5m" = [38, 9], "30m" = [225, 56], "1h" = [450, 56], "6h" = [2700, 56] }]
          "publish_done" = [450, 56, 0, { "5m" = [38, 9], "30m" = [225, 56], "1h" = [450, 56], "6h" = [2700, 56] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live"   = [675, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
          "https://backup.example.com/live" = [225, 112, 112, { "5m" = [18, 18], "30m" = [112, 112], "1h" = [225, 112], "6h" = [1350, 112] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = ["https://backup.example.com/live"]
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition = output.problems == tolist([
      "webhook https://backup.example.com/live: burn rate 49.8 over 1h (112 of 225 failed) and 100.0 over 5m (18 of 18 failed), above 14.4, which spends 2.0% of the 720h error budget in 1h; at 49.8 the whole budget lasts 14.5 hours",
      "webhook https://backup.example.com/live: burn rate 8.3 over 6h (112 of 1350 failed) and 100.0 over 30m (112 of 112 failed), above 6.0, which spends 5.0% of the 720h error budget in 6h; at 8.3 the whole budget lasts 86.8 hours",
      "webhook https://backup.example.com/live: the last 112 callbacks failed (more than 2 in a row), latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway",
    ])
    error_message = "the webhook, and only it, must be named"
  }
}

# publish_done fails while a busier publish succeeds on the same webhook,
# which burns 10.0 over the hour: only the type fires.
run "only_an_event_type_over_the_burn_rate_is_named" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 300
        success                    = 270
        failed                     = 30
        failure_ratio              = 30 / 300
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish"      = [240, 0, 0, { "5m" = [20, 0], "30m" = [5, 0], "1h" = [240, 0], "6h" = [9, 0] }]
          "publish_done" = [60, 30, 0, { "5m" = [10, 10], "30m" = [5, 0], "1h" = [60, 30], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [300, 30, 0, { "5m" = [30, 10], "30m" = [5, 0], "1h" = [300, 30], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = ["http://hooks.example.com/live"]
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition = output.problems == tolist([
      "event type publish_done: burn rate 50.0 over 1h (30 of 60 failed) and 100.0 over 5m (10 of 10 failed), above 14.4, which spends 2.0% of the 720h error budget in 1h; at 50.0 the whole budget lasts 14.4 hours",
    ])
    error_message = "the event type, and only it, must be named"
  }
}

# publish-done-down.example.com: every publish succeeded and the newest 5
# publish_done failed, all to one webhook whose newest callback succeeded.
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
        failure_ratio              = 5 / 300
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish"      = [150, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
          "publish_done" = [150, 5, 5, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [300, 5, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = ["http://hooks.example.com/live"]
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition = output.problems == tolist([
      "event type publish_done: the last 5 callbacks failed (more than 2 in a row), latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway",
    ])
    error_message = "problems must name the event type that is still failing"
  }
}

run "one_webhook_still_failing_is_named" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 200
        success                    = 197
        failed                     = 3
        failure_ratio              = 3 / 200
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [200, 3, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live"   = [100, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
          "https://backup.example.com/live" = [100, 3, 3, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = ["https://backup.example.com/live"]
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition = output.problems == tolist([
      "webhook https://backup.example.com/live: the last 3 callbacks failed (more than 2 in a row), latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway",
    ])
    error_message = "problems must name the webhook that is still failing"
  }
}

run "max_consecutive_failures_lets_2_through" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 100
        success                    = 98
        failed                     = 2
        failure_ratio              = 2 / 100
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [100, 2, 2, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [100, 2, 2, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = ["http://hooks.example.com/live"]
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition     = length(output.problems) == 0
    error_message = "2 failures in a row pass with max_consecutive_failures = 2"
  }
}

run "max_consecutive_failures_closes_at_3" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 100
        success                    = 97
        failed                     = 3
        failure_ratio              = 3 / 100
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [100, 3, 3, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [100, 3, 2, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = ["http://hooks.example.com/live"]
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition = output.problems == tolist([
      "event type publish: the last 3 callbacks failed (more than 2 in a row), latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway",
    ])
    error_message = "3 failures in a row close the gate"
  }
}

# low-traffic-down.example.com: one callback an hour, the newest 3 failed,
# alternating types: neither type has 3 in a row, the webhook has.
run "low_traffic_outage_is_named_by_its_webhook" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 6
        success                    = 3
        failed                     = 3
        failure_ratio              = 3 / 6
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish_done" = [3, 2, 2, { "5m" = [0, 0], "30m" = [1, 1], "1h" = [1, 1], "6h" = [3, 2] }]
          "publish"      = [3, 1, 1, { "5m" = [0, 0], "30m" = [0, 0], "1h" = [0, 0], "6h" = [3, 1] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [6, 3, 3, { "5m" = [0, 0], "30m" = [1, 1], "1h" = [1, 1], "6h" = [6, 3] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = ["http://hooks.example.com/live"]
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition = output.problems == tolist([
      "webhook http://hooks.example.com/live: the last 3 callbacks failed (more than 2 in a row), latest at 2024-05-01T05:00:00Z: callback failed: HTTP 502 Bad Gateway",
    ])
    error_message = "the still-failing rule must catch an outage at low traffic, through the webhook"
  }
}

run "one_callback_meets_min_callbacks" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 1
        success                    = 1
        failed                     = 0
        failure_ratio              = 0 / 1
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = null
        latest_failure_description = null
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [1, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [1, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition     = length(output.problems) == 0
    error_message = "a read of min_callbacks callbacks passes"
  }
}

# An idle domain (idle.example.com): nothing vouches for the webhooks.
run "no_callbacks_is_named" {
  command = plan

  variables {
    enforce = false
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
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type             = {}
        by_notify_url              = {}
        failed_notify_urls         = []
        failed_streams             = {}
        failed_streams_omitted     = 0
      }
    }
  }

  assert {
    condition     = length(output.problems) == 1 && startswith(output.problems[0], "0 callbacks between ") && endswith(output.problems[0], ", fewer than min_callbacks 1")
    error_message = "problems must say the read holds no callbacks"
  }

  assert {
    condition     = output.total == 0 && output.latest_failure == null && length(output.burn_rates) == 0
    error_message = "every output evaluates on an empty read"
  }
}

run "no_callbacks_closes_the_plan" {
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
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type             = {}
        by_notify_url              = {}
        failed_notify_urls         = []
        failed_streams             = {}
        failed_streams_omitted     = 0
      }
    }
  }

  expect_failures = [output.healthy]
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
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
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

run "five_callbacks_meet_min_callbacks_5" {
  command = plan

  variables {
    enforce       = false
    min_callbacks = 5
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 5
        success                    = 5
        failed                     = 0
        failure_ratio              = 0 / 5
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = null
        latest_failure_description = null
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [5, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [5, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition     = length(output.problems) == 0
    error_message = "a read of exactly min_callbacks callbacks passes"
  }
}

run "four_callbacks_miss_min_callbacks_5" {
  command = plan

  variables {
    enforce       = false
    min_callbacks = 5
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 4
        success                    = 4
        failed                     = 0
        failure_ratio              = 0 / 4
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = null
        latest_failure_description = null
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [4, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [4, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition     = length(output.problems) == 1 && endswith(output.problems[0], ", fewer than min_callbacks 5") && startswith(output.problems[0], "4 callbacks between ")
    error_message = "one callback fewer than min_callbacks closes the gate"
  }
}

# A 99.9% target leaves a tenth of the budget: 1.5% failing burns 15.0.
run "slo_target_scales_the_burn_rates" {
  command = plan

  variables {
    enforce    = false
    slo_target = 0.999
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 1000
        success                    = 985
        failed                     = 15
        failure_ratio              = 15 / 1000
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [1000, 15, 0, { "5m" = [100, 2], "30m" = [5, 0], "1h" = [1000, 15], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [1000, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition = output.problems == tolist([
      "event type publish: burn rate 15.0 over 1h (15 of 1000 failed) and 20.0 over 5m (2 of 100 failed), above 14.4, which spends 2.0% of the 720h error budget in 1h; at 15.0 the whole budget lasts 48.0 hours",
    ])
    error_message = "slo_target 0.999 must make 1.5% failing a burn rate of 15"
  }
}

run "the_same_callbacks_pass_at_slo_target_0_99" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 1000
        success                    = 985
        failed                     = 15
        failure_ratio              = 15 / 1000
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [1000, 15, 0, { "5m" = [100, 2], "30m" = [5, 0], "1h" = [1000, 15], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [1000, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [9, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition     = length(output.problems) == 0
    error_message = "1.5% failing burns 1.5 under the default 99% target"
  }
}

# The workbook's third pair, a ticket rather than a page: 10% of the budget
# in 3 days (burn rate 1), over 72h and 6h, with a 72h read.
run "the_ticket_pair_over_3_days" {
  command = plan

  variables {
    enforce         = false
    lookback        = "72h"
    burn_rate_pairs = [{ long = "72h", short = "6h", budget_share = 0.1 }]
  }

  override_data {
    target = data.live_stream_notify_records.this
    values = {
      summary = {
        total                      = 1000
        success                    = 989
        failed                     = 11
        failure_ratio              = 11 / 1000
        consecutive_failures       = 0
        latest_notify_time         = "2024-05-01T05:59:00Z"
        latest_failure_time        = "2024-05-01T05:00:00Z"
        latest_failure_description = "callback failed: HTTP 502 Bad Gateway"
        windows                    = { for w in ["5m", "30m", "1h", "6h"] : w => { total = 0, failed = 0, failure_ratio = 0 } }
        by_notify_type = { for k, s in {
          "publish" = [1000, 11, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [100, 2], "72h" = [1000, 11] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        by_notify_url = { for k, s in {
          "http://hooks.example.com/live" = [1000, 0, 0, { "5m" = [2, 0], "30m" = [5, 0], "1h" = [8, 0], "6h" = [100, 0], "72h" = [1000, 0] }]
        } : k => { total = s[0], success = s[0] - s[1], failed = s[1], failure_ratio = s[1] / (s[0] == 0 ? 1 : s[0]), consecutive_failures = s[2], latest_notify_time = "2024-05-01T05:59:00Z", latest_failure_time = s[1] > 0 ? "2024-05-01T05:00:00Z" : null, latest_failure_description = s[1] > 0 ? "callback failed: HTTP 502 Bad Gateway" : null, windows = { for w, c in s[3] : w => { total = c[0], failed = c[1], failure_ratio = c[1] / (c[0] == 0 ? 1 : c[0]) } } } }
        failed_notify_urls     = []
        failed_streams         = {}
        failed_streams_omitted = 0
      }
    }
  }

  assert {
    condition = output.problems == tolist([
      "event type publish: burn rate 1.1 over 72h (11 of 1000 failed) and 2.0 over 6h (2 of 100 failed), above 1.0, which spends 10.0% of the 720h error budget in 72h; at 1.1 the whole budget lasts 654.5 hours",
    ])
    error_message = "a custom pair must be judged with its own threshold"
  }
}

# The mock's default with enforce = false: the plan goes through.
run "report_only_when_not_enforced" {
  command = plan

  variables {
    enforce = false
  }

  assert {
    condition     = !output.healthy && length(output.problems) == 2
    error_message = "the gate must report an unhealthy domain as unhealthy"
  }
}

# The default pairs count a 6h window, which a 1h read cannot hold.
run "lookback_must_cover_the_longest_window" {
  command = plan

  variables {
    lookback = "1h"
  }

  expect_failures = [data.live_stream_notify_records.this]
}

run "max_failure_ratio_is_retired" {
  command = plan

  variables {
    max_failure_ratio = 0.05
    enforce           = false
  }

  expect_failures = [var.max_failure_ratio]
}

run "slo_target_1_is_rejected" {
  command = plan

  variables {
    slo_target = 1
    enforce    = false
  }

  expect_failures = [var.slo_target]
}

run "windows_are_written_as_the_summary_keys_them" {
  command = plan

  variables {
    enforce         = false
    burn_rate_pairs = [{ long = "60m", short = "5m", budget_share = 0.02 }]
  }

  expect_failures = [var.burn_rate_pairs]
}

run "the_short_window_is_the_shorter" {
  command = plan

  variables {
    enforce         = false
    burn_rate_pairs = [{ long = "5m", short = "1h", budget_share = 0.02 }]
  }

  expect_failures = [var.burn_rate_pairs]
}
