package emulator

import (
	"fmt"
	"strconv"
	"time"
)

// FixtureSecretsDomain holds callbacks whose webhooks authenticate them with
// a credential, in every place the API documents let one travel: a token in
// the callback URL's query, a URL's userinfo, a chat-style webhook whose
// path is the token, an Authorization and an API-key header in NotifyHeader
// (as JSON in odd casing, and as plain "Name: value" lines), the ingest URL's
// auth_key that publish callbacks forward in usrargs, a signed playback URL
// in a recording callback's content, a delivery error that quotes the URL,
// and a webhook's response that echoes its token. Every credential is
// FixtureSecret, except one webhook whose token was rotated to
// FixtureRotatedSecret: its URL differs from another only in the token.
// The newest 3 callbacks of every webhook failed, so that every shipped gate
// finds it still failing (more than 2 in a row) and prints the webhook and
// its failure description.
const FixtureSecretsDomain = "secret-hooks.example.com"

// The credentials FixtureSecretsDomain's callbacks carry.
const (
	FixtureSecret        = "s3cret-token-123"
	FixtureRotatedSecret = "s3cret-token-456"
)

// The webhooks of FixtureSecretsDomain's stream-ingest callbacks.
const (
	// SecretsQueryURL carries the token in its query.
	SecretsQueryURL = "https://hooks.example.com/live/publish_done?env=prod&token=" + FixtureSecret
	// SecretsRotatedURL is SecretsQueryURL with the rotated token: the two
	// differ only in the credential.
	SecretsRotatedURL = "https://hooks.example.com/live/publish_done?env=prod&token=" + FixtureRotatedSecret
	// SecretsStagingURL differs from SecretsQueryURL only in a value that is
	// not a credential.
	SecretsStagingURL = "https://hooks.example.com/live/publish_done?env=staging&token=" + FixtureSecret
	// SecretsUserinfoURL carries the token as the password of its userinfo.
	SecretsUserinfoURL = "https://live-hooks:" + FixtureSecret + "@hooks.example.com/live/publish"
)

// The webhooks of FixtureSecretsDomain's recording callbacks.
const (
	// SecretsRecordURL carries the token in its query.
	SecretsRecordURL = "https://hooks.example.com/live/record?env=prod&token=" + FixtureSecret
	// SecretsChatURL is a Slack-style incoming webhook: the last path
	// segment is the token.
	SecretsChatURL = "https://hooks.slack.com/services/T0001/B0001/" + FixtureSecret
)

// secretsHeaders are the NotifyHeader values of FixtureSecretsDomain's
// recording callbacks, used in turn: JSON as the API returns headers, JSON
// with names in odd casing, and headers as plain lines.
var secretsHeaders = []string{
	`{"Authorization":"Bearer ` + FixtureSecret + `","Content-Type":"application/json"}`,
	`{"AUTHORIZATION":"Bearer ` + FixtureSecret + `","x-Api-KEY":"` + FixtureSecret + `","Content-Type":"application/json"}`,
	"Authorization: Bearer " + FixtureSecret + "\r\nContent-Type: application/json",
}

// Shape of FixtureSecretsDomain.
const (
	// SecretsStreamRecords stream-ingest callbacks, one every 3 minutes from
	// Now-2m back; the four webhooks take turns, and each one's newest 3
	// failed.
	SecretsStreamRecords = 16
	// SecretsRecordCallbacks recording callbacks, one every 5 minutes from
	// Now-3m back; the two webhooks take turns, and each one's newest 3
	// failed.
	SecretsRecordCallbacks = 8
)

