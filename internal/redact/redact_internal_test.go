package redact

import (
	"strings"
	"testing"
)

// TestIsCredentialName: the names the list takes for a credential's, in the
// casings and spellings webhooks use, and ordinary names it leaves alone.
func TestIsCredentialName(t *testing.T) {
	for name, want := range map[string]bool{
		"token": true, "access_token": true, "accessToken": true, "X-Auth-Token": true, "authtoken": true,
		"auth_key": true, "X-Api-Key": true, "apikey": true, "APIKey": true, "OSSAccessKeyId": true,
		"secret": true, "txSecret": true, "client_secret": true, "password": true, "passwd": true, "pwd": true,
		"Authorization": true, "Proxy-Authorization": true, "Cookie": true, "Set-Cookie": true, "sessionid": true,
		"ALI-LIVE-SIGNATURE": true, "X-Hub-Signature-256": true, "sig": true, "sign": true, "X-Amz-Credential": true,
		"design_sig": true, // the list errs on the side of redacting
		"env":        false, "app": false, "stream": false, "vhost": false, "usrargs": false, "keyword": false,
		"monkey": false, "Content-Type": false, "ALI-LIVE-TIMESTAMP": false, "Code": false, "Msg": false,
		"X-Request-Id": false, "Keep-Alive": false, "User-Agent": false, "designer": false, "": false,
	} {
		if got := isCredentialName(name); got != want {
			t.Errorf("isCredentialName(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestTokenLike: random-looking strings of 20 characters or more pass;
// words, dates and shorter strings do not.
func TestTokenLike(t *testing.T) {
	for s, want := range map[string]bool{
		"9e107d9d372bb6826bd81d3542a419d6":     true,  // an MD5 in hex
		"F675E4B4-125D-1533-901B-11A724644285": true,  // a UUID (the document's RequestId)
		"Xk3pR9vQ2mW7tY4bN8cF1dZ6":             true,  // a Slack-style token
		"a1b2c3d4e5f6g7h8i9j0":                 true,  // exactly 20
		"a1b2c3d4e5f6g7h8i9j":                  false, // 19
		"s3cret-token-123":                     false, // too short: caught by name or place only
		"publish_done_callback_v2":             false,
		"LiveStreamCallback2024":               false,
		"callback-2024-10-19-prod":             false,
		"2022-10-19T19:09:28Z":                 false,
		"abcdefghijklmnopqrstuvwxyz":           false, // no digits
		"a1b2c3d4e5f6g7h8i9j0 x":               false, // a space
	} {
		if got := tokenLike(s); got != want {
			t.Errorf("tokenLike(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestCredentialHints: every word and part that makes a name a
// credential's holds one of the hints mayHoldCredential looks for, so that
// skipping text without one skips nothing isCredentialName would find.
func TestCredentialHints(t *testing.T) {
	words := []string{"bearer", "basic", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "sk_live_", "rk_test_"}
	for w := range credentialWords {
		words = append(words, w)
	}
	words = append(words, credentialParts...)
	for _, w := range words {
		if !mayHoldCredential(w) && !mayHoldCredential(strings.ToUpper(w)) {
			t.Errorf("%q holds no hint", w)
		}
	}
}
