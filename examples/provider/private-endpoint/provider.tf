provider "live" {
  region   = "cn-shanghai"
  endpoint = "live.vpc.example.internal" # your private endpoint
}
