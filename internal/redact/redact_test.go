package redact_test

import (
	"strings"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/redact"
)

type form struct {
	name, in, want string
}

func check(t *testing.T, fn func(string) string, forms []form) {
	t.Helper()
	for _, f := range forms {
		if got := fn(f.in); got != f.want {
			t.Errorf("%s:\n in:   %q\n got:  %q\n want: %q", f.name, f.in, got, f.want)
		}
		if got := fn(f.want); got != f.want {
			t.Errorf("%s: not idempotent: %q gives %q", f.name, f.want, got)
		}
	}
}

// urlForms are the URL forms the redactor is proved on; the closing note of
// issue 24 lists them.
var urlForms = []form{
	// The documents' examples hold no credential and are kept as written.
	{"stream document's NotifyUrl", emulator.DocStreamNotifyURL, emulator.DocStreamNotifyURL},
	{"record document's NotifyUrl", emulator.DocRecordNotifyURL, emulator.DocRecordNotifyURL},
	{"empty", "", ""},

	// Query values.
	{"token in the query", "https://hooks.example.com/live/publish_done?env=prod&token=s3cret-token-123",
		"https://hooks.example.com/live/publish_done?env=prod&token=REDACTED"},
	{"names in odd casing", "https://h/cb?ACCESS_TOKEN=a&X-Api-Key=b&Signature=c&auth_key=d&accessToken=e&sign=f&txSecret=g",
		"https://h/cb?ACCESS_TOKEN=REDACTED&X-Api-Key=REDACTED&Signature=REDACTED&auth_key=REDACTED&accessToken=REDACTED&sign=REDACTED&txSecret=REDACTED"},
	{"repeated parameter", "https://h/cb?token=a&token=b&Token=c", "https://h/cb?token=REDACTED&token=REDACTED&Token=REDACTED"},
	{"other parameters kept", "https://h/cb?env=prod&app=live&stream=room-1&t=1666206568&keyword=x",
		"https://h/cb?env=prod&app=live&stream=room-1&t=1666206568&keyword=x"},
	{"empty value", "https://h/cb?token=&env=prod", "https://h/cb?token=&env=prod"},
	{"percent-encoded name", "https://h/cb?%74oken=abc&api+key=def&api%5Fkey=ghi", "https://h/cb?%74oken=REDACTED&api+key=REDACTED&api%5Fkey=REDACTED"},
	{"percent-encoded values kept as written", "https://h/cb?env=pr%6Fd&path=%2Flive%2F", "https://h/cb?env=pr%6Fd&path=%2Flive%2F"},
	{"invalid escape", "https://h/%zz/cb?token=%zz&x=%", "https://h/%zz/cb?token=REDACTED&x=%"},
	{"semicolon separators", "https://h/cb?a=1;token=abc", "https://h/cb?a=1;token=REDACTED"},
	{"value shaped like a token", "https://h/cb?x=9e107d9d372bb6826bd81d3542a419d6&y=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln&z=ghp_abc",
		"https://h/cb?x=REDACTED&y=REDACTED&z=REDACTED"},
	{"bare parameter shaped like a token", "https://h/cb?9e107d9d372bb6826bd81d3542a419d6", "https://h/cb?REDACTED"},
	{"URL with a token inside a value", "https://h/cb?next=https%3A%2F%2Fx%2F%3Ftoken%3Dabc&back=https%3A%2F%2Fx%2Fy",
		"https://h/cb?next=REDACTED&back=https%3A%2F%2Fx%2Fy"},
	{"OSS signed URL", "https://b.oss-cn-shanghai.aliyuncs.com/o.mp4?OSSAccessKeyId=LTAI5tExample&Expires=1700000000&Signature=abc%2B%3D",
		"https://b.oss-cn-shanghai.aliyuncs.com/o.mp4?OSSAccessKeyId=REDACTED&Expires=1700000000&Signature=REDACTED"},
	{"S3 presigned URL", "https://s3.example.com/o?X-Amz-Credential=AKIA%2F20240101&X-Amz-Date=20240101T000000Z&X-Amz-Signature=abc&X-Amz-Security-Token=def",
		"https://s3.example.com/o?X-Amz-Credential=REDACTED&X-Amz-Date=20240101T000000Z&X-Amz-Signature=REDACTED&X-Amz-Security-Token=REDACTED"},

	// Userinfo.
	{"userinfo password", "https://live-hooks:s3cret-token-123@hooks.example.com/live/publish",
		"https://live-hooks:REDACTED@hooks.example.com/live/publish"},
	{"userinfo user alone", "https://s3cret@hooks.example.com/live", "https://REDACTED@hooks.example.com/live"},
	{"userinfo user with an empty password", "https://sk_live_abc:@api.example.com/", "https://REDACTED:@api.example.com/"},
	{"userinfo token user and a password", "https://ghp_abcDEF123456:x-oauth-basic@github.com/o/r",
		"https://REDACTED:REDACTED@github.com/o/r"},
	{"userinfo password with @ and a port", "https://u:p@ss@h:8443/cb", "https://u:REDACTED@h:8443/cb"},
	{"IPv6 host", "http://[2001:db8::1]:8080/cb?token=a", "http://[2001:db8::1]:8080/cb?token=REDACTED"},
	{"non-ASCII host", "https://例子.测试/cb?token=x", "https://例子.测试/cb?token=REDACTED"},

	// Without a scheme.
	{"host and path", "hooks.example.com/live?token=abc", "hooks.example.com/live?token=REDACTED"},
	{"userinfo without a scheme", "user:pw@hooks.example.com/live", "user:REDACTED@hooks.example.com/live"},
	{"protocol-relative", "//h/cb?sig=abc", "//h/cb?sig=REDACTED"},
	{"path only", "/live?access_token=abc", "/live?access_token=REDACTED"},
	{"pairs only", "token=abc", "REDACTED"},

	// Path segments.
	{"Slack webhook", "https://hooks.slack.com/services/T0001/B0001/s3cret-token-123", "https://hooks.slack.com/services/T0001/B0001/REDACTED"},
	{"Discord webhook", "https://discord.com/api/webhooks/123456789/abcDEF", "https://discord.com/api/webhooks/123456789/REDACTED"},
	{"Telegram bot", "https://api.telegram.org/bot123456:ABC-def/sendMessage", "https://api.telegram.org/REDACTED/sendMessage"},
	{"segment after a credential name", "https://h/api/key/abc/send?x=1", "https://h/api/key/REDACTED/send?x=1"},
	{"segment after token", "https://h/token/abc", "https://h/token/REDACTED"},
	{"segment shaped like a token", "https://h/hooks/9e107d9d372bb6826bd81d3542a419d6", "https://h/hooks/REDACTED"},
	{"segments like words kept", "https://h/live/publish_done_callback_v2/LiveStreamCallback2024/auth/callback",
		"https://h/live/publish_done_callback_v2/LiveStreamCallback2024/auth/callback"},
	{"matrix parameter", "https://h/app;jsessionid=ABC123/x", "https://h/REDACTED/x"},

	// Fragments.
	{"fragment of pairs", "https://h/cb#access_token=abc&state=xyz", "https://h/cb#access_token=REDACTED&state=xyz"},
	{"fragment path", "https://h/cb#/token/abc", "https://h/cb#/token/REDACTED"},
	{"plain fragment kept", "https://h/cb#section-2", "https://h/cb#section-2"},

	// Unreadable: redacted whole.
	{"space", "https://h/a b?token=x", "REDACTED"},
	{"control character", "https://h/cb\x00?x=1", "REDACTED"},
	{"tab", "https://h/cb\t", "REDACTED"},
	{"invalid UTF-8", "https://h/\xff", "REDACTED"},
	{"no host", "&token=abc", "REDACTED"},

	// The marker is never kept as written.
	{"literal numbered marker", "https://h/cb?env=REDACTED-2", "https://h/cb?env=REDACTED"},
	{"marker in the host", "https://REDACTED-1.example.com/", "REDACTED"},
	{"marker in a segment", "https://h/REDACTED-1/x", "https://h/REDACTED/x"},
}

