# Behind a proxy that inspects TLS: requests to the API go through
# https_proxy, and the proxy's certificate authority is trusted besides the
# system's. The same settings can come from HTTPS_PROXY, NO_PROXY and
# ALIBABA_CLOUD_CA_BUNDLE instead.
provider "live" {
  region           = "cn-shanghai"
  https_proxy      = "http://proxy.corp.example.com:3128"
  no_proxy         = ".corp.example.com,10.0.0.0/8"
  custom_ca_bundle = var.proxy_ca_bundle
}

variable "proxy_ca_bundle" {
  type        = string
  description = "Path of the PEM file of the proxy's certificate authority."
}
