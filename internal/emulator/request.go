package emulator

import (
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxBodyBytes bounds the request body. The SDKs send these actions with an
// empty body or a few form-encoded parameters, never this much.
const maxBodyBytes = 1 << 20

// signatureStyle is how a request is signed. It decides where the request's
// routing and credentials are read from; everything after authentication is
// the same for both.
type signatureStyle int

const (
	// styleV3: ACS3-HMAC-SHA256 in the Authorization header, routing in
	// x-acs-action and x-acs-version (the darabonba SDKs, such as
	// live-20161101/v3).
	styleV3 signatureStyle = iota
	// styleRPC: HMAC-SHA1 over the parameters (SignatureVersion 1.0), with
	// routing and credentials as parameters (alibaba-cloud-sdk-go, the
	// aliyun CLI, most scripts).
	styleRPC
)

// rpcSignatureParams are the parameters of the RPC signature. Any of them
// makes a request RPC-signed.
var rpcSignatureParams = []string{
	"AccessKeyId", "SecurityToken", "Signature", "SignatureMethod",
	"SignatureNonce", "SignatureType", "SignatureVersion", "Timestamp",
}

// rpcCommonParams are the parameters of an RPC request that are not API
// parameters: routing, response format and signature.
var rpcCommonParams = []string{
	"AccessKeyId", "Action", "Format", "SecurityToken", "Signature", "SignatureMethod",
	"SignatureNonce", "SignatureType", "SignatureVersion", "Timestamp", "Version",
}

// v3SignatureHeaders carry the V3 signature's inputs besides Authorization.
// x-acs-action and x-acs-version are not among them: alibaba-cloud-sdk-go
// sends both, unsigned, with its RPC requests too.
var v3SignatureHeaders = []string{
	"x-acs-accesskey-id", "x-acs-content-sha256", "x-acs-date",
	"x-acs-security-token", "x-acs-signature-nonce",
}

// incoming is a request as read off the wire, before anything in it is
// trusted.
type incoming struct {
	style signatureStyle
	// action and version route the request: x-acs-action and x-acs-version
	// for V3, the Action and Version parameters for RPC.
	action, version string
	query           url.Values // the URL's query string
	body            []byte
	form            url.Values // the body's parameters when it is form-encoded, else nil
	// params are an RPC request's parameters, query string and form body
	// together, each name once; nil for V3.
	params url.Values
}

// readIncoming reads what routing and authentication need: method, query
// string, body and signature style. On error the returned request still
// names the action its headers claim, for the counters.
func readIncoming(r *http.Request) (*incoming, *APIError) {
	in := &incoming{action: r.Header.Get("x-acs-action"), version: r.Header.Get("x-acs-version")}
	// Both operations are RPC-style APIs: GET or POST on any path.
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		return in, errUnsupportedHTTPMethod()
	}
	var err *APIError
	if in.query, err = parseParams("query string", r.URL.RawQuery); err != nil {
		return in, err
	}
	if in.body, err = readBody(r); err != nil {
		return in, err
	}
	if len(in.body) > 0 && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if in.form, err = parseParams("form body", string(in.body)); err != nil {
			return in, err
		}
	}
	if in.style, err = signatureStyleOf(r, in); err != nil {
		return in, err
	}
	if in.style == styleRPC {
		if in.params, err = rpcParams(r, in); err != nil {
			return in, err
		}
		in.action, in.version = in.params.Get("Action"), in.params.Get("Version")
	}
	return in, nil
}

// signatureStyleOf tells the styles apart and refuses a request that mixes
// them: the gateway verifies one signature, so whatever the other style
// would sign is unsigned and cannot be trusted. An unsigned request is
// routed like V3 if it names its action in x-acs-action, like RPC
// otherwise; authentication then refuses it as unsigned.
func signatureStyleOf(r *http.Request, in *incoming) (signatureStyle, *APIError) {
	rpc := ""
	for _, p := range rpcSignatureParams {
		if in.query.Has(p) || in.form.Has(p) {
			rpc = p
			break
		}
	}
	switch {
	case r.Header.Get("Authorization") != "":
		if rpc != "" {
			return styleV3, errMixedSignatureStyles("an Authorization header (ACS3) and the RPC signature parameter " + rpc)
		}
		return styleV3, nil
	case rpc != "":
		for _, h := range v3SignatureHeaders {
			if r.Header.Get(h) != "" {
				return styleRPC, errMixedSignatureStyles("RPC signature parameters and the ACS3 header " + h)
			}
		}
		return styleRPC, nil
	case r.Header.Get("x-acs-action") != "":
		return styleV3, nil
	default:
		return styleRPC, nil
	}
}

// rpcParams joins an RPC request's query string and form body. The
// signature covers both as one set of names, so a name given twice (in both,
// or repeated) is refused: nobody could tell which value was signed. So is a
// body that is not form-encoded, which the signature does not cover, and an
// x-acs-action or x-acs-version header (sent unsigned by
// alibaba-cloud-sdk-go) naming another action or version than the
// parameters.
func rpcParams(r *http.Request, in *incoming) (url.Values, *APIError) {
	if len(in.body) > 0 && in.form == nil {
		return nil, errMalformedRequest("the body of an RPC request must be application/x-www-form-urlencoded parameters, which the signature covers")
	}
	params := url.Values{}
	for _, part := range []url.Values{in.query, in.form} {
		for name, values := range part {
			if len(values) > 1 || params.Has(name) {
				return nil, errMalformedRequest("parameter " + name + " is given more than once")
			}
			params[name] = values
		}
	}
	for _, routing := range [][2]string{{"x-acs-action", "Action"}, {"x-acs-version", "Version"}} {
		header, param := routing[0], routing[1]
		if h := r.Header.Get(header); h != "" && h != params.Get(param) {
			return nil, errMixedSignatureStyles("the " + header + " header says " + h + ", the " + param + " parameter " + params.Get(param))
		}
	}
	return params, nil
}

// apiParams are the action's parameters. V3: the URL query (where the SDK
// puts them) over a form-encoded body (where other clients may put them),
// both covered by the signature (the body through x-acs-content-sha256).
// RPC: every parameter but the common ones.
func (in *incoming) apiParams() map[string]string {
	params := make(map[string]string)
	if in.style == styleRPC {
		for name, values := range in.params {
			params[name] = values[0]
		}
		for _, name := range rpcCommonParams {
			delete(params, name)
		}
		return params
	}
	for name, values := range in.form {
		params[name] = values[0]
	}
	for name, values := range in.query {
		params[name] = values[0]
	}
	return params
}

func errMalformedRequest(detail string) *APIError {
	return newError(http.StatusBadRequest, "InvalidParameter", "The request is malformed: %s", detail)
}

func parseParams(where, encoded string) (url.Values, *APIError) {
	q, err := url.ParseQuery(encoded)
	if err != nil {
		return nil, errMalformedRequest("the " + where + " cannot be decoded: " + err.Error())
	}
	return q, nil
}

func readBody(r *http.Request) ([]byte, *APIError) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return nil, errMalformedRequest("the body cannot be read: " + err.Error())
	}
	if len(b) > maxBodyBytes {
		return nil, errMalformedRequest("the body exceeds 1 MiB")
	}
	return b, nil
}
