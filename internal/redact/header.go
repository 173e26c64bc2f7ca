package redact

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
)

// Header returns the headers sent with a callback (NotifyHeader) with the
// values of credential headers replaced by Marker: Authorization,
// Proxy-Authorization, Cookie, Set-Cookie and every header whose name says it
// holds a token, key, secret, signature or session (X-Api-Key,
// ALI-LIVE-SIGNATURE, ...), in any casing. Other values are searched as
// Text. Two forms are read:
//
//   - a JSON object, as the API returns headers: kept as written but for the
//     values redacted, nested objects and arrays searched too;
//   - "Name: value" lines, their line breaks kept.
//
// Anything else (other JSON, a truncated object, a line that is not a
// header) cannot be read with certainty and becomes Marker whole. Empty or
// white-space headers are returned as they are.
func Header(h string) string {
	if strings.TrimSpace(h) == "" {
		return h
	}
	for range maxPasses {
		next := headerPass(h)
		if next == h {
			return h
		}
		h = next
	}
	return Marker
}

func headerPass(h string) string {
	if trimmed := strings.TrimSpace(h); strings.HasPrefix(trimmed, "{") {
		if out, ok := jsonHeaders(trimmed); ok {
			return out
		}
		return Marker
	}
	if out, ok := headerLines(h); ok {
		return out
	}
	return Marker
}

// jsonHeaders redacts a JSON object of headers, as written: only the values
// it redacts change. False when h is not exactly one JSON object.
func jsonHeaders(h string) (string, bool) {
	if !strings.HasPrefix(h, "{") || !json.Valid([]byte(h)) {
		return "", false
	}
	if !mayHoldCredential(h) {
		return h, true // No credential's name, no URL: nothing to redact.
	}
	w := jsonWalker{s: h}
	w.value()
	w.out.WriteString(h[w.last:])
	return w.out.String(), true
}

// jsonWalker walks JSON that json.Valid accepted, copying it to out with
// the values of credential members replaced by Marker and other strings
// redacted as Text.
type jsonWalker struct {
	s    string
	i    int // the next byte to read
	last int // the next byte to copy
	out  strings.Builder
	// skip is set while a value that goes whole is read: nothing in it is
	// redacted on its own.
	skip bool
}

// replace writes s[last:from] and then with in place of s[from:to].
func (w *jsonWalker) replace(from, to int, with string) {
	w.out.WriteString(w.s[w.last:from])
	w.out.WriteString(with)
	w.last = to
}

func (w *jsonWalker) space() {
	for w.i < len(w.s) && strings.IndexByte(" \t\r\n", w.s[w.i]) >= 0 {
		w.i++
	}
}

// value reads the value at i; a string is redacted as Text.
func (w *jsonWalker) value() {
	w.space()
	switch w.s[w.i] {
	case '{':
		w.object()
	case '[':
		w.i++
		for w.space(); w.s[w.i] != ']'; w.space() {
			if w.s[w.i] == ',' {
				w.i++
			}
			w.value()
		}
		w.i++
	case '"':
		from := w.i
		raw := w.str()
		if !w.skip && mayHoldCredential(raw) {
			var v string
			if json.Unmarshal([]byte(raw), &v) == nil {
				if r := Text(v); r != v {
					w.replace(from, w.i, jsonString(r))
				}
			}
		}
	default: // a number, true, false or null
		for w.i < len(w.s) && strings.IndexByte(",]} \t\r\n", w.s[w.i]) < 0 {
			w.i++
		}
	}
}

// object reads the object at i: the value of a member whose name is a
// credential's becomes Marker, unless it is "" or null (nothing to hide).
func (w *jsonWalker) object() {
	w.i++
	for w.space(); w.s[w.i] != '}'; w.space() {
		if w.s[w.i] == ',' {
			w.i++
			w.space()
		}
		var name string
		if json.Unmarshal([]byte(w.str()), &name) != nil {
			name = "" // Cannot happen: json.Valid accepted the string.
		}
		w.space()
		w.i++ // ':'
		w.space()
		if !isCredentialName(name) {
			w.value()
			continue
		}
		from, skip := w.i, w.skip
		w.skip = true
		w.value()
		w.skip = skip
		if v := w.s[from:w.i]; v != `""` && v != "null" && !skip {
			w.replace(from, w.i, jsonString(Marker))
		}
	}
	w.i++
}

// str reads the string at i and returns it with its quotes.
func (w *jsonWalker) str() string {
	from := w.i
	for w.i++; w.s[w.i] != '"'; w.i++ {
		if w.s[w.i] == '\\' {
			w.i++
		}
	}
	w.i++
	return w.s[from:w.i]
}

// jsonString is s as a JSON string, without the HTML escapes json.Marshal
// adds, so that a header reads as sent.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // A string always encodes.
	return strings.TrimSuffix(b.String(), "\n")
}

// headerFieldLine is one "Name: value" line (RFC 9110 field name).
var headerFieldLine = regexp.MustCompile("^([ \\t]*[A-Za-z0-9!#$%&'*+.^_`|~\\-]+[ \\t]*:[ \\t]*)(.*?)(\\r?)$")

// headerLines redacts "Name: value" lines; false when a line that is not
// blank is not a header.
func headerLines(h string) (string, bool) {
	lines := strings.Split(h, "\n")
	for i, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		m := headerFieldLine.FindStringSubmatch(line)
		if m == nil {
			return "", false
		}
		prefix, value, cr := m[1], m[2], m[3]
		name := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(prefix), ":"))
		switch {
		case value == "":
		case isCredentialName(name):
			value = Marker
		default:
			value = Text(value)
		}
		lines[i] = prefix + value + cr
	}
	return strings.Join(lines, "\n"), true
}
