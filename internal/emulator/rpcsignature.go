package emulator

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
)

// The RPC signature's fixed parameters: the only method and version the RPC
// style defines for AccessKey signatures.
const (
	rpcSignatureMethod  = "HMAC-SHA1"
	rpcSignatureVersion = "1.0"
	// rpcFormat is the only response format the emulator encodes. The real
	// API also answers XML, and XML when Format is absent.
	rpcFormat = "JSON"
)

// rpcClaim reads an RPC request's signature parameters. A request that uses
// the style by halves is refused here, before its key is looked up: no
// AccessKeyId, no Signature, or a SignatureMethod, SignatureVersion or
// SignatureType other than the AccessKey HMAC-SHA1 signature's.
func (s *Server) rpcClaim(r *http.Request, params url.Values) (claim, *APIError) {
	accessKeyID, signature := params.Get("AccessKeyId"), params.Get("Signature")
	switch method := params.Get("SignatureMethod"); {
	case accessKeyID == "":
		return claim{}, errMissingAccessKeyID()
	case signature == "":
		return claim{}, errIncompleteSignature("Signature is mandatory for this action.")
	case method == "":
		return claim{}, errIncompleteSignature("SignatureMethod is mandatory for this action.")
	case method != rpcSignatureMethod:
		return claim{}, errInvalidSignatureMethod(method)
	case params.Get("SignatureVersion") != rpcSignatureVersion:
		return claim{}, errIncompleteSignature("SignatureVersion must be " + rpcSignatureVersion + ", got \"" + params.Get("SignatureVersion") + "\".")
	case params.Get("SignatureType") != "":
		// BEARERTOKEN replaces the AccessKey signature, which is all the
		// emulator verifies.
		return claim{}, errInvalidSignatureMethod("SignatureType " + params.Get("SignatureType"))
	case params.Get("Format") != rpcFormat:
		return claim{}, errUnsupportedFormat(params.Get("Format"))
	}
	return claim{
		accessKeyID:   accessKeyID,
		securityToken: params.Get("SecurityToken"),
		timestamp:     params.Get("Timestamp"),
		nonce:         params.Get("SignatureNonce"),
		verify: func(secret string) *APIError {
			sts := rpcStringToSign(r.Method, params)
			if subtle.ConstantTimeCompare([]byte(signRPC(secret, sts)), []byte(signature)) != 1 {
				s.logf("signature mismatch for %s; server string to sign:\n%s", accessKeyID, sts)
				return errRPCSignatureMismatch(sts)
			}
			return nil
		},
	}, nil
}

// rpcStringToSign rebuilds the string alibaba-cloud-sdk-go signs in
// buildRpcStringToSign (v1.63.107, sdk/auth/rpc_signature_composer.go):
//
//	METHOD & percentEncode("/") & percentEncode(CANONICAL-QUERY)
//
// where CANONICAL-QUERY is every parameter but Signature, sorted by name,
// as percentEncode(name)=percentEncode(value) joined with "&". The SDK gets
// it from url.Values.Encode and the RFC 3986 substitutions, as here.
func rpcStringToSign(method string, params url.Values) string {
	signed := maps.Clone(params)
	signed.Del("Signature")
	return method + "&" + percentEncode("/") + "&" + percentEncode(sdkEscapes.Replace(signed.Encode()))
}

// percentEncode is RFC 3986 percent-encoding as Alibaba Cloud documents it:
// unreserved characters (A-Z a-z 0-9 - _ . ~) kept, space as %20, "*" as
// %2A, every other byte of the UTF-8 as %XY.
func percentEncode(s string) string {
	return sdkEscapes.Replace(url.QueryEscape(s))
}

// signRPC returns base64(HMAC-SHA1(secret + "&", stringToSign)): the "&"
// is the separator the RPC style puts after the secret.
func signRPC(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret+"&"))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
