package provider

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/callbackwatch/terraform-provider-live/internal/clock"
	"github.com/callbackwatch/terraform-provider-live/internal/emulator"

	"os"
	"regexp"
)

// rateConfig reads one domain through both data sources at once, in pages
// of ten. Arguments: domain, start_time, end_time.
const rateConfig = `
data "live_record_notify_records" "rate" {
  domain_name = %[1]q
  start_time  = %[2]q
  end_time    = %[3]q
  page_size   = 10
}

data "live_stream_notify_records" "rate" {
  domain_name = %[1]q
  start_time  = %[2]q
  end_time    = %[3]q
  page_size   = 10
}
`

// TestAccProvider_maxQPSSetsThePace reads two data sources at once, about a
// eight pages in all, with max_qps set in the provider block, set through
// ALIBABA_CLOUD_LIVE_MAX_QPS, and set high. At 5 QPS every provider
// instance (one per CLI command) sends at most 5 requests in any rolling
// second, as the emulator counts them, and its requests span at least the
// limiter's floor; at 100 QPS the same requests all leave within a second.
// A stall of the test process beyond the client's guard band is allowed
// for, up to 2 requests (see below), and logged.
func TestAccProvider_maxQPSSetsThePace(t *testing.T) {
	requireAcc(t)
	base := time.Now().UTC().Truncate(time.Second)
	start, end := base.Add(-6*24*time.Hour), base.Add(time.Hour)
	const domain = "rate.example.com"
	for _, c := range []struct {
		name  string
		block string // provider block line
		env   string // ALIBABA_CLOUD_LIVE_MAX_QPS
		qps   float64
	}{
		{name: "block", block: "max_qps = 5", qps: 5},
		{name: "environment", env: "5", qps: 5},
		{name: "fast", block: "max_qps = 100", qps: 100},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.env != "" {
				t.Setenv("ALIBABA_CLOUD_LIVE_MAX_QPS", c.env)
			}
			emu, arrivals := startPacedEmulator(t, emulator.Options{
				Seed: 7, Now: func() time.Time { return base },
				Domains: []emulator.DomainSpec{{Name: domain, RecordCallbacks: 45, StreamRecords: 45}},
			})
			records := countIn(emu.RecordCallbacks(domain), func(r emulator.RecordCallback) time.Time { return r.NotifyTime }, start, end)
			streams := countIn(emu.StreamRecords(domain), func(r emulator.StreamRecord) time.Time { return r.NotifyTime }, start, end)
			pages := pagesOf(records, 10) + pagesOf(streams, 10)
			stopWatch := clock.WatchStalls()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: perInstanceProviderFactories(),
				Steps: []resource.TestStep{{
					Config: emu.providerConfig(c.block) + fmt.Sprintf(rateConfig, domain, start.Format(time.RFC3339), end.Format(time.RFC3339)),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.live_record_notify_records.rate", tfjsonpath.New("total_num"), knownvalue.Int64Exact(int64(records))),
						statecheck.ExpectKnownValue("data.live_stream_notify_records.rate", tfjsonpath.New("total_num"), knownvalue.Int64Exact(int64(streams))),
					},
				}},
			})

			// At max_qps 5: at most 5 in any rolling second, and pages-1
			// gaps of which every fifth is a window of 1.02 s (a second and
			// the guard band) and the others a tenth of it. The emulator
			// stamps a request when its handler runs: a stall of this process
			// (the provider and the emulator both run here) can bunch requests
			// that left apart, by as many as 5 QPS sends in the stall's length,
			// at most 2, and shorten the span by the stall.
			stall := stopWatch()
			const window = time.Second + 20*time.Millisecond
			floor := time.Duration((pages-1)/5)*window + time.Duration((pages-1)%5)*(window/10)
			allowed := 5
			if stall > 20*time.Millisecond {
				allowed += min(2, int(math.Ceil(stall.Seconds()*5)))
			}
			peaks := emu.PeakRequestsPerSecondByClient()
			reads := 0
			for client, times := range arrivals.byClient() {
				span := times[len(times)-1].Sub(times[0])
				t.Logf("%s: %d requests over %s, peak %d in a rolling second", client, len(times), span.Round(time.Millisecond), peaks[client])
				if len(times) != pages {
					t.Errorf("%s sent %d requests, want %d pages", client, len(times), pages)
					continue
				}
				reads++
				switch {
				case c.qps == 5 && peaks[client] > allowed:
					t.Errorf("%s sent %d requests within one rolling second at max_qps 5 (longest stall %s)", client, peaks[client], stall)
				case c.qps == 5 && span < floor-max(20*time.Millisecond, stall):
					t.Errorf("%s sent %d requests in %s, faster than 5 QPS allows (%s; longest stall %s)", client, pages, span, floor, stall)
				case c.qps == 100 && (peaks[client] != pages || span > floor/2+stall):
					t.Errorf("at max_qps 100, %s sent %d requests over %s (peak %d in a second); the pace is not max_qps's", client, pages, span, peaks[client])
				}
			}
			if reads < 2 {
				t.Errorf("%d provider instances read the data sources, want the plan's and the apply's at least", reads)
			}
			t.Logf("max_qps %g (%s): %d pages a read, floor at 5 QPS %s, peak over all instances %d, longest stall %s", c.qps, c.name, pages, floor, emu.PeakRequestsPerSecond(), stall)
		})
	}
}

