package proxytest

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/tlstest"
)

// TestProxy: names the proxy resolves are reached over http (absolute URI)
// and https (CONNECT, TLS end to end); any other name is a 502, never a dial.
func TestProxy(t *testing.T) {
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "hello from "+r.Host) })
	plain := httptest.NewServer(hello)
	defer plain.Close()
	ca, err := tlstest.NewCA("proxytest CA")
	if err != nil {
		t.Fatal(err)
	}
	secure := httptest.NewUnstartedServer(hello)
	if secure.TLS, err = ca.ServerConfig("svc.proxy.test"); err != nil {
		t.Fatal(err)
	}
	secure.StartTLS()
	defer secure.Close()

	p := Start(map[string]string{"svc.proxy.test": "127.0.0.1"})
	defer p.Close()
	proxyURL, _ := url.Parse(p.URL)
	client := &http.Client{Transport: &http.Transport{
		Proxy:           http.ProxyURL(proxyURL),
		TLSClientConfig: &tls.Config{RootCAs: ca.Pool(), MinVersion: tls.VersionTLS12},
	}}
	port := func(s *httptest.Server) string { return s.URL[strings.LastIndex(s.URL, ":"):] }
	for _, u := range []string{"http://svc.proxy.test" + port(plain) + "/x", "https://svc.proxy.test" + port(secure) + "/x"} {
		resp, err := client.Get(u)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.HasPrefix(string(body), "hello from svc.proxy.test") {
			t.Errorf("%s: %d %q", u, resp.StatusCode, body)
		}
	}
	if resp, err := client.Get("http://elsewhere.example:80/"); err != nil || resp.StatusCode != http.StatusBadGateway {
		t.Errorf("an unknown host: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if resp, err := client.Get("https://elsewhere.example/"); err == nil {
		resp.Body.Close()
		t.Error("a CONNECT to an unknown host succeeded")
	}
	want := []string{"GET http://svc.proxy.test" + port(plain) + "/x", "CONNECT svc.proxy.test" + port(secure)}
	if got := p.Seen(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("seen %q, want %q", got, want)
	}
}
