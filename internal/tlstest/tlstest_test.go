package tlstest

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// TestCA: a server with a certificate of the CA is trusted by a client that
// trusts the CA (by pool or by its PEM), and refused as signed by an unknown
// authority by one that does not.
func TestCA(t *testing.T) {
	ca, err := NewCA("tlstest CA")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	if srv.TLS, err = ca.ServerConfig(LocalHosts...); err != nil {
		t.Fatal(err)
	}
	srv.StartTLS()
	defer srv.Close()
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}

	fromPEM := x509.NewCertPool()
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := ca.WritePEM(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || !fromPEM.AppendCertsFromPEM(data) {
		t.Fatalf("the written PEM holds no certificate: %v", err)
	}
	if block, _ := pem.Decode(ca.PEM); block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("PEM is not a certificate: %q", ca.PEM)
	}

	for name, pool := range map[string]*x509.CertPool{"pool": ca.Pool(), "pem": fromPEM} {
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
		for _, url := range []string{srv.URL, "https://localhost:" + port} {
			resp, err := client.Get(url)
			if err != nil {
				t.Errorf("%s, %s: %v", name, url, err)
				continue
			}
			resp.Body.Close()
		}
	}

	resp, err := (&http.Client{Transport: &http.Transport{}}).Get(srv.URL)
	if err == nil {
		resp.Body.Close()
	}
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("a client without the CA got %v, want x509.UnknownAuthorityError", err)
	}
	if _, err := ca.Issue(); err == nil {
		t.Error("a certificate without hosts was issued")
	}
}
