package provider

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/proxytest"
	"github.com/callbackwatch/terraform-provider-live/internal/tlstest"
)

// proxyOnlyHost is the emulator's name behind the test proxy: nothing else
// resolves it, so a read that succeeds went through the proxy.
const proxyOnlyHost = "live-emulator.proxy.test"

// tlsEmulator is an emulator served over HTTPS with a certificate from a CA
// of its own, for 127.0.0.1, localhost and proxyOnlyHost; it counts the
// connections it accepts (each TLS handshake attempt).
type tlsEmulator struct {
	*emulator.Server
	srv         *httptest.Server
	caFile      string
	connections atomic.Int64
}

func startTLSEmulator(t *testing.T) *tlsEmulator {
	t.Helper()
	ca, err := tlstest.NewCA("emulator test CA")
	if err != nil {
		t.Fatal(err)
	}
	e := &tlsEmulator{Server: emulator.New(emulator.Options{}), caFile: filepath.Join(t.TempDir(), "emulator-ca.pem")}
	if err := ca.WritePEM(e.caFile); err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewUnstartedServer(e.Server)
	if e.srv.TLS, err = ca.ServerConfig(append([]string{proxyOnlyHost}, tlstest.LocalHosts...)...); err != nil {
		t.Fatal(err)
	}
	e.srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			e.connections.Add(1)
		}
	}
	e.srv.StartTLS()
	t.Cleanup(e.srv.Close)
	return e
}

// port is ":PORT" of a test server.
func port(srv *httptest.Server) string { return srv.URL[strings.LastIndex(srv.URL, ":"):] }

// streamRead is the data source the network tests read.
var streamRead = fmt.Sprintf(dataSourceConfig, streamKind.name, fmt.Sprintf(lookbackBody, streamKind.fixtureDomain, "24h"))

// readSucceeded checks that the read answered.
var readSucceeded = []statecheck.StateCheck{streamKind.check(at("request_id"), knownvalue.NotNull())}

// TestAccProvider_proxy reads the emulator under a name only the test proxy
// resolves: over http:// through http_proxy (an absolute-URI request), over
// https:// through https_proxy (CONNECT, trusting the emulator's CA through
// custom_ca_bundle), and the same through HTTP_PROXY, HTTPS_PROXY and
// ALIBABA_CLOUD_CA_BUNDLE in the environment.
func TestAccProvider_proxy(t *testing.T) {
	requireAcc(t)
	secure := startTLSEmulator(t)
	plain := httptest.NewServer(secure.Server)
	t.Cleanup(plain.Close)
	httpEndpoint, httpsEndpoint := "http://"+proxyOnlyHost+port(plain), "https://"+proxyOnlyHost+port(secure.srv)
	for _, c := range []struct {
		name     string
		endpoint string
		block    []string          // provider block lines; %[1]s is the proxy URL
		env      map[string]string // %[1]s is the proxy URL
		want     string            // what the proxy must have forwarded
	}{
		{name: "http_proxy", endpoint: httpEndpoint, block: []string{`http_proxy = %[1]q`},
			want: "POST " + httpEndpoint + "/"},
		{name: "https_proxy", endpoint: httpsEndpoint, block: []string{`https_proxy = %[1]q`, `custom_ca_bundle = %[2]q`},
			want: "CONNECT " + proxyOnlyHost + port(secure.srv)},
		{name: "HTTP_PROXY", endpoint: httpEndpoint, env: map[string]string{"HTTP_PROXY": "%[1]s"},
			want: "POST " + httpEndpoint + "/"},
		{name: "HTTPS_PROXY", endpoint: httpsEndpoint, env: map[string]string{"HTTPS_PROXY": "%[1]s", "ALIBABA_CLOUD_CA_BUNDLE": "%[2]s"},
			want: "CONNECT " + proxyOnlyHost + port(secure.srv)},
	} {
		t.Run(c.name, func(t *testing.T) {
			proxy := proxytest.Start(map[string]string{proxyOnlyHost: "127.0.0.1"})
			t.Cleanup(proxy.Close)
			for k, v := range c.env {
				t.Setenv(k, fmt.Sprintf(v, proxy.URL, secure.caFile))
			}
			lines := make([]string, len(c.block))
			for i, l := range c.block {
				lines[i] = fmt.Sprintf(l, proxy.URL, secure.caFile)
			}
			emu := &testEmulator{Server: secure.Server, URL: c.endpoint}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: emu.providerConfig(lines...) + streamRead, ConfigStateChecks: readSucceeded}},
			})
			seen := proxy.Seen()
			if len(seen) == 0 || !strings.HasPrefix(seen[0], c.want) {
				t.Errorf("the proxy forwarded %q, want %s...", seen, c.want)
			}
		})
	}
}

