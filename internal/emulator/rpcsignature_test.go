package emulator_test

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// rpcRegion is the region the RPC clients state; the data set ignores it.
const rpcRegion = "cn-shanghai"

// An STS key pair that tests configure beside the default one.
const stsKey, stsSecret, stsToken = "STS.NUemulatorTemporary", "sts-secret", "CAIS-emulator-token"

func withSTSKey() map[string]emulator.Credential {
	return map[string]emulator.Credential{
		emulator.DefaultAccessKeyID: {Secret: emulator.DefaultAccessKeySecret},
		stsKey:                      {Secret: stsSecret, SecurityToken: stsToken},
	}
}

// rpcClient returns an alibaba-cloud-sdk-go client, which signs in the RPC
// style (HMAC-SHA1) like the aliyun CLI; token "" makes an AccessKey client.
func rpcClient(t testing.TB, accessKeyID, secret, token string) *sdk.Client {
	t.Helper()
	var credential auth.Credential = credentials.NewAccessKeyCredential(accessKeyID, secret)
	if token != "" {
		credential = credentials.NewStsTokenCredential(accessKeyID, secret, token)
	}
	c, err := sdk.NewClientWithOptions(rpcRegion, sdk.NewConfig(), credential)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Shutdown)
	return c
}

// rpcRequest is the SDK's generic request for action on the emulator, with
// the API parameters in the query string or, inBody, in a form-encoded body
// (the SDK always puts the signature parameters in the query string).
func (e *testEnv) rpcRequest(method, action string, params map[string]string, inBody bool) *requests.CommonRequest {
	req := requests.NewCommonRequest()
	req.Method, req.Scheme, req.Domain = method, "http", e.host
	req.Version, req.ApiName = emulator.APIVersion, action
	for k, v := range params {
		if inBody {
			req.FormParams[k] = v
		} else {
			req.QueryParams[k] = v
		}
	}
	return req
}

// rpcRecord is one record of either action's JSON answer; its fields are
// row's, in row's order.
type rpcRecord struct {
	AppName, Description, DomainName, NotifyContent, NotifyResult, NotifyTime, NotifyType string
	NotifyURL                                                                             string `json:"NotifyUrl"`
	NotifyHeader, StreamName, NotifyResponse, StorageType                                 string
}

// rpcAnswer is the JSON answer of either action, as far as tests read it.
type rpcAnswer struct {
	RequestID         string `json:"RequestId"`
	TotalNum          int
	CallbackList      []rpcRecord
	NotifyRecordsInfo struct{ LiveStreamNotifyRecordsInfo []rpcRecord }
}

// decodeRPCAnswer decodes an answer and its records as rows.
func decodeRPCAnswer(t testing.TB, body []byte) (rpcAnswer, []row) {
	t.Helper()
	var a rpcAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("answer does not decode: %v: %s", err, body)
	}
	rows := []row{}
	for _, r := range slices.Concat(a.CallbackList, a.NotifyRecordsInfo.LiveStreamNotifyRecordsInfo) {
		rows = append(rows, row(r))
	}
	return a, rows
}

// The RPC SDK reads both actions, GET with every parameter in the query
// string and POST with the API parameters in a form body, with an AccessKey
// and with an STS token, and gets the data set's records.
func TestRPCClientReadsBothActions(t *testing.T) {
	e := newEnv(t, emulator.Options{Credentials: withSTSKey()})
	clients := map[string]*sdk.Client{
		"AccessKey": rpcClient(t, emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret, ""),
		"STS":       rpcClient(t, stsKey, stsSecret, stsToken),
	}
	cases := []struct {
		name, method, client string
		inBody               bool
	}{
		{"GET query string", http.MethodGet, "AccessKey", false},
		{"POST form body", http.MethodPost, "AccessKey", true},
		{"GET query string with STS token", http.MethodGet, "STS", false},
		{"POST form body with STS token", http.MethodPost, "STS", true},
	}
	for _, a := range apis {
		for _, tc := range cases {
			t.Run(a.name+"/"+tc.name, func(t *testing.T) {
				req := e.rpcRequest(tc.method, a.name, validQuery(fixedNow, a.fixtureDomain), tc.inBody)
				resp, err := clients[tc.client].ProcessCommonRequest(req)
				if err != nil {
					t.Fatal(err)
				}
				answer, rows := decodeRPCAnswer(t, resp.GetHttpContentBytes())
				want := a.stored(e.emu, a.fixtureDomain)
				if resp.GetHttpStatus() != http.StatusOK || len(want) != 2 || answer.TotalNum != 2 || !slices.Equal(rows, want) {
					t.Fatalf("status %d, TotalNum %d, rows\n got %+v\nwant %+v", resp.GetHttpStatus(), answer.TotalNum, rows, want)
				}
				if !requestIDPattern.MatchString(answer.RequestID) {
					t.Errorf("RequestId %q", answer.RequestID)
				}
			})
		}
	}
}