func TestURL(t *testing.T) { check(t, redact.URL, urlForms) }

// headerForms are the NotifyHeader forms the redactor is proved on.
var headerForms = []form{
	{"empty", "", ""},
	{"white space", "  ", "  "},
	{"no credential", `{"Content-Type":"application/json"}`, `{"Content-Type":"application/json"}`},
	{"Authorization", `{"Authorization":"Bearer s3cret-token-123","Content-Type":"application/json"}`,
		`{"Authorization":"REDACTED","Content-Type":"application/json"}`},
	{"odd casing", `{"AUTHORIZATION":"Bearer x","x-Api-KEY":"y","cOOKIE":"a=b","Proxy-Authorization":"Basic z","Content-Type":"application/json"}`,
		`{"AUTHORIZATION":"REDACTED","x-Api-KEY":"REDACTED","cOOKIE":"REDACTED","Proxy-Authorization":"REDACTED","Content-Type":"application/json"}`},
	{"the emulator's signed callback", `{"Content-Type":"application/json","ALI-LIVE-TIMESTAMP":"1666206568","ALI-LIVE-SIGNATURE":"9e107d9d372bb6826bd81d3542a419d6"}`,
		`{"Content-Type":"application/json","ALI-LIVE-TIMESTAMP":"1666206568","ALI-LIVE-SIGNATURE":"REDACTED"}`},
	{"other signature and token headers", `{"X-Hub-Signature-256":"sha256=abc","X-Auth-Token":"t","Set-Cookie":"s=1","X-Session-Id":"q","Sec-WebSocket-Key":"k"}`,
		`{"X-Hub-Signature-256":"REDACTED","X-Auth-Token":"REDACTED","Set-Cookie":"REDACTED","X-Session-Id":"REDACTED","Sec-WebSocket-Key":"REDACTED"}`},
	{"spaced JSON, kept as written", "{ \"Authorization\" : \"Bearer x\" ,\n \"Accept\": \"*/*\" }", "{ \"Authorization\" : \"REDACTED\" ,\n \"Accept\": \"*/*\" }"},
	{"credential values that are not strings", `{"Authorization":["Bearer x"],"X-Token":123,"X-Key":{"a":"b"}}`,
		`{"Authorization":"REDACTED","X-Token":"REDACTED","X-Key":"REDACTED"}`},
	{"empty credential values", `{"Authorization":"","X-Token":null}`, `{"Authorization":"","X-Token":null}`},
	{"nested objects and arrays", `{"headers":{"Authorization":"Bearer x"},"list":[{"token":"y"},"z",1,true,null]}`,
		`{"headers":{"Authorization":"REDACTED"},"list":[{"token":"REDACTED"},"z",1,true,null]}`},
	{"a URL in another header", `{"Referer":"https://h/?token=x"}`, `{"Referer":"https://h/?token=REDACTED"}`},
	{"escapes kept", `{"Accept":"a<b>&c","X-Note":"caf\u00e9","X-Token":"t"}`, `{"Accept":"a<b>&c","X-Note":"caf\u00e9","X-Token":"REDACTED"}`},
	{"a redacted string written back without HTML escapes", `{"Referer":"https://h/?a=<b>&token=x\u0021"}`, `{"Referer":"https://h/?a=<b>&token=REDACTED"}`},
	{"object without a credential kept as written", `{ "Content-Type" : "application/json", "X-Note":"caf\u00e9" }`,
		`{ "Content-Type" : "application/json", "X-Note":"caf\u00e9" }`},
	{"repeated names", `{"Token":"a","token":"b"}`, `{"Token":"REDACTED","token":"REDACTED"}`},
	{"lines", "Authorization: Bearer s3cret-token-123\r\nContent-Type: application/json",
		"Authorization: REDACTED\r\nContent-Type: application/json"},
	{"lines in odd casing, blank line kept", "authorization:Bearer x\nX-API-KEY:  y\n\nContent-Type: text/plain\n",
		"authorization:REDACTED\nX-API-KEY:  REDACTED\n\nContent-Type: text/plain\n"},
	{"cookie line", "Cookie: a=b; session=c", "Cookie: REDACTED"},
	{"line with a URL", "Referer: https://h/?sig=abc", "Referer: https://h/?sig=REDACTED"},

	// Unreadable: redacted whole.
	{"not a header", "Bearer x", "REDACTED"},
	{"JSON array", `["Authorization","Bearer x"]`, "REDACTED"},
	{"JSON string", `"Authorization: Bearer x"`, "REDACTED"},
	{"truncated object", `{"Authorization":"Bearer x"`, "REDACTED"},
	{"trailing data", `{"a":"1"} {"Authorization":"x"}`, "REDACTED"},
	{"status line", "HTTP/1.1 200 OK\r\nX-A: b", "REDACTED"},
	{"folded line", "X-A: b\n continued", "REDACTED"},
}

