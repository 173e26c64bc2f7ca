package emulator_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	live "github.com/alibabacloud-go/live-20161101/v3/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

func fixtureParams() params {
	return fullWindow(fixedNow, params{Domain: emulator.FixtureRecordDomain})
}

func TestSDKSignatureAccepted(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	// Characters the SDK percent-encodes in its own way exercise the
	// canonical query string on both sides.
	e.addOddRecord()
	c := e.client(t)
	for _, a := range apis {
		pg, err := a.fetch(context.Background(), c, fullWindow(fixedNow, params{Domain: "odd.example.com", App: oddText, Stream: oddText}))
		if err != nil {
			t.Fatalf("%s: %v", a.name, err)
		}
		if a.name == recordAPI.name && (len(pg.rows) != 1 || pg.rows[0].AppName != oddText) {
			t.Fatalf("odd AppName filter: %+v", pg.rows)
		}
	}
}

func TestSignatureFailures(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	ctx := context.Background()

	t.Run("wrong secret", func(t *testing.T) {
		_, err := recordAPI.fetch(ctx, e.client(t, withKey(emulator.DefaultAccessKeyID, "not-the-secret")), fixtureParams())
		msg := wantError[*openapi.ClientError](t, err, 400, "SignatureDoesNotMatch")
		if !strings.Contains(msg, "Specified signature does not match our calculation. server StringToSign is [ACS3-HMAC-SHA256\n") {
			t.Errorf("message %q", msg)
		}
	})
	t.Run("unknown key", func(t *testing.T) {
		_, err := streamAPI.fetch(ctx, e.client(t, withKey("LTAI5tNoSuchKey", "x")), fixtureParams())
		msg := wantError[*openapi.ClientError](t, err, 404, "InvalidAccessKeyId.NotFound")
		if !strings.Contains(msg, "Specified access key is not found.") {
			t.Errorf("message %q", msg)
		}
	})

	tamper := map[string]func(r *http.Request){
		"query value": func(r *http.Request) {
			q := r.URL.Query()
			q.Set("DomainName", "live1.example.com")
			r.URL.RawQuery = q.Encode()
		},
		"added query parameter": func(r *http.Request) { r.URL.RawQuery += "&AppName=live" },
		"removed query parameter": func(r *http.Request) {
			q := r.URL.Query()
			q.Del("StartTime")
			q.Set("StartTime", ts(fixedNow.Add(-2*time.Hour)))
			r.URL.RawQuery = q.Encode()
		},
		"signed header value": func(r *http.Request) { r.Header.Set("x-acs-signature-nonce", "other-nonce") },
		"action":              func(r *http.Request) { r.Header.Set("x-acs-action", emulator.ActionDescribeLiveStreamsNotifyRecords) },
		"method":              func(r *http.Request) { r.Method = http.MethodGet },
		"host":                func(r *http.Request) { r.Host = "live.aliyuncs.com" },
		"signature hex": func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Signature=", "Signature=00", 1))
		},
	}
	for name, f := range tamper {
		t.Run("tampered "+name, func(t *testing.T) {
			res := e.raw(t, rawCall{query: validQuery(fixedNow, emulator.FixtureRecordDomain), tamper: f})
			wantRawError(t, res, "SignatureDoesNotMatch")
		})
	}

	t.Run("body does not match x-acs-content-sha256", func(t *testing.T) {
		res := e.raw(t, rawCall{query: validQuery(fixedNow, emulator.FixtureRecordDomain), body: []byte("AppName=x"),
			contentType: "application/x-www-form-urlencoded",
			tamper: func(r *http.Request) {
				r.Body = http.NoBody
				r.ContentLength = 0
			}})
		wantRawError(t, res, "SignatureDoesNotMatch")
	})

	t.Run("missing Authorization", func(t *testing.T) {
		res := e.raw(t, rawCall{query: validQuery(fixedNow, emulator.FixtureRecordDomain), tamper: func(r *http.Request) { r.Header.Del("Authorization") }})
		wantRawError(t, res, "MissingAccessKeyId")
	})
	malformed := map[string]string{
		"IncompleteSignature":    "ACS3-HMAC-SHA256 Credential=" + emulator.DefaultAccessKeyID,
		"IncompleteSignature ":   "Bearer abc",
		"IncompleteSignature  ":  "ACS3-HMAC-SHA256 Credential=" + emulator.DefaultAccessKeyID + ",SignedHeaders=,Signature=ab",
		"InvalidSignatureMethod": "ACS3-HMAC-SM3 Credential=" + emulator.DefaultAccessKeyID + ",SignedHeaders=host,Signature=ab",
	}
	for code, header := range malformed {
		t.Run("Authorization "+header, func(t *testing.T) {
			res := e.raw(t, rawCall{query: validQuery(fixedNow, emulator.FixtureRecordDomain),
				tamper: func(r *http.Request) { r.Header.Set("Authorization", header) }})
			wantRawError(t, res, strings.TrimSpace(code))
		})
	}
	t.Run("unsigned x-acs header", func(t *testing.T) {
		res := e.raw(t, rawCall{query: validQuery(fixedNow, emulator.FixtureRecordDomain),
			tamper: func(r *http.Request) { r.Header.Set("x-acs-extra", "1") }})
		wantRawError(t, res, "IncompleteSignature")
	})
	t.Run("required header not signed", func(t *testing.T) {
		res := e.raw(t, rawCall{query: validQuery(fixedNow, emulator.FixtureRecordDomain),
			tamper: func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "x-acs-date;", "", 1))
			}})
		wantRawError(t, res, "IncompleteSignature")
	})
}