// Characters the RPC signature percent-encodes in its own way (space, *, ~,
// +, /, &, =, non-ASCII) in signed values, in the query string and in the
// form body.
func TestRPCSignatureOddCharacters(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	e.addOddRecord()
	c := rpcClient(t, emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret, "")
	p := validQuery(fixedNow, "odd.example.com")
	p["AppName"], p["StreamName"] = oddText, oddText
	for _, inBody := range []bool{false, true} {
		resp, err := c.ProcessCommonRequest(e.rpcRequest(http.MethodPost, emulator.ActionDescribeLiveRecordNotifyRecords, p, inBody))
		if err != nil {
			t.Fatalf("inBody %t: %v", inBody, err)
		}
		if _, rows := decodeRPCAnswer(t, resp.GetHttpContentBytes()); len(rows) != 1 || rows[0].AppName != oddText {
			t.Fatalf("inBody %t: rows %+v", inBody, rows)
		}
	}
}

// A wrong secret is a SignatureDoesNotMatch whose message carries the
// server's string to sign in the wording the SDK parses: the SDK finds it
// equal to its own, odd characters included, and blames the secret.
func TestRPCWrongSecretIsBlamedOnTheSecret(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	c := rpcClient(t, emulator.DefaultAccessKeyID, "not-the-secret", "")
	p := validQuery(fixedNow, emulator.FixtureStreamDomain)
	p["AppName"] = oddText
	_, err := c.ProcessCommonRequest(e.rpcRequest(http.MethodGet, emulator.ActionDescribeLiveStreamsNotifyRecords, p, false))
	var serverErr *sdkerrors.ServerError
	if !errors.As(err, &serverErr) {
		t.Fatalf("%T %v", err, err)
	}
	if serverErr.HttpStatus() != http.StatusBadRequest || serverErr.ErrorCode() != "SignatureDoesNotMatch" {
		t.Fatalf("status %d code %q", serverErr.HttpStatus(), serverErr.ErrorCode())
	}
	if !strings.Contains(serverErr.Recommend(), "InvalidAccessKeySecret") {
		t.Errorf("the SDK's string to sign differs from the server's: recommend %q, message %q",
			serverErr.Recommend(), serverErr.Message())
	}
}

// rpcCall is an RPC request signed by alibaba-cloud-sdk-go's own signer
// (auth.Sign, which its client calls for every request) but sent by hand,
// so tests can forge, replay and tamper with what the SDK never sends.
type rpcCall struct {
	method      string            // default GET
	action      string            // default DescribeLiveRecordNotifyRecords
	version     string            // default APIVersion
	params      map[string]string // API parameters
	accessKeyID string            // default DefaultAccessKeyID
	secret      string            // default DefaultAccessKeySecret
	token       string            // SecurityToken, signed with the rest
	// inBody sends every parameter, Signature included, in a form-encoded
	// body instead of the query string.
	inBody bool
	// tamper edits the signed parameters, tamperRequest the request built
	// from them.
	tamper        func(signed url.Values)
	tamperRequest func(r *http.Request)
}

// signedRPC is an RPC request as the SDK signed it: its parameters and the
// headers the SDK sends with them.
type signedRPC struct {
	params url.Values
	header map[string]string
}