func TestHeader(t *testing.T) { check(t, redact.Header, headerForms) }

// textForms are the free-text forms (content, description, response) the
// redactor is proved on.
var textForms = []form{
	{"empty", "", ""},
	{"record document's NotifyContent", emulator.DocRecordNotifyContent, emulator.DocRecordNotifyContent},
	{"stream document's NotifyContent", emulator.DocStreamNotifyContent, emulator.DocStreamNotifyContent},
	{"record document's NotifyResponse", emulator.DocRecordNotifyResponse, emulator.DocRecordNotifyResponse},
	{"success", "success", "success"},
	{"delivery error", "callback failed: HTTP 502 Bad Gateway", "callback failed: HTTP 502 Bad Gateway"},
	{"HTML response", "<html><head><title>401 Unauthorized</title></head><body>nginx</body></html>",
		"<html><head><title>401 Unauthorized</title></head><body>nginx</body></html>"},
	{"prose with a credential word", "Error: token expired", "Error: token expired"},

	{"publish usrargs", `{"action":"publish","usrargs":"auth_key=1700000000-0-0-abc123&vhost=x","node":"et2"}`,
		`{"action":"publish","usrargs":"auth_key=REDACTED&vhost=x","node":"et2"}`},
	{"escaped JSON", `{\"action\":\"publish_done\",\"token\":\"abc\"}`, `{\"action\":\"publish_done\",\"token\":\"REDACTED\"}`},
	{"URL in a delivery error", `callback failed: Post "https://hooks.example.com/cb?env=prod&token=abc": context deadline exceeded`,
		`callback failed: Post "https://hooks.example.com/cb?env=prod&token=REDACTED": context deadline exceeded`},
	{"URL with userinfo in text", "dial https://u:pw@h/x failed", "dial https://u:REDACTED@h/x failed"},
	{"rtmp ingest URL", `{"url":"rtmp://push.example.com/live/room?auth_key=1-0-0-abc"}`, `{"url":"rtmp://push.example.com/live/room?auth_key=REDACTED"}`},
	{"JSON numbers", `{"pin":1234,"code":0}`, `{"pin":"REDACTED","code":0}`},
	{"escaped JSON number", `{\"otp\":123}`, `{\"otp\":\"REDACTED\"}`},
	{"truncated JSON", `{"token":"abc`, `{"token":"REDACTED`},
	{"JSON in a JSON string", `{"data":"{\"token\":\"x\"}"}`, `{"data":"{\"token\":\"REDACTED\"}"}`},
	{"spaced JSON", "{\n  \"password\": \"hunter2\",\n  \"user\": \"u\"\n}", "{\n  \"password\": \"REDACTED\",\n  \"user\": \"u\"\n}"},
	{"empty JSON value", `{"token":""}`, `{"token":""}`},
	{"pairs in prose", "login failed for password=hunter2 from 10.0.0.1; env=prod", "login failed for password=REDACTED from 10.0.0.1; env=prod"},
	{"pair after another", "a=b?token=c", "a=b?token=REDACTED"},
	{"header line", "HTTP/1.1 401\nX-Api-Key: abc\nServer: nginx", "HTTP/1.1 401\nX-Api-Key: REDACTED\nServer: nginx"},
	{"Bearer", "sent Bearer abc.def to the webhook", "sent Bearer REDACTED to the webhook"},
	{"Basic in odd casing", "BASIC dXNlcjpwYXNz", "BASIC REDACTED"},
	{"JSON Web Token", "id eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here", "id REDACTED here"},
	{"known token prefix", "leaked ghp_abcdef123456 and xoxb-1-2-3", "leaked REDACTED and REDACTED"},
}

