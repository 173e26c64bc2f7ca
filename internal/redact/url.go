package redact

import (
	"cmp"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// URL returns u with its credentials replaced by Marker: the password of its
// userinfo (the user name when there is no password, as in
// https://TOKEN@host), query values whose name says they are a credential
// or whose value looks like one, credential-looking path segments, and the
// same in the fragment. Everything else, the host included, is kept as
// written: nothing is decoded or re-encoded, so the rest of the URL reads as
// the API returned it. A URL with spaces, control characters or invalid
// UTF-8 cannot be split with certainty and becomes Marker whole; so does one
// whose scheme or host holds the marker.
func URL(u string) string { return urlAt(u, Marker, 0) }

// urlAt is URL with marker in place of Marker, for a URL found depth levels
// deep in another's query (see valueIsSecret). Every redacted part is a
// whole component (userinfo password or user, host, path segment, query
// value or parameter, or the whole URL), always followed by a delimiter
// (: @ / ? # & ; or the end), and no kept part holds Marker, so the URL can
// be read back unambiguously whatever the marker: URLs that redact to
// different strings stay different however their markers are numbered.
func urlAt(u, marker string, depth int) string {
	if u == "" {
		return ""
	}
	if !readable(u) {
		return marker
	}
	var b strings.Builder
	b.Grow(len(u))
	rest := u
	authority := false
	switch {
	case schemePattern.MatchString(rest):
		i := strings.Index(rest, "://") + 3
		if hasMarker(rest[:i]) {
			return marker
		}
		b.WriteString(rest[:i])
		rest, authority = rest[i:], true
	case strings.HasPrefix(rest, "//"):
		b.WriteString("//")
		rest, authority = rest[2:], true
	case rest[0] != '/' && rest[0] != '?' && rest[0] != '#':
		// No scheme: "hooks.example.com/live?token=…" or
		// "user:pass@host/…". Whatever comes before the first / ? # is read
		// as the authority; the host is kept anyway, so a relative path read
		// this way loses nothing.
		authority = true
	}
	if authority {
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		if !writeAuthority(&b, rest[:end], marker) {
			return marker
		}
		rest = rest[end:]
	}
	pathEnd := strings.IndexAny(rest, "?#")
	if pathEnd < 0 {
		pathEnd = len(rest)
	}
	writePath(&b, rest[:pathEnd], marker)
	rest = rest[pathEnd:]
	if strings.HasPrefix(rest, "?") {
		end := strings.IndexByte(rest, '#')
		if end < 0 {
			end = len(rest)
		}
		b.WriteByte('?')
		writeQuery(&b, rest[1:end], marker, depth)
		rest = rest[end:]
	}
	if strings.HasPrefix(rest, "#") {
		// A fragment never reaches the webhook, but an OAuth-style
		// "#access_token=…" is still a credential: name=value pairs are read
		// as a query, anything else as a path.
		b.WriteByte('#')
		if frag := rest[1:]; strings.Contains(frag, "=") {
			writeQuery(&b, frag, marker, depth)
		} else {
			writePath(&b, frag, marker)
		}
	}
	return b.String()
}

var schemePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.\-]*://`)

// readable reports whether u can be split into its parts with certainty:
// valid UTF-8 without spaces or control characters.
func readable(u string) bool {
	if !utf8.ValidString(u) {
		return false
	}
	for _, r := range u {
		if r <= ' ' || r == 0x7f || r >= 0x80 && r <= 0x9f || r == '\u00a0' || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// writeAuthority writes [userinfo@]host[:port]; false when the host holds
// the marker or is no host (the whole URL is then redacted).
func writeAuthority(b *strings.Builder, a, marker string) bool {
	host := a
	if at := strings.LastIndexByte(a, '@'); at >= 0 {
		userinfo := a[:at]
		host = a[at+1:]
		user, password, hasPassword := strings.Cut(userinfo, ":")
		switch {
		case hasPassword && password != "":
			if hasMarker(user) || valueLooksSecret(decode(user, false)) {
				user = marker
			}
			b.WriteString(user)
			b.WriteByte(':')
			b.WriteString(marker)
		case userinfo == "" || userinfo == ":":
			b.WriteString(userinfo)
		default:
			// A user alone ("https://TOKEN@host", or "sk_live_…:" as the
			// Basic-auth user of many APIs) is the credential.
			b.WriteString(marker)
			if hasPassword {
				b.WriteByte(':')
			}
		}
		b.WriteByte('@')
	}
	if hasMarker(host) || strings.ContainsAny(host, "=&;") {
		return false // Not a host: "token=…" without a scheme, say.
	}
	b.WriteString(host)
	return true
}

// writePath writes p with its credential-looking segments redacted.
func writePath(b *strings.Builder, p, marker string) {
	if p == "" {
		return
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		if i > 0 {
			b.WriteByte('/')
		}
		if secretSegment(segs, i) {
			b.WriteString(marker)
		} else {
			b.WriteString(seg)
		}
	}
}

var telegramBot = regexp.MustCompile(`^bot[0-9]+:.`)

// secretSegment reports whether path segment i of segs is a credential: it
// looks like one (tokenLike, a JWT, a known token prefix, a credential-named
// pair such as ";jsessionid=…"), it follows a segment named like a
// credential ("/token/…", "/api-key/…"), or it is the token of a Slack
// (/services/T…/B…/token), Discord (/webhooks/<id>/token) or Telegram
// (/bot<id>:token) webhook.
func secretSegment(segs []string, i int) bool {
	seg := segs[i]
	if seg == "" {
		return false
	}
	if hasMarker(seg) {
		return true
	}
	d := decode(seg, false)
	switch {
	case valueLooksSecret(d), pairsHoldCredential(d), telegramBot.MatchString(d):
		return true
	case i > 0 && !strings.ContainsAny(segs[i-1], "=;") && strongCredentialName(decode(segs[i-1], false)):
		return true
	case i >= 3 && segs[i-3] == "services" && strings.HasPrefix(segs[i-2], "T") && strings.HasPrefix(segs[i-1], "B"):
		return true
	case i >= 2 && (segs[i-2] == "webhooks" || segs[i-2] == "webhook") && allDigits(segs[i-1]):
		return true
	}
	return false
}

// pairsHoldCredential reports whether s holds a name=value pair (separated
// by ; or &) whose name is a credential's and whose value is not empty.
func pairsHoldCredential(s string) bool {
	if !strings.Contains(s, "=") {
		return false
	}
	for _, pair := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '&' }) {
		if name, value, ok := strings.Cut(pair, "="); ok && value != "" && isCredentialName(name) {
			return true
		}
	}
	return false
}

