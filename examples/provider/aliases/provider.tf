# Two configurations of the provider on one Alibaba Cloud account. Each has a
# limiter of its own, so their max_qps add up: 40 + 40 stays under the
# account's 100 requests per second and leaves 20 for other tools.
provider "live" {
  region  = "cn-shanghai"
  max_qps = 40
}

provider "live" {
  alias   = "beijing"
  region  = "cn-beijing"
  max_qps = 40
}
