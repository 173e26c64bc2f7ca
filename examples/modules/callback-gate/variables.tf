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
  description = "How far back to read callbacks, such as \"1h\" or \"30m\" (at most 7 days, the API's retention)."
  type        = string
  default     = "1h"
}

variable "max_failure_ratio" {
  description = "The largest share of failed callbacks (0 to 1) the gate lets through, for each event type and each webhook on its own."
  type        = number
  default     = 0.05

  validation {
    condition     = var.max_failure_ratio >= 0 && var.max_failure_ratio <= 1
    error_message = "max_failure_ratio is a share of callbacks: from 0 to 1."
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
  description = "The fewest callbacks the window must hold for the gate to open. A window with no callbacks cannot vouch for anything, so the default 1 closes the gate on silence; 0 lets an idle domain through."
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
