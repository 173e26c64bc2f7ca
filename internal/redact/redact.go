// Package redact replaces the credentials that travel with ApsaraVideo Live
// callbacks with a marker, before callback data leaves the provider: in a
// webhook URL (URL), in the headers sent with a callback (Header) and in
// free text such as a callback's content, its delivery error or the
// webhook's response (Text). Keys numbers the markers of webhook URLs that
// would otherwise redact to the same string, so that they stay distinct
// keys.
//
// What counts as a credential:
//
//   - by name: a query parameter, JSON member, name=value pair or header
//     whose name says it holds one (token, secret, password, key, signature,
//     auth, cookie, session, ...; see isCredentialName), whatever its value;
//   - by place: the password of a URL's userinfo (the user name when there is
//     no password), the token segment of Slack, Discord and Telegram webhook
//     paths, the segment after a path segment named like a credential, the
//     value after Bearer or Basic;
//   - by shape, whatever the name: a JSON Web Token, and a random-looking
//     string of 20 or more letters and digits (see tokenLike) in a query
//     value or path segment;
//   - anything the parser cannot read with certainty: a URL with spaces or
//     control characters, a header that is neither a JSON object nor
//     "Name: value" lines, is replaced whole.
//
// No fingerprint of a redacted value is kept: a hash of a guessable token
// would confirm a guess. The package knows nothing of Terraform.
package redact

import (
	"strings"
	"unicode"
)

// Marker replaces every redacted value.
const Marker = "REDACTED"

// maxPasses bounds the passes Text and Header make until their output no
// longer changes; an input that is still changing after that many is
// replaced whole, so that every function here is idempotent.
const maxPasses = 8

// credentialWords are the words of a name (split at punctuation and case
// changes) that make it a credential's name: "auth_key", "X-Api-Key",
// "accessToken", "ALI-LIVE-SIGNATURE", "sig", "txSecret".
var credentialWords = map[string]bool{
	"token": true, "tokens": true, "secret": true, "secrets": true, "password": true, "passwd": true, "pwd": true,
	"pass": true, "passphrase": true, "key": true, "keys": true, "apikey": true, "sig": true, "sign": true,
	"signature": true, "auth": true, "authorization": true, "credential": true, "credentials": true, "cookie": true,
	"session": true, "sessionid": true, "sid": true, "jwt": true, "bearer": true, "hmac": true, "otp": true,
	"pin": true, "ticket": true, "sk": true, "salt": true, "private": true,
}

// credentialParts are the strings whose presence anywhere in a name, its
// punctuation removed, makes it a credential's name even when its words run
// together ("authtoken", "xapikey", "usersignature").
var credentialParts = []string{
	"token", "secret", "passw", "apikey", "accesskey", "authkey", "privatekey", "secretkey", "signature",
	"credential", "sessionid", "cookie", "authorization", "bearer", "jwt",
}

// isCredentialName reports whether name (a query parameter, a JSON member, a
// header) names a credential. The list errs on the side of redacting: a
// parameter named "keyword" is not one, but "design_sig" is taken for one.
func isCredentialName(name string) bool {
	if !mayHoldCredential(name) {
		return false
	}
	words := nameWords(name)
	for _, w := range words {
		if credentialWords[w] {
			return true
		}
	}
	return hasCredentialPart(words)
}

// strongCredentialName is isCredentialName without the words that also name
// ordinary things in a URL path ("auth", "session", "sign", "pass", ...):
// the segment after a path segment so named is redacted.
func strongCredentialName(name string) bool {
	words := nameWords(name)
	for _, w := range words {
		switch w {
		case "key", "keys", "apikey", "sig", "sk", "jwt":
			return true
		}
	}
	return hasCredentialPart(words)
}

// hasCredentialPart reports whether words, joined, hold one of
// credentialParts.
func hasCredentialPart(words []string) bool {
	joined := strings.Join(words, "")
	for _, p := range credentialParts {
		if strings.Contains(joined, p) {
			return true
		}
	}
	return false
}

// nameWords splits a name into words, lower-cased (ASCII), at every
// character that is not a letter or digit and where lower case turns to
// upper case ("X-Api-Key" and "xApiKey" both give x, api, key).
func nameWords(name string) []string {
	var words []string
	var cur []rune
	var prev rune
	flush := func() {
		if len(cur) > 0 {
			// ASCII only, as mayHoldCredential folds: the Kelvin sign is
			// no k.
			words = append(words, strings.Map(func(r rune) rune {
				if r >= 'A' && r <= 'Z' {
					return r + 'a' - 'A'
				}
				return r
			}, string(cur)))
			cur = cur[:0]
		}
	}
	for _, r := range name {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev)):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
		prev = r
	}
	flush()
	return words
}

// tokenLike reports whether s looks like a random credential: at least 20
// characters of the alphabets tokens use (letters, digits, - _ . ~ + / =),
// with letters and digits mixed so often (4 or more changes between a letter
// and a digit) that it is unlikely to be words. A random 24-character
// Slack or 32-character hex token almost always passes; "publish_done_v2",
// "LiveStreamCallback2024" and dates do not. It is a safety net for a
// credential under a name the list does not know, not a guarantee.
func tokenLike(s string) bool {
	if len(s) < 20 {
		return false
	}
	changes, letters, digits := 0, 0, 0
	var prevLetter, prevDigit bool
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		if !letter && !digit && !strings.ContainsRune("-_.~+/=", rune(c)) {
			return false
		}
		if letter && prevDigit || digit && prevLetter {
			changes++
		}
		if letter {
			letters++
		}
		if digit {
			digits++
		}
		prevLetter, prevDigit = letter, digit
	}
	return letters > 0 && digits > 0 && changes >= 4
}

// jwtLike reports whether s is a JSON Web Token: three base64url parts, the
// first a JSON object ("eyJ").
func jwtLike(s string) bool {
	return jwtPattern.MatchString(s)
}

// hasMarker reports whether s holds the marker: a value that does is
// replaced whole, so that a literal "REDACTED-2" in a callback can never be
// mistaken for a numbered marker.
func hasMarker(s string) bool { return strings.Contains(s, Marker) }
