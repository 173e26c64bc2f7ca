package liveapi

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"

	"github.com/callbackwatch/terraform-provider-live/internal/tlstest"
)

// credentialEnv is every variable the credentials-go sources read; each test
// starts with all of them empty, so the machine's own settings stay out.
var credentialEnv = []string{
	"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
	"ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "ALIBABA_CLOUD_ROLE_SESSION_NAME",
	"ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_CONFIG_FILE", "ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "ALIBABA_CLOUD_CREDENTIALS_FILE",
	"ALIBABA_CLOUD_ECS_METADATA", "ALIBABA_CLOUD_ECS_METADATA_DISABLED", "ALIBABA_CLOUD_IMDSV1_DISABLED",
	"ALIBABA_CLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_STS_REGION", "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED",
}

// isolate empties the credential environment, points HOME at an empty
// directory (no ~/.aliyun/config.json, no ~/.alibabacloud/credentials) and
// resets the stubs; ecsRole is what the metadata service reports.
func isolate(t *testing.T, ecsRole string) string {
	t.Helper()
	for _, k := range credentialEnv {
		t.Setenv(k, "")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	stubs.reset(ecsRole)
	notOnLoopback(t)
	return home
}

// resolve builds the credential and asks it for its keys once.
func resolve(t *testing.T, cfg CredentialConfig) (*credentials.CredentialModel, string, error) {
	t.Helper()
	cred, name, err := NewCredential(cfg)
	if err != nil {
		t.Fatalf("NewCredential: %v", err)
	}
	m, err := cred.GetCredential()
	return m, name, err
}

func wantKeys(t *testing.T, m *credentials.CredentialModel, id, secret, token string) {
	t.Helper()
	if m == nil || deref(m.AccessKeyId) != id || deref(m.AccessKeySecret) != secret || deref(m.SecurityToken) != token {
		var got [3]string
		if m != nil {
			got = [3]string{deref(m.AccessKeyId), deref(m.AccessKeySecret), deref(m.SecurityToken)}
		}
		t.Errorf("credential %q, want %q", got, [3]string{id, secret, token})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestNewCredentialStaticKeys(t *testing.T) {
	isolate(t, "")
	m, name, err := resolve(t, CredentialConfig{AccessKey: "LTAI-static", SecretKey: "static-secret"})
	if err != nil || name != "access_key" {
		t.Fatalf("name %q, error %v", name, err)
	}
	wantKeys(t, m, "LTAI-static", "static-secret", "")

	m, name, err = resolve(t, CredentialConfig{AccessKey: "STS.key", SecretKey: "sts-secret", SecurityToken: "sts-token"})
	if err != nil || name != "sts" {
		t.Fatalf("name %q, error %v", name, err)
	}
	wantKeys(t, m, "STS.key", "sts-secret", "sts-token")

	// Half a key pair is refused before anything else is tried.
	for _, cfg := range []CredentialConfig{{AccessKey: "LTAI-only"}, {SecretKey: "secret-only", Profile: "ops"}} {
		if _, _, err := NewCredential(cfg); err == nil || !strings.Contains(err.Error(), "together") {
			t.Errorf("%+v: got %v, want the pair to be refused", cfg, err)
		}
	}
}

// cliConfig is an aliyun CLI configuration with two profiles.
const cliConfig = `{
  "current": "default",
  "profiles": [
    {"name": "default", "mode": "AK", "access_key_id": "LTAI-cli-default", "access_key_secret": "cli-default-secret"},
    {"name": "ops", "mode": "StsToken", "access_key_id": "STS.cli-ops", "access_key_secret": "cli-ops-secret", "sts_token": "cli-ops-token"}
  ]
}`

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNewCredentialProfile(t *testing.T) {
	home := isolate(t, "")
	file := writeFile(t, filepath.Join(t.TempDir(), "config.json"), cliConfig)

	m, name, err := resolve(t, CredentialConfig{Profile: "ops", SharedCredentialsFile: file})
	if err != nil || name != "cli_profile" {
		t.Fatalf("name %q, error %v", name, err)
	}
	wantKeys(t, m, "STS.cli-ops", "cli-ops-secret", "cli-ops-token")

	// No profile name: the file's current profile.
	m, _, err = resolve(t, CredentialConfig{SharedCredentialsFile: file})
	if err != nil {
		t.Fatal(err)
	}
	wantKeys(t, m, "LTAI-cli-default", "cli-default-secret", "")

	// No file: ~/.aliyun/config.json.
	writeFile(t, filepath.Join(home, ".aliyun", "config.json"), cliConfig)
	m, _, err = resolve(t, CredentialConfig{Profile: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	wantKeys(t, m, "STS.cli-ops", "cli-ops-secret", "cli-ops-token")

	// A profile the file lacks fails on first use, as ErrNoCredentials.
	_, _, err = resolve(t, CredentialConfig{Profile: "missing", SharedCredentialsFile: file})
	if !errors.Is(err, ErrNoCredentials) || !strings.Contains(err.Error(), "missing") {
		t.Errorf("got %v, want ErrNoCredentials naming the profile", err)
	}
}

func TestNewCredentialECSRole(t *testing.T) {
	isolate(t, "LiveReader")
	m, name, err := resolve(t, CredentialConfig{ECSRoleName: "LiveReader"})
	if err != nil || name != "ecs_ram_role" {
		t.Fatalf("name %q, error %v", name, err)
	}
	wantKeys(t, m, "STS.ecs-key", "ecs-secret", "ecs-token")
	paths, _ := stubs.seen()
	want := []string{"PUT /latest/api/token", "GET /latest/meta-data/ram/security-credentials/LiveReader"}
	if strings.Join(paths, ", ") != strings.Join(want, ", ") {
		t.Errorf("metadata requests %q, want %q", paths, want)
	}

	// A role the instance does not have fails on first use.
	stubs.reset("OtherRole")
	_, _, err = resolve(t, CredentialConfig{ECSRoleName: "LiveReader"})
	if !errors.Is(err, ErrNoCredentials) {
		t.Errorf("got %v, want ErrNoCredentials", err)
	}

	// The ECS role wins over a profile.
	stubs.reset("LiveReader")
	file := writeFile(t, filepath.Join(t.TempDir(), "config.json"), cliConfig)
	_, name, err = resolve(t, CredentialConfig{ECSRoleName: "LiveReader", Profile: "ops", SharedCredentialsFile: file})
	if err != nil || name != "ecs_ram_role" {
		t.Errorf("ECS role and profile: name %q, error %v", name, err)
	}
}

func TestNewCredentialAssumeRole(t *testing.T) {
	isolate(t, "")
	m, name, err := resolve(t, CredentialConfig{
		AccessKey: "LTAI-base", SecretKey: "base-secret",
		AssumeRole: &AssumeRoleConfig{
			RoleARN: "acs:ram::123456789012****:role/live-reader", SessionName: "terraform",
			SessionExpiration: 1800, Policy: `{"Version":"1"}`, ExternalID: "ext-1",
		},
	})
	if err != nil || name != "ram_role_arn" {
		t.Fatalf("name %q, error %v", name, err)
	}
	wantKeys(t, m, "STS.assumed-key", "assumed-secret", "assumed-token")
	_, forms := stubs.seen()
	if len(forms) != 1 {
		t.Fatalf("STS saw %d AssumeRole requests, want 1", len(forms))
	}
	for k, v := range map[string]string{
		"Action": "AssumeRole", "AccessKeyId": "LTAI-base", "RoleArn": "acs:ram::123456789012****:role/live-reader",
		"RoleSessionName": "terraform", "DurationSeconds": "1800", "Policy": `{"Version":"1"}`, "ExternalId": "ext-1",
	} {
		if forms[0][k] != v {
			t.Errorf("AssumeRole %s = %q, want %q", k, forms[0][k], v)
		}
	}

	// Without a session expiration STS's default applies (credentials-go
	// sends 3600); a session shorter than STS allows is refused up front.
	stubs.reset("")
	if _, _, err := resolve(t, CredentialConfig{AccessKey: "LTAI-base", SecretKey: "base-secret", AssumeRole: &AssumeRoleConfig{RoleARN: "acs:ram::1:role/r"}}); err != nil {
		t.Fatal(err)
	}
	if _, forms := stubs.seen(); len(forms) != 1 || forms[0]["DurationSeconds"] != "3600" {
		t.Errorf("default session: %v", forms)
	}
	if _, _, err := NewCredential(CredentialConfig{AccessKey: "a", SecretKey: "b", AssumeRole: &AssumeRoleConfig{RoleARN: "acs:ram::1:role/r", SessionExpiration: 60}}); err == nil || !strings.HasPrefix(err.Error(), "assume_role:") {
		t.Errorf("a 60 s session: got %v, want an assume_role error", err)
	}
}

// TestNewCredentialDefaultChain: with nothing in the block, the
// credentials-go default chain is asked, in its order: environment, CLI
// profile (~/.aliyun/config.json), credentials file, ECS instance role.
// Each case removes the source that won the previous one.
func TestNewCredentialDefaultChain(t *testing.T) {
	home := isolate(t, "ChainRole")
	setEnv := func() {
		t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env")
		t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret")
	}
	cliFile := writeFile(t, filepath.Join(home, ".aliyun", "config.json"), cliConfig)
	iniFile := writeFile(t, filepath.Join(t.TempDir(), "credentials"), "[default]\ntype = access_key\naccess_key_id = LTAI-ini\naccess_key_secret = ini-secret\n")
	t.Setenv("ALIBABA_CLOUD_CREDENTIALS_FILE", iniFile)
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA", "ChainRole")

	setEnv()
	m, name, err := resolve(t, CredentialConfig{})
	if err != nil || name != "default_chain" {
		t.Fatalf("name %q, error %v", name, err)
	}
	wantKeys(t, m, "LTAI-env", "env-secret", "")

	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "")
	m, _, err = resolve(t, CredentialConfig{})
	if err != nil {
		t.Fatal(err)
	}
	wantKeys(t, m, "LTAI-cli-default", "cli-default-secret", "")

	if err := os.Remove(cliFile); err != nil {
		t.Fatal(err)
	}
	m, _, err = resolve(t, CredentialConfig{})
	if err != nil {
		t.Fatal(err)
	}
	wantKeys(t, m, "LTAI-ini", "ini-secret", "")

	t.Setenv("ALIBABA_CLOUD_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	stubs.reset("ChainRole")
	m, _, err = resolve(t, CredentialConfig{})
	if err != nil {
		t.Fatal(err)
	}
	wantKeys(t, m, "STS.ecs-key", "ecs-secret", "ecs-token")

	// Nothing left (the ECS source switched off, as the acceptance tests
	// run): an error that wraps ErrNoCredentials.
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	_, _, err = resolve(t, CredentialConfig{})
	if !errors.Is(err, ErrNoCredentials) {
		t.Errorf("got %v, want ErrNoCredentials", err)
	}
}

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

func startCloudStubs() (func(), error) {
	dir, err := os.MkdirTemp("", "liveapi-stubs")
	if err != nil {
		return nil, err
	}
	ca, err := tlstest.NewCA("liveapi test CA")
	if err != nil {
		return nil, err
	}
	leaf, err := ca.Issue(stsHost)
	if err != nil {
		return nil, err
	}
	caFile := filepath.Join(dir, "ca.pem")
	if err := ca.WritePEM(caFile); err != nil {
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
