package liveapi

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// credentials-go talks to two fixed places: the ECS metadata service at
// http://100.100.100.200 and STS at https://sts[.<region>].aliyuncs.com,
// with a transport that honours HTTP_PROXY/HTTPS_PROXY and verifies TLS
// against the system roots. NewCredential offers no endpoint override for
// either (nor should it: they are the real services' addresses), so the
// tests reach local stubs the way the library allows: TestMain points the
// proxy variables at an in-process proxy that answers the metadata requests
// itself and terminates the CONNECT to STS with a certificate from a test CA
// that SSL_CERT_FILE makes the system root. Go reads both variables once
// per process, hence TestMain. Loopback addresses are never proxied, so the
// package's other tests, which talk to an emulator on 127.0.0.1, are not
// affected.

// metadataHost and stsHost are the addresses credentials-go calls.
const (
	metadataHost = "100.100.100.200"
	stsHost      = "sts.aliyuncs.com"
)

// cloudStubs is what the proxy serves. Tests set its fields and read what
// it saw; they must not run in parallel.
type cloudStubs struct {
	mu sync.Mutex
	// ecsRole is the role the metadata service reports ("" answers 404).
	ecsRole string
	// metadataToken is the IMDSv2 token handed out and then required.
	metadataToken string
	// stsForms are the AssumeRole requests STS received (query and form).
	stsForms []map[string]string
	// metadataPaths are the metadata paths requested.
	metadataPaths []string
}

var stubs = &cloudStubs{metadataToken: "imds-token-1"}

func (s *cloudStubs) reset(ecsRole string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ecsRole, s.stsForms, s.metadataPaths = ecsRole, nil, nil
}

func (s *cloudStubs) seen() ([]string, []map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.metadataPaths...), append([]map[string]string(nil), s.stsForms...)
}

func TestMain(m *testing.M) {
	stop, err := startCloudStubs()
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the metadata and STS stubs:", err)
		os.Exit(1)
	}
	code := m.Run()
	stop()
	os.Exit(code)
}

func startCloudStubs() (func(), error) {
	dir, err := os.MkdirTemp("", "liveapi-stubs")
	if err != nil {
		return nil, err
	}
	caPEM, leaf, err := testCA(stsHost)
	if err != nil {
		return nil, err
	}
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		return nil, err
	}
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodConnect && r.Host == stsHost+":443":
			serveTLSTunnel(w, leaf, http.HandlerFunc(stubs.serveSTS))
		case r.URL.Host == metadataHost:
			stubs.serveMetadata(w, r)
		default:
			http.Error(w, "the test proxy serves only the ECS metadata service and STS, not "+r.Host, http.StatusBadGateway)
		}
	}))
	for k, v := range map[string]string{
		"HTTP_PROXY": proxy.URL, "HTTPS_PROXY": proxy.URL, "http_proxy": "", "https_proxy": "",
		"NO_PROXY": "", "no_proxy": "", "SSL_CERT_FILE": caFile, "SSL_CERT_DIR": dir,
	} {
		if err := os.Setenv(k, v); err != nil {
			return nil, err
		}
	}
	return func() { proxy.Close(); os.RemoveAll(dir) }, nil
}

// serveTLSTunnel answers a CONNECT and serves one TLS connection with h.
func serveTLSTunnel(w http.ResponseWriter, cert tls.Certificate, h http.Handler) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := buf.WriteString("HTTP/1.1 200 Connection established\r\n\r\n"); err != nil || buf.Flush() != nil {
		return
	}
	tlsConn := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	defer tlsConn.Close()
	// One request a connection: the answer says Connection: close.
	req, err := http.ReadRequest(bufio.NewReader(tlsConn))
	if err != nil {
		return
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	resp := rec.Result()
	resp.Close = true
	_ = resp.Write(tlsConn)
}

func (s *cloudStubs) serveMetadata(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.metadataPaths = append(s.metadataPaths, r.Method+" "+r.URL.Path)
	const creds = "/latest/meta-data/ram/security-credentials/"
	switch {
	case r.Method == http.MethodPut && r.URL.Path == "/latest/api/token":
		fmt.Fprint(w, s.metadataToken)
	case r.Header.Get("x-aliyun-ecs-metadata-token") != s.metadataToken:
		http.Error(w, "missing IMDSv2 token", http.StatusUnauthorized)
	case s.ecsRole == "":
		http.NotFound(w, r)
	case r.URL.Path == creds:
		fmt.Fprint(w, s.ecsRole)
	case r.URL.Path == creds+s.ecsRole:
		_ = json.NewEncoder(w).Encode(map[string]string{
			"Code": "Success", "AccessKeyId": "STS.ecs-key", "AccessKeySecret": "ecs-secret", "SecurityToken": "ecs-token",
			"Expiration": time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05Z"), "LastUpdated": time.Now().UTC().Format("2006-01-02T15:04:05Z"),
		})
	default:
		http.NotFound(w, r)
	}
}

func (s *cloudStubs) serveSTS(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	form := map[string]string{}
	for k, v := range r.Form {
		form[k] = v[0]
	}
	s.mu.Lock()
	s.stsForms = append(s.stsForms, form)
	s.mu.Unlock()
	if form["Action"] != "AssumeRole" || form["RoleArn"] == "" || form["Signature"] == "" {
		http.Error(w, `{"Code":"MissingParameter"}`, http.StatusBadRequest)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"RequestId":       "6894B13B-6D71-4EF5-88FA-F32781734A7F",
		"AssumedRoleUser": map[string]string{"Arn": form["RoleArn"] + "/" + form["RoleSessionName"], "AssumedRoleId": "34458433936495****:" + form["RoleSessionName"]},
		"Credentials": map[string]string{
			"AccessKeyId": "STS.assumed-key", "AccessKeySecret": "assumed-secret", "SecurityToken": "assumed-token",
			"Expiration": time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05Z"),
		},
	})
}

// testCA makes a CA (returned as PEM) and a certificate it signed for host.
func testCA(host string) ([]byte, tls.Certificate, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "liveapi test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key}, nil
}

// notOnLoopback is a sanity check of the premise above: the proxy variables
// must not capture the package's other tests.
func notOnLoopback(t *testing.T) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:1/", nil)
	if u, err := http.ProxyFromEnvironment(req); err != nil || u != nil {
		t.Fatalf("a loopback request would go through the proxy %v (%v)", u, err)
	}
	if !strings.HasPrefix(os.Getenv("HTTP_PROXY"), "http://127.0.0.1:") {
		t.Fatalf("HTTP_PROXY is %q: TestMain did not run", os.Getenv("HTTP_PROXY"))
	}
}
