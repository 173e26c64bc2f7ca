package emulator

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"
)

// claim is what a signed request says about its caller, read from wherever
// its signature style carries it. authenticate checks what both styles
// share; verify checks the style's own signature.
type claim struct {
	accessKeyID   string
	securityToken string
	// tokenOwner is the AccessKeyId a V3 request says its token belongs to
	// (x-acs-accesskey-id, sent by the SDK along with a token); "" when the
	// request does not say.
	tokenOwner string
	timestamp  string // x-acs-date or Timestamp
	nonce      string // x-acs-signature-nonce or SignatureNonce
	// verify checks, under the key's secret, what the signature covers and
	// the signature itself.
	verify func(secret string) *APIError
}

// authenticate verifies a request in its signature style and returns the
// caller's AccessKeyId. The checks run in the order a gateway can perform
// them: read the claim, look the key up, check its STS token, check the time
// stamp, verify the signature, and only then burn the nonce (so that a
// forged request cannot use up a legitimate client's nonce). Both styles
// share one nonce cache: a nonce is used once, whichever style used it.
func (s *Server) authenticate(r *http.Request, in *incoming) (string, *APIError) {
	var c claim
	var err *APIError
	if in.style == styleRPC {
		c, err = s.rpcClaim(r, in.params)
	} else {
		c, err = s.v3Claim(r, in)
	}
	if err != nil {
		return "", err
	}
	cred, ok := s.creds[c.accessKeyID]
	if !ok {
		return "", errAccessKeyNotFound()
	}
	if err := checkSecurityToken(c, cred); err != nil {
		return "", err
	}
	now := s.clock()
	if err := checkTimestamp(c.timestamp, now); err != nil {
		return "", err
	}
	if c.nonce == "" {
		return "", errMissingSignatureNonce()
	}
	if err := c.verify(cred.Secret); err != nil {
		return "", err
	}
	if !s.nonces.use(c.accessKeyID+"\x00"+c.nonce, now) {
		return "", errSignatureNonceUsed()
	}
	return c.accessKeyID, nil
}

// v3Claim reads a V3 request's Authorization header and x-acs-* headers.
func (s *Server) v3Claim(r *http.Request, in *incoming) (claim, *APIError) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return claim{}, errMissingAccessKeyID()
	}
	a, err := parseAuthorization(header)
	if err != nil {
		return claim{}, err
	}
	return claim{
		accessKeyID:   a.accessKeyID,
		securityToken: r.Header.Get("x-acs-security-token"),
		tokenOwner:    r.Header.Get("x-acs-accesskey-id"),
		timestamp:     r.Header.Get("x-acs-date"),
		nonce:         r.Header.Get("x-acs-signature-nonce"),
		verify: func(secret string) *APIError {
			return s.verifyV3(r, in, a, secret)
		},
	}, nil
}

// verifyV3 checks what the signature covers (the required and every other
// x-acs-* header, the payload hash), then the signature.
func (s *Server) verifyV3(r *http.Request, in *incoming, a authorization, secret string) *APIError {
	if err := checkSignedHeaders(r, a.signedHeaders); err != nil {
		return err
	}
	payloadHash := r.Header.Get("x-acs-content-sha256")
	if !strings.EqualFold(payloadHash, hexSHA256(in.body)) {
		return errPayloadHashMismatch()
	}
	canonical := canonicalRequest(r, in.query, a.signedHeaders, payloadHash)
	sts := stringToSign(canonical)
	want := sign(secret, sts)
	if subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToLower(a.signature))) != 1 {
		s.logf("signature mismatch for %s; server canonical request:\n%s", a.accessKeyID, canonical)
		return errSignatureMismatch(sts)
	}
	return nil
}

// checkSecurityToken enforces STS credentials: a key configured with a token
// requires exactly that token; a permanent key accepts none; and a token
// owner the request names must be the signing key.
func checkSecurityToken(c claim, cred Credential) *APIError {
	switch {
	case cred.SecurityToken == "" && c.securityToken != "":
		return errSecurityTokenMismatch()
	case cred.SecurityToken != "" && c.securityToken == "":
		return errMissingSecurityToken()
	case subtle.ConstantTimeCompare([]byte(c.securityToken), []byte(cred.SecurityToken)) != 1:
		return errSecurityTokenMismatch()
	}
	if c.tokenOwner != "" && c.tokenOwner != c.accessKeyID {
		return errSecurityTokenMismatch()
	}
	return nil
}

// checkTimestamp enforces the gateway's rules for x-acs-date and Timestamp
// alike: exactly yyyy-MM-ddTHH:mm:ssZ (absent counts as malformed), within
// SignatureWindow of the server clock either way.
func checkTimestamp(stamp string, now time.Time) *APIError {
	at, ok := parseUTC(stamp)
	if !ok {
		return errTimestampFormat()
	}
	if skew := now.Sub(at); skew > SignatureWindow || skew < -SignatureWindow {
		return errTimestampExpired()
	}
	return nil
}
