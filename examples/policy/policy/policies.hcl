# An OPA policy set for HCP Terraform and Terraform Enterprise: connect this
# directory (policies.hcl beside the .rego files) as a policy set. Their OPA
# input holds the plan JSON under input.plan, which live_callbacks.rego reads
# as it reads the plan JSON itself under conftest and opa eval, and each query
# must return an array: data.main.deny and data.main.warn are sets of
# messages, which OPA returns as arrays (empty when the policy passes).
#
# Parameters (data.live.slo_target, ...): a policy set loads only Rego, so
# set them in a Rego file of the set, for example live_params.rego:
#
#   package live
#
#   slo_target := 0.999
policy "live-callbacks" {
  query             = "data.main.deny"
  enforcement_level = "mandatory"
  description       = "Deny a plan while the callbacks of a domain it reads burn their error budget too fast, are still failing or are silent, or when a read could not be judged."
}

policy "live-callbacks-nothing-to-judge" {
  query             = "data.main.warn"
  enforcement_level = "advisory"
  description       = "Warn when a plan reads no callback data source, so the policy has nothing to judge."
}
