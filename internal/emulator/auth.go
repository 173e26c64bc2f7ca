package emulator

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
)

// authenticate verifies a V3-signed request and returns the caller's
// AccessKeyId. The checks run in the order a gateway can perform them:
// parse the header, look the key up, check its STS token, check the time
// stamp, check what the signature covers, check the payload hash, verify
// the signature, and only then burn the nonce (so that a forged request
// cannot use up a legitimate client's nonce).
func (s *Server) authenticate(r *http.Request, query url.Values, body []byte) (string, *APIError) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return "", errMissingAccessKeyID()
	}
	a, err := parseAuthorization(header)
	if err != nil {
		return "", err
	}
	cred, ok := s.creds[a.accessKeyID]
	if !ok {
		return "", errAccessKeyNotFound()
	}
	if err := checkSecurityToken(r, a.accessKeyID, cred); err != nil {
		return "", err
	}

	date, ok := parseUTC(r.Header.Get("x-acs-date"))
	if !ok {
		return "", errTimestampFormat()
	}
	now := s.clock()
	if skew := now.Sub(date); skew > SignatureWindow || skew < -SignatureWindow {
		return "", errTimestampExpired()
	}
	nonce := r.Header.Get("x-acs-signature-nonce")
	if nonce == "" {
		return "", errMissingSignatureNonce()
	}

	if err := checkSignedHeaders(r, a.signedHeaders); err != nil {
		return "", err
	}
	payloadHash := r.Header.Get("x-acs-content-sha256")
	if !strings.EqualFold(payloadHash, hexSHA256(body)) {
		return "", errPayloadHashMismatch()
	}

	canonical := canonicalRequest(r, query, a.signedHeaders, payloadHash)
	sts := stringToSign(canonical)
	want := sign(cred.Secret, sts)
	if subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToLower(a.signature))) != 1 {
		s.logf("signature mismatch for %s; server canonical request:\n%s", a.accessKeyID, canonical)
		return "", errSignatureMismatch(sts)
	}

	if !s.nonces.use(a.accessKeyID+"\x00"+nonce, now) {
		return "", errSignatureNonceUsed()
	}
	return a.accessKeyID, nil
}

// checkSecurityToken enforces STS credentials: a key configured with a token
// requires exactly that token; a permanent key accepts none; and
// x-acs-accesskey-id, which the SDK sends along with a token, must name the
// signing key.
func checkSecurityToken(r *http.Request, accessKeyID string, cred Credential) *APIError {
	token := r.Header.Get("x-acs-security-token")
	switch {
	case cred.SecurityToken == "" && token != "":
		return errSecurityTokenMismatch()
	case cred.SecurityToken != "" && token == "":
		return errMissingSecurityToken()
	case subtle.ConstantTimeCompare([]byte(token), []byte(cred.SecurityToken)) != 1:
		return errSecurityTokenMismatch()
	}
	if id := r.Header.Get("x-acs-accesskey-id"); id != "" && id != accessKeyID {
		return errSecurityTokenMismatch()
	}
	return nil
}