func TestTimestampAndNonce(t *testing.T) {
	t.Run("x-acs-date 16 minutes off", func(t *testing.T) {
		for _, skew := range []time.Duration{16 * time.Minute, -16 * time.Minute} {
			e := newEnv(t, emulator.Options{RequestClock: func() time.Time { return time.Now().Add(skew) }})
			_, err := recordAPI.fetch(context.Background(), e.client(t), fixtureParams())
			wantError[*openapi.ClientError](t, err, 400, "InvalidTimeStamp.Expired")
		}
	})
	t.Run("x-acs-date 14 minutes off", func(t *testing.T) {
		e := newEnv(t, emulator.Options{RequestClock: func() time.Time { return time.Now().Add(14 * time.Minute) }})
		if _, err := recordAPI.fetch(context.Background(), e.client(t), fixtureParams()); err != nil {
			t.Fatal(err)
		}
	})
	e := newEnv(t, emulator.Options{})
	t.Run("x-acs-date malformed", func(t *testing.T) {
		res := e.raw(t, rawCall{query: validQuery(fixedNow, emulator.FixtureRecordDomain), date: "Fri, 14 Mar 2025 12:00:00 GMT"})
		wantRawError(t, res, "InvalidTimeStamp.Format")
	})
	t.Run("nonce reused", func(t *testing.T) {
		call := rawCall{query: validQuery(fixedNow, emulator.FixtureRecordDomain), nonce: "nonce-used-twice"}
		if res := e.raw(t, call); res.status != 200 {
			t.Fatalf("first use: %d %s", res.status, res.body)
		}
		res := e.raw(t, call)
		wantRawError(t, res, "SignatureNonceUsed")
		// A failed signature does not burn a nonce.
		bad := rawCall{query: validQuery(fixedNow, emulator.FixtureRecordDomain), nonce: "nonce-after-bad", secret: "wrong", accessKeyID: emulator.DefaultAccessKeyID}
		wantRawError(t, e.raw(t, bad), "SignatureDoesNotMatch")
		bad.secret = emulator.DefaultAccessKeySecret
		if res := e.raw(t, bad); res.status != 200 {
			t.Fatalf("nonce burnt by a forged request: %d %s", res.status, res.body)
		}
	})
}

func TestSecurityToken(t *testing.T) {
	const stsKey, stsSecret, token = "STS.NUemulatorTemporary", "sts-secret", "CAIS-emulator-token"
	e := newEnv(t, emulator.Options{Credentials: map[string]emulator.Credential{
		stsKey:                      {Secret: stsSecret, SecurityToken: token},
		emulator.DefaultAccessKeyID: {Secret: emulator.DefaultAccessKeySecret},
	}})
	ctx := context.Background()
	if _, err := recordAPI.fetch(ctx, e.client(t, withKey(stsKey, stsSecret), withToken(token)), fixtureParams()); err != nil {
		t.Fatalf("STS call: %v", err)
	}
	_, err := recordAPI.fetch(ctx, e.client(t, withKey(stsKey, stsSecret)), fixtureParams())
	wantError[*openapi.ClientError](t, err, 400, "MissingSecurityToken")
	_, err = recordAPI.fetch(ctx, e.client(t, withKey(stsKey, stsSecret), withToken("CAIS-other")), fixtureParams())
	wantError[*openapi.ClientError](t, err, 400, "InvalidSecurityToken.MismatchWithAccessKey")
	_, err = recordAPI.fetch(ctx, e.client(t, withToken(token)), fixtureParams()) // token on a permanent key
	wantError[*openapi.ClientError](t, err, 400, "InvalidSecurityToken.MismatchWithAccessKey")
	// x-acs-accesskey-id naming another key.
	res := e.raw(t, rawCall{query: validQuery(fixedNow, emulator.FixtureRecordDomain), accessKeyID: stsKey, secret: stsSecret,
		headers: map[string]string{"x-acs-security-token": token, "x-acs-accesskey-id": emulator.DefaultAccessKeyID}})
	wantRawError(t, res, "InvalidSecurityToken.MismatchWithAccessKey")
}

