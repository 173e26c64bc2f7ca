provider "live" {
  endpoint   = "http://127.0.0.1:8080"
  access_key = "LTAI5tEmulatorDemoKey"
  secret_key = "emulator-demo-secret"
}
