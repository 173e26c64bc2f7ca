# Two configurations of the provider on one Alibaba Cloud account, with the
# quota split by hand. Each has a limiter of its own, so their max_qps add up:
# 40 + 40 stays under the account's 100 requests per second and guarantees 20
# to another tool that does not adapt to throttling.
provider "live" {
  region  = "cn-shanghai"
  max_qps = 40
}

provider "live" {
  alias   = "beijing"
  region  = "cn-beijing"
  max_qps = 40
}