// callAPI uses the SDK's generic entry point to reach actions and versions
// the typed client cannot express.
func callAPI(c *live.Client, action, version string) error {
	_, err := c.CallApiWithCtx(context.Background(), &openapiutil.Params{
		Action: tea.String(action), Version: tea.String(version), Protocol: tea.String("HTTPS"),
		Pathname: tea.String("/"), Method: tea.String("POST"), AuthType: tea.String("AK"),
		Style: tea.String("RPC"), ReqBodyType: tea.String("formData"), BodyType: tea.String("json"),
	}, &openapiutil.OpenApiRequest{Query: map[string]*string{"DomainName": tea.String("example.com")}}, &dara.RuntimeOptions{})
	return err
}

func TestRouting(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	c := e.client(t)
	msg := wantError[*openapi.ClientError](t, callAPI(c, "DescribeLiveStreamsOnlineList", emulator.APIVersion), 404, "InvalidAction.NotFound")
	if !strings.Contains(msg, "Specified api is not found") {
		t.Errorf("message %q", msg)
	}
	msg = wantError[*openapi.ClientError](t, callAPI(c, emulator.ActionDescribeLiveRecordNotifyRecords, "2014-11-11"), 400, "InvalidVersion")
	if !strings.Contains(msg, "Specified parameter Version is not valid.") {
		t.Errorf("message %q", msg)
	}
	res := e.raw(t, rawCall{method: http.MethodPut, query: validQuery(fixedNow, emulator.FixtureRecordDomain)})
	wantRawError(t, res, "UnsupportedHTTPMethod")
}

// GET and form-encoded bodies are also valid RPC requests.
func TestGETAndFormBody(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	if res := e.raw(t, rawCall{method: http.MethodGet, query: validQuery(fixedNow, emulator.FixtureRecordDomain)}); res.status != 200 || res.fields["TotalNum"] != float64(2) {
		t.Fatalf("GET: %d %s", res.status, res.body)
	}
	form := url.Values{}
	for k, v := range validQuery(fixedNow, emulator.FixtureRecordDomain) {
		form.Set(k, v)
	}
	form.Set("Status", "failed")
	res := e.raw(t, rawCall{body: []byte(form.Encode()), contentType: "application/x-www-form-urlencoded"})
	if res.status != 200 || res.fields["TotalNum"] != float64(1) {
		t.Fatalf("form body: %d %s", res.status, res.body)
	}
}

// Without DisableSDKError the SDK wraps every error in *tea.SDKError, which
// keeps the Code and the status; the provider sees this form by default.
func TestDefaultSDKErrorWrapping(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	c := e.client(t, withKey("LTAI5tNoSuchKey", "x"))
	c.Client.DisableSDKError = nil
	_, err := recordAPI.fetch(context.Background(), c, fixtureParams())
	var sdkErr *tea.SDKError
	if !errors.As(err, &sdkErr) {
		t.Fatalf("%T %v", err, err)
	}
	if tea.StringValue(sdkErr.Code) != "InvalidAccessKeyId.NotFound" || tea.IntValue(sdkErr.StatusCode) != 404 {
		t.Fatalf("code %q status %d", tea.StringValue(sdkErr.Code), tea.IntValue(sdkErr.StatusCode))
	}
	if !strings.Contains(tea.StringValue(sdkErr.Message), "request id: ") {
		t.Errorf("message %q lacks the request id", tea.StringValue(sdkErr.Message))
	}
}

// Every answer, success or error, carries a fresh request id.
func TestRequestIDsAreFresh(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	seen := map[string]bool{}
	for i := range 20 {
		q := validQuery(fixedNow, emulator.FixtureRecordDomain)
		if i%2 == 1 {
			delete(q, "DomainName")
		}
		res := e.raw(t, rawCall{query: q})
		id, _ := res.fields["RequestId"].(string)
		if !requestIDPattern.MatchString(id) || seen[id] {
			t.Fatalf("request id %q (status %d)", id, res.status)
		}
		seen[id] = true
	}
}

