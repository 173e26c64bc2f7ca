variable "domain_name" {
  description = "The ingest domain whose stream-ingest callbacks the gate judges."
  type        = string
}

variable "app_name" {
  description = "Only the callbacks of this application (default: all)."
  type        = string
  default     = null
}

variable "stream_name" {
  description = "Only the callbacks of this stream (default: all)."
  type        = string
  default     = null
}

variable "lookback" {
  description = "How far back to read callbacks, a Go duration such as \"6h\" (at most 7 days, the API's retention). Every window of burn_rate_pairs is counted inside this read, so it must be at least as long as the longest of them (6h by default)."
  type        = string
  default     = "6h"

  validation {
    condition     = can(regex("^([0-9]*[.]?[0-9]+(h|ms|us|µs|ns|m|s))+$", var.lookback))
    error_message = "lookback is a Go duration such as \"6h\", \"90m\" or \"1h30m\"."
  }
}

variable "slo_target" {
  description = "The share of callbacks that must succeed, for each event type and each webhook on its own: 0.99 leaves an error budget of 1% of callbacks failed over budget_period."
  type        = number
  default     = 0.99

  validation {
    condition     = var.slo_target > 0 && var.slo_target < 1
    error_message = "slo_target is the share of callbacks that must succeed: more than 0 and less than 1, such as 0.99."
  }
}

variable "budget_period" {
  description = "The period the error budget covers, a Go duration such as \"720h\" (30 days, as in the SRE workbook). It scales the burn-rate thresholds and is never read, so it may be longer than the API's 7 days of records."
  type        = string
  default     = "720h"

  validation {
    condition = can(regex("^([0-9]*[.]?[0-9]+(h|ms|us|µs|ns|m|s))+$", var.budget_period)) && sum(concat([0], [
      for part in regexall("([0-9]*[.]?[0-9]+)(h|ms|us|µs|ns|m|s)", var.budget_period) : tonumber(part[0]) * lookup({ h = 3600, m = 60, s = 1 }, part[1], 0)
    ])) > 0
    error_message = "budget_period is a Go duration longer than zero, such as \"720h\" (30 days)."
  }
}

variable "burn_rate_pairs" {
  description = "The multiwindow burn-rate alerts (SRE workbook, \"Alerting on SLOs\"): each pair fires when both its long and its short window burn the error budget faster than budget_share x budget_period / long. The default is the workbook's two paging pairs: 2% of a 30-day budget in 1h (burn rate 14.4, checked over 1h and 5m) and 5% in 6h (burn rate 6, over 6h and 30m). Windows are written as the data source's summary keys them: hours, minutes, seconds, largest first, such as \"5m\", \"1h\" or \"1h30m\"."
  type = list(object({
    long         = string
    short        = string
    budget_share = number
  }))
  default = [
    { long = "1h", short = "5m", budget_share = 0.02 },
    { long = "6h", short = "30m", budget_share = 0.05 },
  ]

  validation {
    condition = alltrue([for p in var.burn_rate_pairs : alltrue([
      for w in [p.long, p.short] : w != "" && can(regex("^([1-9][0-9]*h)?([1-9]m|[1-5][0-9]m)?([1-9]s|[1-5][0-9]s)?$", w))
    ])])
    error_message = "Each window of burn_rate_pairs is written as the summary keys it: hours, minutes and seconds, largest first, without zero parts or days, such as \"5m\", \"1h\", \"1h30m\" or \"72h\" (not \"60m\" or \"3d\")."
  }
  validation {
    condition = alltrue([for p in var.burn_rate_pairs : (
      sum([for part in regexall("([0-9]+)([hms])", p.short) : tonumber(part[0]) * lookup({ h = 3600, m = 60, s = 1 }, part[1], 0)]) <
      sum([for part in regexall("([0-9]+)([hms])", p.long) : tonumber(part[0]) * lookup({ h = 3600, m = 60, s = 1 }, part[1], 0)])
    ) if can(regex("^([0-9]+[hms])+$", p.short)) && can(regex("^([0-9]+[hms])+$", p.long))])
    error_message = "In each pair of burn_rate_pairs the short window is shorter than the long one (the workbook's short window is about 1/12 of the long one)."
  }
  validation {
    condition     = alltrue([for p in var.burn_rate_pairs : p.budget_share > 0 && p.budget_share <= 1])
    error_message = "budget_share is the share of the error budget a pair allows its long window to spend: more than 0 and at most 1, such as 0.02."
  }
  validation {
    condition     = length(distinct(flatten([for p in var.burn_rate_pairs : [p.long, p.short]]))) <= 8
    error_message = "burn_rate_pairs may use at most 8 distinct windows, the most a data source counts."
  }
}

variable "min_window_callbacks" {
  description = "The fewest callbacks (of one event type or webhook) a window must hold to be judged: a pair fires only when both its windows hold at least this many and both burn above the threshold. Below it a ratio means little (1 failure of 3 is 33%); the still-failing rule covers low traffic."
  type        = number
  default     = 10

  validation {
    condition     = var.min_window_callbacks >= 0 && floor(var.min_window_callbacks) == var.min_window_callbacks
    error_message = "min_window_callbacks is a whole number, 0 or more."
  }
}

variable "max_consecutive_failures" {
  description = "The most failed callbacks in a row (after the newest successful one) the gate lets through, for each event type and each webhook on its own: 2 lets 2 through and closes at 3; 0 means the newest callback of each must have succeeded."
  type        = number
  default     = 2

  validation {
    condition     = var.max_consecutive_failures >= 0 && floor(var.max_consecutive_failures) == var.max_consecutive_failures
    error_message = "max_consecutive_failures is a whole number, 0 or more."
  }
}

variable "min_callbacks" {
  description = "The fewest callbacks the whole read (lookback) must hold for the gate to open. A window with no callbacks cannot vouch for anything, so the default 1 closes the gate on silence; 0 lets an idle domain through."
  type        = number
  default     = 1

  validation {
    condition     = var.min_callbacks >= 0 && floor(var.min_callbacks) == var.min_callbacks
    error_message = "min_callbacks is a whole number, 0 or more."
  }
}

variable "enforce" {
  description = "Fail the plan when the gate is closed. With false the gate only reports, through the healthy and problems outputs."
  type        = bool
  default     = true
}

variable "max_failure_ratio" {
  description = "Retired: the gate judges burn rates over two windows (slo_target, burn_rate_pairs, min_window_callbacks). Leave it unset."
  type        = number
  default     = null

  validation {
    condition     = var.max_failure_ratio == null
    error_message = "max_failure_ratio is retired: one ratio over one window closed the gate on a failure that had already recovered (1 of 6 callbacks in an hour is 16.7%). The gate now judges burn rates over a long and a short window, with a minimum volume per window. Remove max_failure_ratio. The first pair closes the gate when both the hour and the last 5 minutes lose more than 14.4 x (1 - slo_target) of their callbacks: the default slo_target 0.99 closes at 14.4%; to close at the ratio you had, set slo_target = 1 - max_failure_ratio / 14.4 (0.05 gives about 0.9965). See \"Upgrading from max_failure_ratio\" in the module's README."
  }
}