// perInstanceProviderFactories serves a new provider, with its own version
// and so its own User-Agent, for every CLI command: the emulator then tells
// the provider instances apart, and the ceiling is judged per instance.
func perInstanceProviderFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	var n atomic.Int64
	return map[string]func() (tfprotov6.ProviderServer, error){
		"live": func() (tfprotov6.ProviderServer, error) {
			return providerserver.NewProtocol6WithError(New(fmt.Sprintf("rate-%d", n.Add(1)))())()
		},
	}
}

// clientArrivals records when each User-Agent's requests arrived.
type clientArrivals struct {
	mu sync.Mutex
	at map[string][]time.Time
}

func (a *clientArrivals) byClient() map[string][]time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.at
}

// startPacedEmulator is startEmulator with the arrival times of every
// request kept by User-Agent.
func startPacedEmulator(t *testing.T, opts emulator.Options) (*testEmulator, *clientArrivals) {
	t.Helper()
	emu := emulator.New(opts)
	arrivals := &clientArrivals{at: make(map[string][]time.Time)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrivals.mu.Lock()
		arrivals.at[r.UserAgent()] = append(arrivals.at[r.UserAgent()], time.Now())
		arrivals.mu.Unlock()
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return &testEmulator{Server: emu, URL: srv.URL}, arrivals
}

func countIn[T any](records []T, at func(T) time.Time, start, end time.Time) int {
	n := 0
	for _, r := range records {
		if t := at(r); !t.Before(start) && t.Before(end) {
			n++
		}
	}
	return n
}

func pagesOf(records, pageSize int) int {
	return max(1, int(math.Ceil(float64(records)/float64(pageSize))))
}

// TestAccProvider_configuration covers provider arguments that are refused
// before any call, and a missing credential.
func TestAccProvider_configuration(t *testing.T) {
	requireAcc(t)
	k := streamKind
	emu := startEmulator(t, emulator.Options{})
	data := fmt.Sprintf(dataSourceConfig, k.name, fmt.Sprintf(lookbackBody, k.fixtureDomain, "1h"))
	// No credential anywhere: the default chain finds nothing.
	for _, env := range []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_ACCESS_KEY",
		"ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_CREDENTIALS_FILE",
		"ALIBABA_CLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_ECS_METADATA"} {
		t.Setenv(env, "")
		os.Unsetenv(env)
	}
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	t.Setenv("HOME", t.TempDir())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      fmt.Sprintf(endpointOnlyProvider, emu.URL) + data,
				ExpectError: regexp.MustCompile(`(?s)No usable Alibaba Cloud credentials.*access_key\s+and\s+secret_key`),
			},
			{
				Config:      emu.providerConfig("max_qps = 500") + data,
				ExpectError: regexp.MustCompile(`(?s)max_qps.*between 0.1\d* and 100`),
			},
			{
				Config:      fmt.Sprintf(accessKeyOnlyProvider, emu.URL) + data,
				ExpectError: regexp.MustCompile(`(?s)secret_key.*must be specified when.*access_key`),
			},
			{
				Config:      fmt.Sprintf(ftpProvider, emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret) + data,
				ExpectError: regexp.MustCompile(`(?s)Invalid endpoint.*http://\s+or\s+https://`),
			},
		},
	})
	if n := emu.Stats().Requests; n != 0 {
		t.Errorf("refused configurations made %d API calls", n)
	}
}