func TestText(t *testing.T) { check(t, redact.Text, textForms) }

// TestKeys: URLs that redact to the same string are numbered by their
// newest callback (newest = 1), ties by the raw URL; the others keep
// URL's redaction; no key holds a credential.
func TestKeys(t *testing.T) {
	const newer, older = "2022-10-19T19:09:28Z", "2022-10-19T19:09:27Z"
	for _, c := range []struct {
		name   string
		latest map[string]string
		want   map[string]string
	}{
		{"the fixture's webhooks", map[string]string{
			emulator.SecretsQueryURL:    newer,
			emulator.SecretsRotatedURL:  older,
			emulator.SecretsStagingURL:  newer,
			emulator.SecretsUserinfoURL: newer,
		}, map[string]string{
			emulator.SecretsQueryURL:    "https://hooks.example.com/live/publish_done?env=prod&token=REDACTED-1",
			emulator.SecretsRotatedURL:  "https://hooks.example.com/live/publish_done?env=prod&token=REDACTED-2",
			emulator.SecretsStagingURL:  "https://hooks.example.com/live/publish_done?env=staging&token=REDACTED",
			emulator.SecretsUserinfoURL: "https://live-hooks:REDACTED@hooks.example.com/live/publish",
		}},
		{"newest first, whatever the raw order", map[string]string{
			"https://h/?token=aaa": older,
			"https://h/?token=zzz": newer,
		}, map[string]string{
			"https://h/?token=aaa": "https://h/?token=REDACTED-2",
			"https://h/?token=zzz": "https://h/?token=REDACTED-1",
		}},
		{"ties by the raw URL", map[string]string{
			"https://h/?token=b": newer,
			"https://h/?token=a": newer,
			"https://h/?token=c": older,
		}, map[string]string{
			"https://h/?token=a": "https://h/?token=REDACTED-1",
			"https://h/?token=b": "https://h/?token=REDACTED-2",
			"https://h/?token=c": "https://h/?token=REDACTED-3",
		}},
		{"every marker of a URL takes its number", map[string]string{
			"https://u:a@h/?token=b": newer,
			"https://u:c@h/?token=d": older,
		}, map[string]string{
			"https://u:a@h/?token=b": "https://u:REDACTED-1@h/?token=REDACTED-1",
			"https://u:c@h/?token=d": "https://u:REDACTED-2@h/?token=REDACTED-2",
		}},
		{"a literal marker joins the group", map[string]string{
			"https://h/?token=REDACTED-1": newer,
			"https://h/?token=x":          older,
		}, map[string]string{
			"https://h/?token=REDACTED-1": "https://h/?token=REDACTED-1",
			"https://h/?token=x":          "https://h/?token=REDACTED-2",
		}},
		{"unreadable URLs", map[string]string{
			"https://h/a b": older,
			"https://h/c d": newer,
		}, map[string]string{
			"https://h/a b": "REDACTED-2",
			"https://h/c d": "REDACTED-1",
		}},
		{"nothing to number", map[string]string{
			emulator.DocStreamNotifyURL: newer,
			"https://h/?token=x":        older,
		}, map[string]string{
			emulator.DocStreamNotifyURL: emulator.DocStreamNotifyURL,
			"https://h/?token=x":        "https://h/?token=REDACTED",
		}},
	} {
		got := redact.Keys(c.latest)
		if len(got) != len(c.want) {
			t.Errorf("%s: %d keys, want %d: %v", c.name, len(got), len(c.want), got)
		}
		for u, want := range c.want {
			if got[u] != want {
				t.Errorf("%s: %q: key %q, want %q", c.name, u, got[u], want)
			}
		}
	}
}

