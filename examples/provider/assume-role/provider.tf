provider "live" {
  region = "cn-shanghai"

  assume_role {
    role_arn     = "acs:ram::123456789012:role/callback-health-reader"
    session_name = "terraform-callback-health"
  }
}