// signRPC signs c with the SDK's signer, then applies c.tamper.
func signRPC(t testing.TB, c *rpcCall) signedRPC {
	t.Helper()
	c.method = cmp.Or(c.method, http.MethodGet)
	defaultRouteAndKey(&c.action, &c.version, &c.accessKeyID, &c.secret)
	req := requests.NewCommonRequest()
	req.Method, req.Version, req.ApiName = c.method, c.version, c.action
	maps.Copy(req.QueryParams, c.params)
	req.TransToAcsRequest()
	var provider credentials.CredentialsProvider = credentials.NewStaticAKCredentialsProvider(c.accessKeyID, c.secret)
	if c.token != "" {
		provider = credentials.NewStaticSTSCredentialsProvider(c.accessKeyID, c.secret, c.token)
	}
	if err := auth.Sign(req, nil, rpcRegion, provider); err != nil {
		t.Fatal(err)
	}
	signed := signedRPC{params: url.Values{}, header: req.GetHeaders()}
	for k, v := range req.GetQueryParams() {
		signed.params.Set(k, v)
	}
	if c.tamper != nil {
		c.tamper(signed.params)
	}
	return signed
}

// sendRPC sends signed parameters in the query string or, with c.inBody, in
// a form-encoded body, with the SDK's headers, then applies c.tamperRequest.
func (e *testEnv) sendRPC(t testing.TB, c rpcCall, signed signedRPC) rawResult {
	t.Helper()
	target, body := "http://"+e.host+"/?"+signed.params.Encode(), ""
	if c.inBody {
		target, body = "http://"+e.host+"/", signed.params.Encode()
	}
	r, err := http.NewRequestWithContext(context.Background(), c.method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range signed.header {
		r.Header.Set(k, v)
	}
	if c.tamperRequest != nil {
		c.tamperRequest(r)
	}
	return send(t, r)
}

func (e *testEnv) rpcRaw(t testing.TB, c rpcCall) rawResult {
	t.Helper()
	return e.sendRPC(t, c, signRPC(t, &c))
}

// Hand-built RPC requests the gateway accepts: parameters in the query
// string (GET or POST) or, signature included, in a form-encoded POST body.
func TestRPCParameterPlacement(t *testing.T) {
	e := newEnv(t, emulator.Options{Credentials: withSTSKey()})
	for _, c := range []rpcCall{
		{method: http.MethodGet},
		{method: http.MethodPost},
		{method: http.MethodPost, inBody: true},
		{method: http.MethodPost, inBody: true, accessKeyID: stsKey, secret: stsSecret, token: stsToken},
	} {
		c.params = validQuery(fixedNow, emulator.FixtureRecordDomain)
		if res := e.rpcRaw(t, c); res.status != http.StatusOK || res.fields["TotalNum"] != float64(2) {
			t.Errorf("%s inBody=%t token=%q: %d %s", c.method, c.inBody, c.token, res.status, res.body)
		}
	}
}

// What only the RPC style can get wrong: a tampered request, a style used by
// halves or mixed with V3's, parameters given twice or outside the
// signature, a format the emulator does not encode.
func TestRPCSignatureFailures(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	set := func(name, value string) func(url.Values) { return func(p url.Values) { p.Set(name, value) } }
	del := func(name string) func(url.Values) { return func(p url.Values) { p.Del(name) } }
	header := func(name, value string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set(name, value) }
	}
	body := func(contentType, content string) func(*http.Request) {
		return func(r *http.Request) {
			r.Header.Set("Content-Type", contentType)
			r.Body, r.ContentLength = io.NopCloser(strings.NewReader(content)), int64(len(content))
		}
	}
	cases := []struct {
		name   string
		call   rpcCall
		status int // default 400
		code   string
	}{
		{"tampered parameter value", rpcCall{tamper: set("DomainName", "live1.example.com")}, 0, "SignatureDoesNotMatch"},
		{"added parameter", rpcCall{tamper: set("AppName", "live")}, 0, "SignatureDoesNotMatch"},
		{"removed parameter", rpcCall{tamper: del("RegionId")}, 0, "SignatureDoesNotMatch"},
		{"altered signature", rpcCall{tamper: set("Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")}, 0, "SignatureDoesNotMatch"},
		{"signed as GET, sent as POST", rpcCall{tamperRequest: func(r *http.Request) { r.Method = http.MethodPost }}, 0, "SignatureDoesNotMatch"},
		{"no Signature", rpcCall{tamper: del("Signature")}, 0, "IncompleteSignature"},
		{"no SignatureMethod", rpcCall{tamper: del("SignatureMethod")}, 0, "IncompleteSignature"},
		{"SignatureMethod HMAC-SHA256", rpcCall{tamper: set("SignatureMethod", "HMAC-SHA256")}, 0, "InvalidSignatureMethod"},
		{"SignatureVersion 2.0", rpcCall{tamper: set("SignatureVersion", "2.0")}, 0, "IncompleteSignature"},
		{"no SignatureVersion", rpcCall{tamper: del("SignatureVersion")}, 0, "IncompleteSignature"},
		{"SignatureType BEARERTOKEN", rpcCall{tamper: set("SignatureType", "BEARERTOKEN")}, 0, "InvalidSignatureMethod"},
		{"Format XML", rpcCall{tamper: set("Format", "XML")}, 0, "InvalidParameter"},
		{"no Format", rpcCall{tamper: del("Format")}, 0, "InvalidParameter"},
		{"unknown action", rpcCall{action: "DescribeLiveStreamsOnlineList"}, http.StatusNotFound, "InvalidAction.NotFound"},
		{"no Action", rpcCall{tamper: del("Action"), tamperRequest: func(r *http.Request) { r.Header.Del("x-acs-action") }},
			http.StatusNotFound, "InvalidAction.NotFound"},
		{"unknown version", rpcCall{version: "2014-11-11"}, 0, "InvalidVersion"},
		{"PUT", rpcCall{tamperRequest: func(r *http.Request) { r.Method = http.MethodPut }}, 0, "UnsupportedHTTPMethod"},
		{"x-acs-action naming another action", rpcCall{tamperRequest: header("x-acs-action", emulator.ActionDescribeLiveStreamsNotifyRecords)},
			0, "IncompleteSignature"},
		{"x-acs-version naming another version", rpcCall{tamperRequest: header("x-acs-version", "2014-11-11")}, 0, "IncompleteSignature"},
		{"an Authorization header as well", rpcCall{tamperRequest: header("Authorization",
			"ACS3-HMAC-SHA256 Credential="+emulator.DefaultAccessKeyID+",SignedHeaders=host,Signature=ab")}, 0, "IncompleteSignature"},
		{"an x-acs-date header as well", rpcCall{tamperRequest: header("x-acs-date", ts(time.Now()))}, 0, "IncompleteSignature"},
		{"an x-acs-security-token header", rpcCall{tamperRequest: header("x-acs-security-token", stsToken)}, 0, "IncompleteSignature"},
		{"parameter in query string and body", rpcCall{method: http.MethodPost,
			tamperRequest: body("application/x-www-form-urlencoded", "DomainName="+emulator.FixtureRecordDomain)}, 0, "InvalidParameter"},
		{"parameter repeated", rpcCall{tamperRequest: func(r *http.Request) { r.URL.RawQuery += "&PageSize=20" }}, 0, "InvalidParameter"},
		{"body that is not form-encoded", rpcCall{method: http.MethodPost, tamperRequest: body("application/json", `{"AppName":"x"}`)},
			0, "InvalidParameter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.call.params = validQuery(fixedNow, emulator.FixtureRecordDomain)
			wantRawAnswer(t, e.rpcRaw(t, tc.call), max(tc.status, http.StatusBadRequest), tc.code)
		})
	}

	t.Run("V3 request with an RPC signature parameter", func(t *testing.T) {
		q := validQuery(fixedNow, emulator.FixtureRecordDomain)
		q["SignatureNonce"] = "n-1"
		wantRawError(t, e.raw(t, rawCall{query: q}), "IncompleteSignature")
	})
}

// A nonce is burnt only by a request whose signature verified, and once
// burnt it is used, whichever style uses it next.
func TestRPCNonce(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	c := rpcCall{params: validQuery(fixedNow, emulator.FixtureRecordDomain)}
	signed := signRPC(t, &c)
	forged := signedRPC{params: maps.Clone(signed.params), header: signed.header}
	forged.params.Set("PageSize", "500")
	wantRawError(t, e.sendRPC(t, c, forged), "SignatureDoesNotMatch")
	if res := e.sendRPC(t, c, signed); res.status != http.StatusOK {
		t.Fatalf("nonce burnt by a forged request: %d %s", res.status, res.body)
	}
	wantRawError(t, e.sendRPC(t, c, signed), "SignatureNonceUsed")
	v3 := rawCall{query: validQuery(fixedNow, emulator.FixtureRecordDomain), nonce: signed.params.Get("SignatureNonce")}
	wantRawError(t, e.raw(t, v3), "SignatureNonceUsed")
}
