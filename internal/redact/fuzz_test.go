package redact_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/callbackwatch/terraform-provider-live/internal/redact"
)

// FuzzRedact: on any input URL, Header and Text never panic and are
// idempotent; Keys gives distinct URLs distinct keys; and a secret planted
// around the input where a credential goes (userinfo, a token parameter, a
// path after /token/, an Authorization or X-Api-Key header, a JSON password,
// a token=… pair, a Bearer value) never survives. The corpus in
// testdata/fuzz/FuzzRedact holds the documents' example values and the
// forms of redact_test.go.
func FuzzRedact(f *testing.F) {
	f.Fuzz(func(t *testing.T, in, secret string) {
		for name, fn := range map[string]func(string) string{"URL": redact.URL, "Header": redact.Header, "Text": redact.Text} {
			out := fn(in)
			if again := fn(out); again != out {
				t.Fatalf("%s is not idempotent on %q:\n once:  %q\n twice: %q", name, in, out, again)
			}
		}
		urls := []string{in, in + "&token=" + secret, in + "&token=" + secret + "z", in + "#" + secret}
		seen := map[string]string{}
		latest := map[string]string{}
		for i, u := range urls {
			latest[u] = []string{"2022-10-19T19:09:28Z", "2022-10-19T19:09:27Z"}[i%2]
		}
		for u, k := range redact.Keys(latest) {
			if other, dup := seen[k]; dup {
				t.Fatalf("Keys gives %q and %q the same key %q", u, other, k)
			}
			seen[k] = u
		}

		if !plantable.MatchString(secret) || !strings.ContainsAny(secret, "abcdefghijklmnopqrstuvwxyz") ||
			!strings.ContainsAny(secret, "0123456789") || strings.Contains(in, secret) {
			return
		}
		quoted, _ := json.Marshal(in)
		plants := []struct{ what, in, out string }{
			{"URL (userinfo, query)", "https://user:" + secret + "@" + in + "?a=1&token=" + secret, ""},
			{"URL (path)", "https://hooks.example.com/token/" + secret + "?" + in, ""},
			{"URL (query after)", in + "&access_token=" + secret, ""},
			{"JSON header", `{"X-Api-Key":"` + secret + `","authorization":"Bearer ` + secret + `","Other":` + string(quoted) + `}`, ""},
			{"header lines", "Authorization: Bearer " + secret + "\r\nX-Other: " + in, ""},
			{"text", in + ` {"password":"` + secret + `"} ` + in + " token=" + secret + " Authorization: Bearer " + secret + " " + in, ""},
		}
		plants[0].out = redact.URL(plants[0].in)
		plants[1].out = redact.URL(plants[1].in)
		plants[2].out = redact.URL(plants[2].in)
		plants[3].out = redact.Header(plants[3].in)
		plants[4].out = redact.Header(plants[4].in)
		plants[5].out = redact.Text(plants[5].in)
		for _, p := range plants {
			if strings.Contains(p.out, secret) {
				t.Fatalf("%s: the secret %q survives in %q (from %q)", p.what, secret, p.out, p.in)
			}
		}
	})
}

// plantable is a secret the fuzz target plants: a token as a URL would
// carry it unescaped, with a lower-case letter and a digit so that it cannot
// be part of the marker.
var plantable = regexp.MustCompile(`^[A-Za-z0-9._~\-]{8,64}$`)