// TestAccProvider_noProxy: a host listed in no_proxy (or NO_PROXY) is reached
// directly although http_proxy is set. The host is 0.0.0.0, which the proxy
// settings treat as any other address (loopback names always go direct)
// while the system routes it to this machine, so the direct read succeeds
// without any name resolution.
func TestAccProvider_noProxy(t *testing.T) {
	requireAcc(t)
	emu := startEmulator(t, emulator.Options{})
	direct := &testEmulator{Server: emu.Server, URL: "http://0.0.0.0" + emu.URL[strings.LastIndex(emu.URL, ":"):]}
	if conn, err := net.Dial("tcp", strings.TrimPrefix(direct.URL, "http://")); err != nil {
		t.Skipf("this system does not route 0.0.0.0 to itself: %v", err)
	} else {
		conn.Close()
	}
	proxy := proxytest.Start(map[string]string{"0.0.0.0": "127.0.0.1"})
	t.Cleanup(proxy.Close)
	forwarded := 0
	proxied := func(want bool) func() {
		return func() {
			n := len(proxy.Seen())
			if went := n > forwarded; went != want {
				t.Errorf("through the proxy: %v, want %v (%q)", went, want, proxy.Seen()[forwarded:])
			}
			forwarded = n
		}
	}
	httpProxy := fmt.Sprintf("http_proxy = %q", proxy.URL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: direct.providerConfig(httpProxy) + streamRead, ConfigStateChecks: readSucceeded},
			{PreConfig: proxied(true), Config: direct.providerConfig(httpProxy, `no_proxy = "10.0.0.0/8,0.0.0.0"`) + streamRead, ConfigStateChecks: readSucceeded},
			{
				PreConfig: func() { proxied(false)(); t.Setenv("NO_PROXY", "0.0.0.0") },
				Config:    direct.providerConfig(httpProxy) + streamRead, ConfigStateChecks: readSucceeded,
			},
		},
	})
	proxied(false)()
}

// TestAccProvider_customCABundle reads an emulator served over HTTPS with a
// CA of its own. Without the CA the read fails on its first attempt (one
// connection) with advice naming custom_ca_bundle; with the CA in
// custom_ca_bundle or ALIBABA_CLOUD_CA_BUNDLE it succeeds; a bundle without
// a certificate fails at plan time, before any connection.
func TestAccProvider_customCABundle(t *testing.T) {
	requireAcc(t)
	secure := startTLSEmulator(t)
	emu := &testEmulator{Server: secure.Server, URL: secure.srv.URL}
	noCert := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(noCert, []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	connections := func(want int64) func() {
		return func() {
			if n := secure.connections.Swap(0); n != want {
				t.Errorf("the previous step opened %d connections, want %d", n, want)
			}
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      emu.providerConfig("max_retries = 5") + streamRead,
				ExpectError: regexp.MustCompile(`(?s)TLS certificate is not\s+trusted.*x509: certificate signed by unknown\s+authority.*none\s+was\s+retried.*custom_ca_bundle`),
			},
			{
				PreConfig:   connections(1),
				Config:      emu.providerConfig(fmt.Sprintf("custom_ca_bundle = %q", noCert)) + streamRead,
				ExpectError: regexp.MustCompile(`(?s)Invalid CA bundle.*no PEM\s+certificate`),
			},
			{PreConfig: connections(0), Config: emu.providerConfig(fmt.Sprintf("custom_ca_bundle = %q", secure.caFile)) + streamRead, ConfigStateChecks: readSucceeded},
			{
				PreConfig: func() { secure.connections.Store(0); t.Setenv("ALIBABA_CLOUD_CA_BUNDLE", secure.caFile) },
				Config:    emu.providerConfig() + streamRead, ConfigStateChecks: readSucceeded,
			},
		},
	})
}
