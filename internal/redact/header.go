package redact

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
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
//   - a JSON object, as the API returns headers: written back compact, its
//     members in their order, nested objects and arrays searched too;
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

// jsonHeaders redacts a JSON object of headers; false when h is not exactly
// one JSON object.
func jsonHeaders(h string) (string, bool) {
	dec := json.NewDecoder(strings.NewReader(h))
	dec.UseNumber()
	var b bytes.Buffer
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", false
	}
	if err := writeObject(dec, &b); err != nil {
		return "", false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return "", false // Trailing data.
	}
	return b.String(), true
}

// writeObject writes the rest of an object whose "{" dec has read.
func writeObject(dec *json.Decoder, b *bytes.Buffer) error {
	b.WriteByte('{')
	for i := 0; dec.More(); i++ {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, ok := tok.(string)
		if !ok {
			return errors.New("object key is not a string")
		}
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(b, name)
		b.WriteByte(':')
		if !isCredentialName(name) {
			if err := writeValue(dec, b); err != nil {
				return err
			}
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if v := string(raw); v == `""` || v == "null" {
			b.WriteString(v) // Nothing to hide.
		} else {
			writeJSONString(b, Marker)
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return errors.New("object not closed")
	}
	b.WriteByte('}')
	return nil
}

// writeValue writes the next value of dec: strings searched as Text,
// objects as headers, arrays element by element.
func writeValue(dec *json.Decoder, b *bytes.Buffer) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return writeObject(dec, b)
		}
		b.WriteByte('[')
		for i := 0; dec.More(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeValue(dec, b); err != nil {
				return err
			}
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim(']') {
			return errors.New("array not closed")
		}
		b.WriteByte(']')
	case string:
		writeJSONString(b, Text(v))
	case json.Number:
		b.WriteString(v.String())
	case bool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case nil:
		b.WriteString("null")
	}
	return nil
}

// writeJSONString writes s as a JSON string, without the HTML escapes
// json.Marshal adds, so that a header reads as sent.
func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)       // A string always encodes.
	b.Truncate(b.Len() - 1) // Encode's newline.
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