// FixtureSecretsStreamRecords returns the FixtureSecretsDomain stream-ingest
// callbacks (IDs unset): SecretsStreamRecords callbacks at Now-2m, Now-5m,
// ..., sent in turn to SecretsQueryURL (publish_done), SecretsUserinfoURL
// (publish), SecretsRotatedURL (publish_done) and SecretsStagingURL
// (publish_done); the newest 12 failed. A publish's NotifyContent forwards
// the ingest URL's auth_key in usrargs, as the real callback does; a failure's
// Description quotes the URL and its NotifyResponse echoes the token.
func FixtureSecretsStreamRecords(now time.Time) []StreamRecord {
	base := now.UTC().Truncate(time.Second)
	urls := []string{SecretsQueryURL, SecretsUserinfoURL, SecretsRotatedURL, SecretsStagingURL}
	types := []string{"publish_done", "publish", "publish_done", "publish_done"}
	out := make([]StreamRecord, 0, SecretsStreamRecords)
	for i := range SecretsStreamRecords {
		at := base.Add(-time.Duration(2+3*i) * time.Minute)
		stream := fmt.Sprintf("room-%d", i%3)
		unix := strconv.FormatInt(at.Unix(), 10)
		n := Notify{
			DomainName: FixtureSecretsDomain, AppName: "live", StreamName: stream, NotifyTime: at,
			NotifyType: types[i%4], NotifyResult: "success", Description: "success", NotifyURL: urls[i%4],
			NotifyContent: `{"action":"` + types[i%4] + `","ip":"203.0.113.9","id":"` + stream + `","app":"` + FixtureSecretsDomain +
				`","appname":"live","time":"` + unix + `","usrargs":"auth_key=` + unix + `-0-0-` + FixtureSecret +
				`&vhost=` + FixtureSecretsDomain + `","node":"et2"}`,
			NotifyResponse: `{"status":"ok"}`,
		}
		if i < 12 {
			n.NotifyResult = "failed"
			n.Description = `callback failed: Post "` + n.NotifyURL + `": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`
			n.NotifyResponse = `{"error":"token rejected","token":"` + FixtureSecret + `"}`
		}
		out = append(out, StreamRecord{Notify: n})
	}
	return out
}

// FixtureSecretsRecordCallbacks returns the FixtureSecretsDomain recording
// callbacks (IDs unset): SecretsRecordCallbacks callbacks at Now-3m, Now-8m,
// ..., sent in turn to SecretsRecordURL (record_started) and SecretsChatURL
// (file_created), with the headers of secretsHeaders in turn; the newest 6
// failed. A file_created's content holds a playback URL signed with
// auth_key.
func FixtureSecretsRecordCallbacks(now time.Time) []RecordCallback {
	base := now.UTC().Truncate(time.Second)
	urls := []string{SecretsRecordURL, SecretsChatURL}
	types := []string{"record_started", "file_created"}
	out := make([]RecordCallback, 0, SecretsRecordCallbacks)
	for i := range SecretsRecordCallbacks {
		at := base.Add(-time.Duration(3+5*i) * time.Minute)
		stream := fmt.Sprintf("room-%d", i%3)
		n := Notify{
			DomainName: FixtureSecretsDomain, AppName: "live", StreamName: stream, NotifyTime: at,
			NotifyType: types[i%2], NotifyResult: "success", Description: "success", NotifyURL: urls[i%2],
			NotifyContent: `{"domain":"` + FixtureSecretsDomain + `","app":"live","stream":"` + stream + `","event":"` + types[i%2] +
				`","uri":"record/live/` + stream + `/` + strconv.FormatInt(at.Unix(), 10) + `.m3u8","url":"https://play.example.com/live/` +
				stream + `.m3u8?auth_key=` + strconv.FormatInt(at.Unix(), 10) + `-0-0-` + FixtureSecret + `"}`,
			NotifyHeader:   secretsHeaders[i%len(secretsHeaders)],
			NotifyResponse: "OK",
		}
		if i < 6 {
			n.NotifyResult = "failed"
			n.Description = `callback failed: Post "` + n.NotifyURL + `": HTTP 401 Unauthorized`
			n.NotifyResponse = `{"code":401,"message":"expired","token":"` + FixtureSecret + `"}`
		}
		out = append(out, RecordCallback{Notify: n, StorageType: "oss"})
	}
	return out
}