// TestSecretNeverSurvives: the fixture's credential leaves none of the
// fields of emulator.FixtureSecretsDomain's callbacks, as each field is
// redacted.
func TestSecretNeverSurvives(t *testing.T) {
	emu := emulator.New(emulator.Options{Domains: []emulator.DomainSpec{}})
	var fields []string
	for _, r := range emu.StreamRecords(emulator.FixtureSecretsDomain) {
		fields = append(fields, redact.URL(r.NotifyURL), redact.Header(r.NotifyHeader),
			redact.Text(r.NotifyContent), redact.Text(r.Description), redact.Text(r.NotifyResponse))
	}
	for _, r := range emu.RecordCallbacks(emulator.FixtureSecretsDomain) {
		fields = append(fields, redact.URL(r.NotifyURL), redact.Header(r.NotifyHeader),
			redact.Text(r.NotifyContent), redact.Text(r.Description), redact.Text(r.NotifyResponse))
	}
	all := strings.Join(fields, "\n")
	if len(fields) != 5*(emulator.SecretsStreamRecords+emulator.SecretsRecordCallbacks) || !strings.Contains(all, redact.Marker) {
		t.Fatalf("the fixture was not read: %d fields", len(fields))
	}
	for _, secret := range []string{emulator.FixtureSecret, emulator.FixtureRotatedSecret, "s3cret"} {
		if n := strings.Count(all, secret); n > 0 {
			t.Errorf("%s survives %d times:\n%s", secret, n, all)
		}
	}
}
