package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// signatureAlgorithm is the ACS3 (V3) algorithm the official SDKs use by
// default.
const signatureAlgorithm = "ACS3-HMAC-SHA256"

// authorization is a parsed V3 Authorization header:
//
//	ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<h1;h2>,Signature=<hex>
type authorization struct {
	accessKeyID   string
	signedHeaders []string // lower-case, sorted, unique
	signature     string
}

func parseAuthorization(header string) (authorization, *APIError) {
	const shape = "Authorization must be \"ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<headers>,Signature=<signature>\"."
	alg, rest, _ := strings.Cut(strings.TrimSpace(header), " ")
	if !strings.HasPrefix(alg, "ACS3-") {
		return authorization{}, errIncompleteSignature(shape)
	}
	if alg != signatureAlgorithm {
		return authorization{}, errInvalidSignatureMethod(alg)
	}
	var a authorization
	var signed string
	for part := range strings.SplitSeq(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			a.accessKeyID = v
		case "SignedHeaders":
			signed = v
		case "Signature":
			a.signature = v
		}
	}
	if a.accessKeyID == "" || signed == "" || a.signature == "" {
		return authorization{}, errIncompleteSignature(shape)
	}
	for h := range strings.SplitSeq(signed, ";") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			a.signedHeaders = append(a.signedHeaders, h)
		}
	}
	slices.Sort(a.signedHeaders)
	a.signedHeaders = slices.Compact(a.signedHeaders)
	return a, nil
}

// requiredSignedHeaders must be covered by every signature: they carry the
// routing, the replay protection and the payload hash. Any other x-acs-*
// header present in the request (security token, credentials provider …)
// must be signed too, as the SDK does.
var requiredSignedHeaders = []string{
	"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date",
	"x-acs-signature-nonce", "x-acs-version",
}

// checkSignedHeaders rejects a signature that leaves out a header it must
// cover, or that claims to cover a header the request does not carry.
func checkSignedHeaders(r *http.Request, signed []string) *APIError {
	for _, h := range requiredSignedHeaders {
		if !slices.Contains(signed, h) {
			return errIncompleteSignature("SignedHeaders must include " + h + ".")
		}
	}
	for name := range r.Header {
		if h := strings.ToLower(name); strings.HasPrefix(h, "x-acs-") && !slices.Contains(signed, h) {
			return errIncompleteSignature("SignedHeaders must include " + h + ".")
		}
	}
	for _, h := range signed {
		if h != "host" && len(r.Header.Values(h)) == 0 {
			return errIncompleteSignature("signed header " + h + " is not in the request.")
		}
	}
	return nil
}

// canonicalRequest rebuilds, from the received request, the string the SDK
// signs in utils.GetAuthorization (darabonba-openapi v2):
//
//	METHOD \n URI \n QUERY \n HEADERS \n SIGNED-HEADERS \n PAYLOAD-HASH
//
// where HEADERS is "name:value\n" per signed header (values trimmed; several
// values sorted and joined with ","). Go's server moves the Host header into
// r.Host, so that is where "host" is read from.
func canonicalRequest(r *http.Request, query url.Values, signed []string, payloadHash string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.URL.Path))
	b.WriteByte('\n')
	b.WriteString(canonicalQueryString(query))
	b.WriteByte('\n')
	for _, h := range signed {
		var vals []string
		if h == "host" {
			vals = []string{r.Host}
		} else {
			vals = slices.Clone(r.Header.Values(h))
		}
		for i := range vals {
			vals[i] = strings.TrimSpace(vals[i])
		}
		slices.Sort(vals)
		b.WriteString(h)
		b.WriteByte(':')
		b.WriteString(strings.Join(vals, ","))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signed, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// sdkEscapes are the substitutions the SDK applies after url.QueryEscape to
// get RFC 3986 percent-encoding.
var sdkEscapes = strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~")

func canonicalURI(path string) string {
	if path == "" {
		path = "/"
	}
	return sdkEscapes.Replace(path)
}

// canonicalQueryString mirrors getCanonicalQueryString: keys sorted
// byte-wise and left unescaped, values url.QueryEscape'd, "key=" for empty
// values, then the RFC 3986 substitutions over the whole string. Only the
// first value of a repeated key counts (the SDK builds the query from a map
// and cannot repeat keys).
func canonicalQueryString(query url.Values) string {
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(query.Get(k)))
	}
	return sdkEscapes.Replace(b.String())
}

// stringToSign is the algorithm name and the hex SHA-256 of the canonical
// request, the text the HMAC is computed over.
func stringToSign(canonical string) string {
	return signatureAlgorithm + "\n" + hexSHA256([]byte(canonical))
}

// sign returns the hex HMAC-SHA256 of stringToSign under secret.
func sign(secret, stringToSign string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return hex.EncodeToString(m.Sum(nil))
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// nonceCache remembers signature nonces (x-acs-signature-nonce,
// SignatureNonce) for SignatureWindow. Requests whose time stamp is outside
// the window are refused anyway, so a nonce older than the window can never
// be replayed and is forgotten.
type nonceCache struct {
	mu    sync.Mutex
	seen  map[string]time.Time
	order []nonceEntry // arrival order, oldest first
}

type nonceEntry struct {
	key string
	at  time.Time
}

func newNonceCache() *nonceCache {
	return &nonceCache{seen: make(map[string]time.Time)}
}

// use records key at now and reports whether it was unused.
func (c *nonceCache) use(key string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.order) > 0 && now.Sub(c.order[0].at) > SignatureWindow {
		delete(c.seen, c.order[0].key)
		// Re-slicing keeps this O(1); append reallocates (copying only live
		// entries) once the dead prefix has used up the capacity.
		c.order = c.order[1:]
	}
	if _, dup := c.seen[key]; dup {
		return false
	}
	c.seen[key] = now
	c.order = append(c.order, nonceEntry{key, now})
	return true
}
