# Read callback health into the plan, for a policy engine to judge. The data
# sources are read during plan, so their values are in the plan JSON's
# prior_state; the policy in policy/ denies the plan when callbacks fail.
#
#   tofu plan -out plan.out -var domain_name=push.example.com
#   tofu show -json plan.out > plan.json
#   conftest test plan.json --policy policy          # or:
#   opa eval --fail-defined -d policy -i plan.json 'data.main.deny[x]'
#
# In HCP Terraform or Terraform Enterprise, connect policy/ as a policy set
# (policy/policies.hcl).
terraform {
  required_version = ">= 1.5"
  required_providers {
    live = {
      source = "callbackwatch/live"
    }
  }
}

provider "live" {}

variable "domain_name" {
  description = "The domain (ingest and streaming) whose callbacks the policy judges."
  type        = string
}

variable "recording_domain_name" {
  description = "The streaming domain of the recording callbacks; defaults to domain_name."
  type        = string
  default     = null
}

# The policy judges the windows of its burn-rate pairs (by default 1h with
# 5m, and 6h with 30m): each read must count them, and reach back as far as
# the longest.
locals {
  windows = ["5m", "30m", "1h", "6h"]
}

data "live_stream_notify_records" "ingest" {
  domain_name  = var.domain_name
  lookback     = "6h"
  windows      = local.windows
  keep_records = "none"
}

data "live_record_notify_records" "recording" {
  domain_name  = coalesce(var.recording_domain_name, var.domain_name)
  lookback     = "6h"
  windows      = local.windows
  keep_records = "none"
}