// The failures both signature styles can have get the same answer, code and
// HTTP status, whichever style the client signs in: V3 requests signed by
// the darabonba signer, RPC requests by alibaba-cloud-sdk-go's.
func TestSameFailureSameAnswerInBothStyles(t *testing.T) {
	skewed := func(d time.Duration) func() time.Time { return func() time.Time { return time.Now().Add(d) } }
	const malformed = "Fri, 14 Mar 2025 12:00:00 GMT"
	cases := []struct {
		name   string
		clock  func() time.Time // the emulator's RequestClock; nil is the wall clock
		v3     func(*rawCall)
		rpc    func(*rpcCall)
		replay bool // the answer is to the same request sent a second time
		status int
		code   string
	}{
		{name: "wrong secret",
			v3:     func(c *rawCall) { c.accessKeyID, c.secret = emulator.DefaultAccessKeyID, "not-the-secret" },
			rpc:    func(c *rpcCall) { c.accessKeyID, c.secret = emulator.DefaultAccessKeyID, "not-the-secret" },
			status: 400, code: "SignatureDoesNotMatch"},
		{name: "unknown AccessKeyId",
			v3:     func(c *rawCall) { c.accessKeyID, c.secret = "LTAI5tNoSuchKey", "x" },
			rpc:    func(c *rpcCall) { c.accessKeyID, c.secret = "LTAI5tNoSuchKey", "x" },
			status: 404, code: "InvalidAccessKeyId.NotFound"},
		{name: "no AccessKeyId",
			v3:     func(c *rawCall) { c.tamper = func(r *http.Request) { r.Header.Del("Authorization") } },
			rpc:    func(c *rpcCall) { c.tamper = func(p url.Values) { p.Del("AccessKeyId") } },
			status: 400, code: "MissingAccessKeyId"},
		{name: "no signature",
			v3: func(c *rawCall) {
				c.tamper = func(r *http.Request) {
					r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential="+emulator.DefaultAccessKeyID+",SignedHeaders=host")
				}
			},
			rpc:    func(c *rpcCall) { c.tamper = func(p url.Values) { p.Del("Signature") } },
			status: 400, code: "IncompleteSignature"},
		{name: "time stamp 16 minutes old", clock: skewed(16 * time.Minute),
			status: 400, code: "InvalidTimeStamp.Expired"},
		{name: "time stamp 16 minutes ahead", clock: skewed(-16 * time.Minute),
			status: 400, code: "InvalidTimeStamp.Expired"},
		{name: "malformed time stamp",
			v3:     func(c *rawCall) { c.date = malformed },
			rpc:    func(c *rpcCall) { c.tamper = func(p url.Values) { p.Set("Timestamp", malformed) } },
			status: 400, code: "InvalidTimeStamp.Format"},
		{name: "no nonce",
			v3:     func(c *rawCall) { c.tamper = func(r *http.Request) { r.Header.Del("x-acs-signature-nonce") } },
			rpc:    func(c *rpcCall) { c.tamper = func(p url.Values) { p.Del("SignatureNonce") } },
			status: 400, code: "MissingSignatureNonce"},
		{name: "nonce reused", replay: true,
			v3:     func(c *rawCall) { c.nonce = "nonce-sent-twice" },
			status: 400, code: "SignatureNonceUsed"},
		{name: "STS key without its token",
			v3:     func(c *rawCall) { c.accessKeyID, c.secret = stsKey, stsSecret },
			rpc:    func(c *rpcCall) { c.accessKeyID, c.secret = stsKey, stsSecret },
			status: 400, code: "MissingSecurityToken"},
		{name: "STS key with another token",
			v3: func(c *rawCall) {
				c.accessKeyID, c.secret = stsKey, stsSecret
				c.headers = map[string]string{"x-acs-security-token": "CAIS-other"}
			},
			rpc:    func(c *rpcCall) { c.accessKeyID, c.secret, c.token = stsKey, stsSecret, "CAIS-other" },
			status: 400, code: "InvalidSecurityToken.MismatchWithAccessKey"},
		{name: "token on a permanent key",
			v3:     func(c *rawCall) { c.headers = map[string]string{"x-acs-security-token": stsToken} },
			rpc:    func(c *rpcCall) { c.token = stsToken },
			status: 400, code: "InvalidSecurityToken.MismatchWithAccessKey"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, emulator.Options{RequestClock: tc.clock, Credentials: withSTSKey()})
			v3 := rawCall{query: validQuery(fixedNow, emulator.FixtureRecordDomain)}
			rpc := rpcCall{params: validQuery(fixedNow, emulator.FixtureRecordDomain)}
			if tc.v3 != nil {
				tc.v3(&v3)
			}
			if tc.rpc != nil {
				tc.rpc(&rpc)
			}
			signed := signRPC(t, &rpc)
			answers := map[string]func() rawResult{
				"V3":  func() rawResult { return e.raw(t, v3) },
				"RPC": func() rawResult { return e.sendRPC(t, rpc, signed) },
			}
			for style, answer := range answers {
				res := answer()
				if tc.replay {
					if res.status != http.StatusOK {
						t.Fatalf("%s first use: %d %s", style, res.status, res.body)
					}
					res = answer()
				}
				t.Logf("%s: %d %s", style, res.status, res.fields["Code"])
				wantRawAnswer(t, res, tc.status, tc.code)
			}
		})
	}
}