// writeQuery writes q (a query or a fragment of name=value pairs, separated
// by & or ;) with credential values redacted. A parameter without "=" is a
// value; a name that holds the marker takes the whole parameter with it.
func writeQuery(b *strings.Builder, q, marker string, depth int) {
	for q != "" {
		end := strings.IndexAny(q, "&;")
		if end < 0 {
			end = len(q)
		}
		param := q[:end]
		name, value, hasValue := strings.Cut(param, "=")
		switch {
		case hasMarker(name) || !hasValue && valueIsSecret(decode(name, true), depth):
			b.WriteString(marker)
		case hasValue && value != "" && (hasMarker(value) || isCredentialName(decode(name, true)) || valueIsSecret(decode(value, true), depth)):
			b.WriteString(name)
			b.WriteByte('=')
			b.WriteString(marker)
		default:
			b.WriteString(param)
		}
		if end < len(q) {
			b.WriteByte(q[end])
			end++
		}
		q = q[end:]
	}
}

// valueIsSecret reports whether a decoded query value is a credential
// whatever its name: it looks like one, or it is text (a URL, pairs,
// headers) in which Text finds one. A URL in a query in a URL ... more than
// maxDepth levels deep is taken for one unread, which bounds the work.
func valueIsSecret(v string, depth int) bool {
	if valueLooksSecret(v) {
		return true
	}
	if depth >= maxDepth {
		return strings.ContainsAny(v, ":=")
	}
	return textAt(v, depth+1) != v
}

// maxDepth is how deep valueIsSecret reads text nested in query values.
const maxDepth = 3

// valueLooksSecret reports whether v, on its own, has a credential's shape.
func valueLooksSecret(v string) bool {
	return tokenLike(v) || jwtLike(v) || knownTokenPrefix.MatchString(v)
}

// knownTokenPrefix matches the prefixes of well-known token formats
// (GitHub, GitLab, Slack, Stripe), which mark a value a credential whatever
// its length or name.
var knownTokenPrefix = regexp.MustCompile(`^(?:gh[pousr]_|github_pat_|glpat-|xox[abposr]-|[sr]k_(?:live|test)_)[A-Za-z0-9_\-]`)

// decode is s percent-decoded (and '+' as a space in a query), or s itself
// when it holds an invalid escape.
func decode(s string, query bool) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	var d string
	var err error
	if query {
		d, err = url.QueryUnescape(s)
	} else {
		d, err = url.PathUnescape(s)
	}
	if err != nil {
		return s
	}
	return d
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Keys maps each webhook URL of one read to its key in the summary: URL(u).
// Where several URLs redact to the same string (two webhooks that differ
// only in their tokens), each of them gets its markers numbered,
// "REDACTED-1", "REDACTED-2", ..., ranked by the URL's newest callback
// (latest, a NotifyTime: newest = 1), ties by the raw URL, so that they stay
// distinct keys and the same data always gives the same keys. Nothing of a
// token can be recovered from its number but where its URL ranks.
func Keys(latest map[string]string) map[string]string {
	keys := make(map[string]string, len(latest))
	groups := map[string][]string{}
	for u := range latest {
		k := URL(u)
		keys[u] = k
		groups[k] = append(groups[k], u)
	}
	for _, urls := range groups {
		if len(urls) < 2 {
			continue
		}
		slices.SortFunc(urls, func(a, b string) int {
			return cmp.Or(strings.Compare(latest[b], latest[a]), strings.Compare(a, b))
		})
		for i, u := range urls {
			keys[u] = urlAt(u, Marker+"-"+strconv.Itoa(i+1), 0)
		}
	}
	return keys
}
