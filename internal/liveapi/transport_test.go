package liveapi

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http/httpproxy"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/proxytest"
	"github.com/callbackwatch/terraform-provider-live/internal/tlstest"
)

func TestParseProxyURL(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{in: "http://proxy.example.com:3128", want: "http://proxy.example.com:3128"},
		{in: "proxy.example.com:3128", want: "http://proxy.example.com:3128"},
		{in: "proxy.example.com", want: "http://proxy.example.com"},
		{in: " https://user:pass@proxy.example.com/ ", want: "https://user:pass@proxy.example.com/"},
		{in: "socks5://127.0.0.1:1080", want: "socks5://127.0.0.1:1080"},
		{in: "ftp://proxy.example.com", err: "scheme"},
		{in: "http://", err: "no host"},
		{in: "http://proxy.example.com:3128/path", err: "path"},
		{in: "::bad", err: "not a URL"},
	} {
		u, err := ParseProxyURL(c.in)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseProxyURL(%q): %v, want an error about %s", c.in, err, c.err)
		case c.err == "" && (err != nil || u.String() != c.want):
			t.Errorf("ParseProxyURL(%q) = %v, %v; want %s", c.in, u, err, c.want)
		}
	}
}

func TestLoadCABundle(t *testing.T) {
	ca, err := tlstest.NewCA("bundle CA")
	if err != nil {
		t.Fatal(err)
	}
	other, err := tlstest.NewCA("another CA")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	two := write("two.pem", "# a comment line\n"+string(ca.PEM)+"-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"+string(other.PEM))
	pool, n, err := LoadCABundle(two)
	if err != nil || n != 2 {
		t.Errorf("two certificates: %d, %v", n, err)
	}
	// The bundle adds to the system's roots, it does not replace them.
	want, err := x509.SystemCertPool()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][]byte{ca.PEM, other.PEM} {
		want.AppendCertsFromPEM(c)
	}
	if !pool.Equal(want) {
		t.Error("the pool is not the system's roots and the bundle's two certificates")
	}
	for name, c := range map[string]struct {
		path string
		want error
		text string
	}{
		"missing":      {path: filepath.Join(dir, "none.pem"), want: os.ErrNotExist},
		"empty":        {path: write("empty.pem", ""), want: ErrNoCertificates},
		"not PEM":      {path: write("der.crt", "\x30\x82\x01\x0a garbage"), want: ErrNoCertificates},
		"only a key":   {path: write("key.pem", "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"), want: ErrNoCertificates},
		"broken block": {path: write("broken.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), text: "certificate 1 does not parse"},
	} {
		_, _, err := LoadCABundle(c.path)
		if err == nil || (c.want != nil && !errors.Is(err, c.want)) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: got %v, want %v %q", name, err, c.want, c.text)
		}
	}
}

// TestClientProxyAndCABundle: a client reaches an emulator under a name only
// a proxy resolves, through the proxy its Proxy picks (CONNECT for https,
// an absolute URI for http), trusting the emulator's CA through RootCAs; a
// nil Proxy reads the environment when the client is built.
func TestClientProxyAndCABundle(t *testing.T) {
	const host = "live.proxy.test"
	emu := emulator.New(emulator.Options{Domains: []emulator.DomainSpec{}, NoCaseDomains: true}) // the fixtures only
	ca, err := tlstest.NewCA("emulator CA")
	if err != nil {
		t.Fatal(err)
	}
	tlsSrv := httptest.NewUnstartedServer(emu)
	if tlsSrv.TLS, err = ca.ServerConfig(host); err != nil {
		t.Fatal(err)
	}
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	plainSrv := httptest.NewServer(emu)
	t.Cleanup(plainSrv.Close)
	proxy := proxytest.Start(map[string]string{host: "127.0.0.1"})
	t.Cleanup(proxy.Close)
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	if err := ca.WritePEM(bundle); err != nil {
		t.Fatal(err)
	}
	roots, _, err := LoadCABundle(bundle)
	if err != nil {
		t.Fatal(err)
	}
	keys, _, err := NewCredential(CredentialConfig{AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret})
	if err != nil {
		t.Fatal(err)
	}
	port := func(srv *httptest.Server) string { return srv.URL[strings.LastIndex(srv.URL, ":"):] }
	read := func(cfg Config, endpoint string) error {
		t.Helper()
		ep, err := ParseEndpoint(endpoint)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Endpoint, cfg.Credential, cfg.RetryBaseDelay, cfg.MaxRetries = &ep, keys, time.Millisecond, 1
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		_, err = List(context.Background(), c, StreamNotifyRecords, Query{DomainName: emulator.FixtureStreamDomain, StartTime: time.Now().Add(-time.Hour), EndTime: time.Now()})
		return err
	}
	through := httpproxy.Config{HTTPProxy: proxy.URL, HTTPSProxy: proxy.URL}

	if err := read(Config{Proxy: through.ProxyFunc(), RootCAs: roots}, "https://"+host+port(tlsSrv)); err != nil {
		t.Fatalf("https through the proxy: %v", err)
	}
	if err := read(Config{Proxy: through.ProxyFunc(), RootCAs: roots}, "http://"+host+port(plainSrv)); err != nil {
		t.Fatalf("http through the proxy: %v", err)
	}
	seen := strings.Join(proxy.Seen(), "\n")
	if !strings.Contains(seen, "CONNECT "+host+port(tlsSrv)) || !strings.Contains(seen, "POST http://"+host+port(plainSrv)+"/") {
		t.Errorf("the proxy saw:\n%s", seen)
	}

	// Without the CA: a certificate failure, on the first attempt.
	var apiErr *APIError
	if err := read(Config{Proxy: through.ProxyFunc()}, "https://"+host+port(tlsSrv)); !errors.As(err, &apiErr) || apiErr.Class != ClassCertificate || apiErr.Attempts != 1 {
		t.Errorf("without the CA: %v", err)
	}

	// A nil Proxy reads HTTPS_PROXY now, not once per process (TestMain's
	// stub proxy is what net/http's ProxyFromEnvironment has cached).
	t.Setenv("HTTPS_PROXY", proxy.URL)
	before := len(proxy.Seen())
	if err := read(Config{RootCAs: roots}, "https://"+host+port(tlsSrv)); err != nil {
		t.Fatalf("https through HTTPS_PROXY: %v", err)
	}
	if len(proxy.Seen()) == before {
		t.Error("HTTPS_PROXY was not used")
	}
	// NO_PROXY sends it direct: to a dialer that stands in for DNS here, so
	// that the test does not ask a real resolver.
	t.Setenv("NO_PROXY", host)
	var dialed []string
	direct := func(_ context.Context, _, address string) (net.Conn, error) {
		dialed = append(dialed, address)
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	if err := read(Config{RootCAs: roots, DialContext: direct}, "https://"+host+port(tlsSrv)); !errors.As(err, &apiErr) || apiErr.Class != ClassUnknownHost {
		t.Errorf("NO_PROXY: %v", err)
	}
	if len(dialed) != 1 || dialed[0] != host+port(tlsSrv) {
		t.Errorf("NO_PROXY: dialed %q, want %s directly", dialed, host+port(tlsSrv))
	}
}
