package provider

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"golang.org/x/net/http/httpproxy"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
	"github.com/callbackwatch/terraform-provider-live/internal/tlstest"
)

// TestProxySettings: each of http_proxy, https_proxy and no_proxy comes from
// the block, else from its environment variables (upper case first); an
// empty string in the block means none, whatever the environment says.
func TestProxySettings(t *testing.T) {
	null := types.StringNull()
	for _, c := range []struct {
		name                  string
		httpP, httpsP, noP    types.String
		env                   map[string]string
		wantHTTP, wantHTTPS   string
		wantNoProxy, errorsAt string
	}{
		{name: "nothing", httpP: null, httpsP: null, noP: null},
		{name: "block", httpP: types.StringValue("http://a:1"), httpsP: types.StringValue("http://b:2"), noP: types.StringValue(".corp"),
			wantHTTP: "http://a:1", wantHTTPS: "http://b:2", wantNoProxy: ".corp"},
		{name: "environment", httpP: null, httpsP: null, noP: null,
			env:      map[string]string{"HTTP_PROXY": "http://e:1", "https_proxy": "e2:2", "no_proxy": "10.0.0.0/8"},
			wantHTTP: "http://e:1", wantHTTPS: "e2:2", wantNoProxy: "10.0.0.0/8"},
		{name: "upper case first", httpP: null, httpsP: null, noP: null,
			env:       map[string]string{"HTTPS_PROXY": "http://upper:1", "https_proxy": "http://lower:1", "NO_PROXY": "a", "no_proxy": "b"},
			wantHTTPS: "http://upper:1", wantNoProxy: "a"},
		{name: "block wins, field by field", httpP: null, httpsP: types.StringValue("http://block:3"), noP: null,
			env:      map[string]string{"HTTP_PROXY": "http://e:1", "HTTPS_PROXY": "http://e:2", "NO_PROXY": "x"},
			wantHTTP: "http://e:1", wantHTTPS: "http://block:3", wantNoProxy: "x"},
		{name: "empty block value turns the environment's off", httpP: null, httpsP: types.StringValue(""), noP: types.StringValue(""),
			env: map[string]string{"HTTPS_PROXY": "http://e:2", "NO_PROXY": "x"}},
		{name: "bad environment proxy", httpP: null, httpsP: null, noP: null,
			env: map[string]string{"HTTPS_PROXY": "ftp://e:2"}, errorsAt: "https_proxy"},
	} {
		t.Run(c.name, func(t *testing.T) {
			clearProviderEnv(t)
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			got, diags := proxySettings(providerModel{HTTPProxy: c.httpP, HTTPSProxy: c.httpsP, NoProxy: c.noP})
			if c.errorsAt != "" {
				if !hasErrorAt(diags, path.Root(c.errorsAt), "HTTPS_PROXY is not a proxy URL") {
					t.Errorf("no error on %s: %v", c.errorsAt, diags)
				}
				return
			}
			want := httpproxy.Config{HTTPProxy: c.wantHTTP, HTTPSProxy: c.wantHTTPS, NoProxy: c.wantNoProxy}
			if diags.HasError() || got != want {
				t.Errorf("got %+v (%v), want %+v", got, diags, want)
			}
		})
	}
}

// writeCA writes ca's PEM to a file of the test and returns its path.
func writeCA(t *testing.T, ca *tlstest.CA) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ca.pem")
	if err := ca.WritePEM(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestNetworkArgumentsValidate: a proxy that is not a URL, and a CA bundle
// that cannot be read or holds no certificate, are plan-time errors on their
// argument.
func TestNetworkArgumentsValidate(t *testing.T) {
	ca, err := tlstest.NewCA("validate CA")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	noCert := filepath.Join(dir, "key.pem")
	if err := os.WriteFile(noCert, []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		attr  string
		value string
		want  string // "" for no error
	}{
		{"http_proxy", "http://proxy.example.com:3128", ""},
		{"https_proxy", "proxy.example.com:3128", ""},
		{"https_proxy", "", ""},
		{"http_proxy", "ftp://proxy.example.com", "Invalid proxy URL"},
		{"https_proxy", "http://proxy.example.com/path", "Invalid proxy URL"},
		{"custom_ca_bundle", writeCA(t, ca), ""},
		{"custom_ca_bundle", filepath.Join(dir, "missing.pem"), "cannot be read"},
		{"custom_ca_bundle", noCert, "no PEM certificate"},
		{"custom_ca_bundle", "", "custom_ca_bundle is empty"},
	} {
		diags := validate(t, "", map[string]tftypes.Value{c.attr: str(c.value)})
		text := protoDiagText(diags)
		switch {
		case c.want == "" && len(diags) != 0:
			t.Errorf("%s = %q refused: %s", c.attr, c.value, text)
		case c.want != "" && (len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError ||
			!strings.Contains(text, c.want) || diags[0].Attribute == nil || diags[0].Attribute.String() != tftypes.NewAttributePath().WithAttributeName(c.attr).String()):
			t.Errorf("%s = %q: want one error on it saying %q, got %s", c.attr, c.value, c.want, text)
		}
	}
}

// TestConfigureCABundle: the CA bundle comes from custom_ca_bundle or
// ALIBABA_CLOUD_CA_BUNDLE and makes an emulator with its own CA readable; a
// bad bundle in the environment is an error on custom_ca_bundle that names
// the variable.
func TestConfigureCABundle(t *testing.T) {
	ca, err := tlstest.NewCA("emulator CA")
	if err != nil {
		t.Fatal(err)
	}
	emu := emulator.New(emulator.Options{Domains: []emulator.DomainSpec{}, NoCaseDomains: true}) // the fixtures only
	srv := httptest.NewUnstartedServer(emu)
	if srv.TLS, err = ca.ServerConfig(tlstest.LocalHosts...); err != nil {
		t.Fatal(err)
	}
	srv.StartTLS()
	defer srv.Close()
	bundle := writeCA(t, ca)
	for _, c := range []struct{ name, block, env string }{{name: "block", block: bundle}, {name: "environment", env: bundle}} {
		t.Run(c.name, func(t *testing.T) {
			clearProviderEnv(t)
			t.Setenv("ALIBABA_CLOUD_CA_BUNDLE", c.env)
			attrs := emulatorKeys()
			attrs["endpoint"] = str(srv.URL)
			if c.block != "" {
				attrs["custom_ca_bundle"] = str(c.block)
			}
			client, diags := configure(t, attrs)
			if client == nil || diags.HasError() {
				t.Fatalf("Configure: %v", diags)
			}
			if _, err := liveapi.List(context.Background(), client, liveapi.StreamNotifyRecords, liveapi.Query{
				DomainName: emulator.FixtureStreamDomain, StartTime: emu.Now().Add(-time.Hour), EndTime: emu.Now(),
			}); err != nil {
				t.Errorf("a read trusting the bundle: %v", err)
			}
		})
	}
	clearProviderEnv(t)
	t.Setenv("ALIBABA_CLOUD_CA_BUNDLE", filepath.Join(t.TempDir(), "missing.pem"))
	if client, diags := configure(t, emulatorKeys()); client != nil || !hasErrorAt(diags, path.Root("custom_ca_bundle"), "Invalid ALIBABA_CLOUD_CA_BUNDLE") {
		t.Errorf("a missing bundle in the environment: client %v, %v", client != nil, diags)
	}
}
