package emulator

import (
	"fmt"
	"math"
	"time"
)

// Identity of the emulated API.
const (
	// APIVersion is the only x-acs-version the emulator accepts.
	APIVersion = "2016-11-01"
	// ActionDescribeLiveRecordNotifyRecords queries recording callbacks.
	ActionDescribeLiveRecordNotifyRecords = "DescribeLiveRecordNotifyRecords"
	// ActionDescribeLiveStreamsNotifyRecords queries stream ingest callbacks.
	ActionDescribeLiveStreamsNotifyRecords = "DescribeLiveStreamsNotifyRecords"
)

// Credentials the emulator accepts when Options.Credentials is nil. They are
// deliberately fake-looking ("LTAI5t" is the prefix of real AccessKey IDs)
// so that demo configuration can never be mistaken for a real key pair.
const (
	DefaultAccessKeyID     = "LTAI5tEmulatorDemoKey"
	DefaultAccessKeySecret = "emulator-demo-secret"
)

// Rules taken from the API documents.
const (
	// TimeLayout is the documented yyyy-MM-ddTHH:mm:ssZ format (UTC) of
	// StartTime, EndTime and NotifyTime.
	TimeLayout = "2006-01-02T15:04:05Z"
	// DefaultPageSize and DefaultPageNumber apply when the parameter is absent
	// from a DescribeLiveStreamsNotifyRecords request. The record document
	// states the same defaults but marks both parameters required, so the
	// emulator answers MissingParams there instead.
	DefaultPageSize   = 20
	DefaultPageNumber = 1
	// MaxPageSize bounds PageSize for both operations (1..500).
	MaxPageSize = 500
	// MaxRecordPageNumber bounds PageNumber of DescribeLiveRecordNotifyRecords
	// (1..100000). DescribeLiveStreamsNotifyRecords documents no upper bound;
	// there the SDK's int32 is the only limit.
	MaxRecordPageNumber = 100000
	// MaxStreamPageNumber bounds PageNumber of DescribeLiveStreamsNotifyRecords:
	// its document gives no upper bound, so the SDK's int32 field is the limit.
	MaxStreamPageNumber = math.MaxInt32
	// QueryWindow is how far back StartTime may reach ("the last 7 days"),
	// enforced to the instant the request is processed: no document grants a
	// grace (see Options.StartTimeGrace).
	QueryWindow = 7 * 24 * time.Hour
	// GeneratedSpan is how far back generated NotifyTimes reach: the 7 days
	// the API keeps, less an hour. A client that reads "the last 7 days"
	// must send a StartTime that is still within 7 days when its last page
	// is answered, so it gives up the oldest moments of the window (as long
	// as its read may last); the hour keeps every generated record inside
	// such a read, so that a full read can be compared with the data set.
	GeneratedSpan = QueryWindow - time.Hour
	// SignatureWindow is how far a request's time stamp (x-acs-date, or the
	// RPC Timestamp parameter) may differ from the server clock, and how long
	// a signature nonce is remembered (the gateway's 15 minutes).
	SignatureWindow = 15 * time.Minute
)

// Credential is the secret side of one AccessKey pair.
type Credential struct {
	// Secret is the AccessKey secret used to verify signatures.
	Secret string
	// SecurityToken, when set, makes the pair an STS credential: every
	// request must carry it, in x-acs-security-token (V3) or the
	// SecurityToken parameter (RPC).
	SecurityToken string
}

// DomainSpec asks the generator for one domain with an exact number of
// records of each kind.
type DomainSpec struct {
	Name            string
	RecordCallbacks int // DescribeLiveRecordNotifyRecords records
	StreamRecords   int // DescribeLiveStreamsNotifyRecords records
}

// Options configures a Server. The zero value is a usable emulator with the
// default credentials, the default data set (DefaultDomains plus fixtures)
// seeded with 0, no latency, no QPS limit and no faults.
type Options struct {
	// Now is the clock the data set and the parameter rules are relative to:
	// generated NotifyTimes, fixture offsets and "StartTime within the last
	// 7 days". Default time.Now. Tests pass a fixed clock to be deterministic.
	Now func() time.Time

	// RequestClock is the clock request time stamps (x-acs-date, Timestamp)
	// are checked against, nonces expire by and MaxQPS counts seconds on. It
	// is separate from Now because the SDK stamps requests with the real wall
	// clock: a test that freezes Now must still be able to authenticate.
	// Default time.Now.
	RequestClock func() time.Time

	// Seed makes the generated data set reproducible: the same Seed, Now and
	// Domains always produce the same records.
	Seed int64

	// Domains lists the generated domains. Nil means DefaultDomains(); an
	// empty non-nil slice generates none. The fixture domains (see
	// FixtureRecordDomain, FixtureStreamDomain, FixtureFailingTypeDomain,
	// FixtureSecretsDomain) are always added, and the case domains
	// (CaseDomains) unless NoCaseDomains.
	Domains []DomainSpec

	// NoCaseDomains leaves the busy case domains out of the data set (the
	// fixture among CaseDomains stays): some 23,000 callbacks that a unit
	// test reading its own domains would make every server generate.
	NoCaseDomains bool

	// Credentials maps AccessKeyId to its secret (and STS token). Nil means
	// the single pair DefaultAccessKeyID / DefaultAccessKeySecret.
	Credentials map[string]Credential

	// Latency is slept before each request is processed. The sleep ends early
	// when the client goes away.
	Latency time.Duration

	// MaxQPS, when > 0, limits each AccessKeyId to this many accepted
	// requests within any rolling second (rounded down; below 1, one request
	// per 1/MaxQPS); excess requests get 400 Throttling.User like the real
	// gateway and do not count as accepted.
	MaxQPS float64

	// StartTimeGrace is added to QueryWindow before a StartTime is rejected
	// as older than 7 days. Default 0: the emulator is strict to the second,
	// as the documents state the rule, so a client that computes "now - 7
	// days" and sends it a moment later is rejected. A grace only exists to
	// reproduce a lenient API.
	StartTimeGrace time.Duration

	// ShuffleTies answers records that share a NotifyTime in a fresh random
	// order on every request, instead of the emulator's stable tie-break (ID
	// descending). The documents do not say how ties are ordered; this models
	// an API that does not order them the same way twice, so that a page
	// boundary falling inside a tie can repeat one record and lose another.
	ShuffleTies bool

	// Faults is the initial fault-injection plan; see Server.SetFaults.
	Faults Faults

	// Logf, when set, receives one line per request (and the canonical
	// request of failed signature checks, to debug client signers).
	Logf func(format string, args ...any)
}

// DefaultDomains is the generated part of the default data set: ten domains
// live1.example.com … live10.example.com, where domain i holds 120·i
// recording callbacks and 80·i stream ingest callbacks (6,600 and 4,400 in
// all). Counts grow with i so that tests can find both small and multi-page
// domains.
func DefaultDomains() []DomainSpec {
	specs := make([]DomainSpec, 10)
	for i := range specs {
		n := i + 1
		specs[i] = DomainSpec{
			Name:            fmt.Sprintf("live%d.example.com", n),
			RecordCallbacks: 120 * n,
			StreamRecords:   80 * n,
		}
	}
	return specs
}
