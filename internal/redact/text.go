package redact

import (
	"regexp"
	"strings"
)

// Text returns free text (a callback's content, its delivery error, the
// webhook's response, a message) with the credentials in it replaced by
// Marker:
//
//   - URLs (scheme://…), as URL redacts them;
//   - "name":"value" and "name":number members of JSON, plain or escaped
//     once more ({\"token\":\"…\"}, as the stream document's NotifyContent
//     is), whose name is a credential's;
//   - name=value pairs whose name is a credential's (the ingest URL's
//     auth_key in a publish callback's usrargs);
//   - "Name: value" header lines whose name is a credential's;
//   - the value after Bearer or Basic, JSON Web Tokens, and tokens with a
//     well-known prefix (ghp_, xoxb-, sk_live_, ...).
//
// The rules run until the text no longer changes, so Text is idempotent.
func Text(s string) string { return textAt(s, 0) }

// textAt is Text of text found depth levels deep in URL query values.
func textAt(s string, depth int) string {
	if s == "" {
		return ""
	}
	for range maxPasses {
		next := textPass(s, depth)
		if next == s {
			return s
		}
		s = next
	}
	return Marker
}

func textPass(s string, depth int) string {
	if !mayHoldCredential(s) {
		return s
	}
	s = urlInText.ReplaceAllStringFunc(s, func(u string) string { return urlAt(u, Marker, depth) })
	s = redactJSONMembers(s)
	s = redactPairs(s)
	s = headerLine.ReplaceAllStringFunc(s, func(line string) string {
		m := headerLine.FindStringSubmatch(line)
		if m[4] == "" || !isCredentialName(m[2]) {
			return line
		}
		return m[1] + m[2] + m[3] + Marker
	})
	s = authScheme.ReplaceAllString(s, "${1}${2}"+Marker)
	s = jwtPattern.ReplaceAllString(s, Marker)
	return inTextTokenPrefix.ReplaceAllString(s, Marker)
}

// mayHoldCredential reports whether any rule of textPass could apply to s:
// it holds a URL, a JWT, or some part of a credential's name (every name
// isCredentialName accepts holds one of credentialHints, in any casing), of
// an Authorization scheme or of a well-known token. Most callback content
// holds none, and this spares it the regular expressions. One pass over s,
// without allocating: it runs on every field of every record kept.
func mayHoldCredential(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ':' && strings.HasPrefix(s[i:], "://") || c == 'e' && strings.HasPrefix(s[i:], "eyJ") {
			return true
		}
		for _, h := range hintsByFirst[lowerASCII(c)] {
			if hasPrefixFold(s[i:], h) {
				return true
			}
		}
	}
	return false
}

// credentialHints holds a part of every credential name (credentialWords,
// credentialParts), of bearer and basic, and of the well-known token
// prefixes, in lower case.
var credentialHints = []string{
	"token", "secret", "pass", "pwd", "key", "sig", "auth", "credential", "cookie", "session", "sid", "jwt",
	"bearer", "basic", "hmac", "otp", "pin", "ticket", "sk", "salt", "private",
	"gh", "github_pat", "glpat", "xox", "rk_",
}

// hintsByFirst is credentialHints by their first byte.
var hintsByFirst = func() (by [256][]string) {
	for _, h := range credentialHints {
		by[h[0]] = append(by[h[0]], h)
	}
	return by
}()

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether s starts with the lower-case prefix, in any
// ASCII casing.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

var (
	// urlInText is a URL in text: it ends where a quote, a backslash (of
	// an escaped quote), an angle bracket or white space begins.
	urlInText = regexp.MustCompile("[A-Za-z][A-Za-z0-9+.\\-]*://[^\\s\"'<>\\\\`]*")
	// jsonMemberStart is the start of a member of a JSON object, its quotes
	// escaped any number of times: the name (group 1), then the opening
	// quote of a string or a number (group 2).
	jsonMemberStart = regexp.MustCompile(`\\*"([^"\\]{1,128})\\*"\s*:\s*(\\*"|-?[0-9][0-9.eE+\-]*)`)
	// jsonStringEnd ends a JSON string: a closing quote before , } ] or the
	// end of the text. A value without one runs to the end of the text (a
	// truncated response).
	jsonStringEnd = regexp.MustCompile(`\\*"\s*(?:[,}\]]|$)`)
	// pairName is the name of a name=value pair (group 1).
	pairName = regexp.MustCompile(`([A-Za-z0-9_.\-\[\]]+)=`)
	// headerLine is a "Name: value" line.
	headerLine = regexp.MustCompile(`(?m)^([ \t]*)([A-Za-z0-9!#$%&'*+.^_|~\-]+)([ \t]*:[ \t]*)([^\r\n]*)`)
	// authScheme is an Authorization value's scheme and its credential.
	authScheme = regexp.MustCompile(`(?i)\b(bearer|basic)(\s+)[^\s"'\\,;<>]+`)
	// jwtPattern is a JSON Web Token.
	jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*`)
	// inTextTokenPrefix is a token of a well-known format in text.
	inTextTokenPrefix = regexp.MustCompile(`\b(?:gh[pousr]_|github_pat_|glpat-|xox[abposr]-|[sr]k_(?:live|test)_)[A-Za-z0-9_\-]+`)
)

// redactJSONMembers redacts the values of JSON members whose name is a
// credential's. Only the member's start is matched, so that the members of
// JSON escaped inside another member's string ("data":"{\"token\":\"…\"}")
// are found too, in one pass.
func redactJSONMembers(s string) string {
	return redactValues(s, jsonMemberStart, func(m []int) (int, int, string) {
		if !strings.HasSuffix(s[m[4]:m[5]], `"`) { // A number: quoted as the name is.
			quote := s[m[0] : m[0]+strings.IndexByte(s[m[0]:], '"')+1]
			return m[4], m[5], quote + Marker + quote
		}
		end := len(s)
		if e := jsonStringEnd.FindStringIndex(s[m[5]:]); e != nil {
			end = m[5] + e[0]
		}
		return m[5], end, Marker
	})
}

// redactPairs redacts the values of name=value pairs whose name is a
// credential's. A value ends at white space, a quote, a backslash, & , ; <
// > or a backquote. The value of another pair is searched in turn
// ("a=b?token=c").
func redactPairs(s string) string {
	return redactValues(s, pairName, func(m []int) (int, int, string) {
		end := strings.IndexFunc(s[m[1]:], func(r rune) bool { return r <= ' ' || strings.ContainsRune("\"'\\&,;<>`", r) })
		if end < 0 {
			return m[1], len(s), Marker
		}
		return m[1], m[1] + end, Marker
	})
}

// redactValues replaces the value after each match of start (whose group 1
// is a name) that names a credential: value gives the span of s it takes
// and its replacement; an empty span hides nothing and is left. Matches
// inside a replaced span are skipped; those inside a value that is kept are
// not, so nested pairs are reached.
func redactValues(s string, start *regexp.Regexp, value func(m []int) (from, to int, with string)) string {
	matches := start.FindAllStringSubmatchIndex(s, -1)
	if matches == nil {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	cursor := 0
	for _, m := range matches {
		if m[0] < cursor || !isCredentialName(s[m[2]:m[3]]) {
			continue
		}
		from, to, with := value(m)
		if to == from {
			continue
		}
		b.WriteString(s[cursor:from])
		b.WriteString(with)
		cursor = to
	}
	b.WriteString(s[cursor:])
	return b.String()
}
