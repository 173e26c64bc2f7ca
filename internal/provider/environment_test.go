package provider

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// TestConfigureRegion: the region the API requests carry (their RegionId)
// is the block's region, else the first of ALIBABA_CLOUD_REGION_ID,
// ALIBABA_CLOUD_REGION and ALICLOUD_REGION that is set and not empty, else
// cn-shanghai, as the region argument's description promises.
func TestConfigureRegion(t *testing.T) {
	for _, c := range []struct {
		name  string
		block string
		env   map[string]string
		want  string
	}{
		{name: "default", want: "cn-shanghai"},
		{name: "ALICLOUD_REGION", env: map[string]string{"ALICLOUD_REGION": "cn-hangzhou"}, want: "cn-hangzhou"},
		{name: "ALIBABA_CLOUD_REGION before ALICLOUD_REGION",
			env: map[string]string{"ALIBABA_CLOUD_REGION": "cn-beijing", "ALICLOUD_REGION": "cn-hangzhou"}, want: "cn-beijing"},
		{name: "ALIBABA_CLOUD_REGION_ID before both",
			env:  map[string]string{"ALIBABA_CLOUD_REGION_ID": "ap-southeast-1", "ALIBABA_CLOUD_REGION": "cn-beijing", "ALICLOUD_REGION": "cn-hangzhou"},
			want: "ap-southeast-1"},
		{name: "an empty variable is unset",
			env: map[string]string{"ALIBABA_CLOUD_REGION_ID": "", "ALIBABA_CLOUD_REGION": "cn-beijing"}, want: "cn-beijing"},
		{name: "the block wins", block: "eu-central-1",
			env:  map[string]string{"ALIBABA_CLOUD_REGION_ID": "ap-southeast-1", "ALIBABA_CLOUD_REGION": "cn-beijing", "ALICLOUD_REGION": "cn-hangzhou"},
			want: "eu-central-1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			clearProviderEnv(t)
			for name, v := range c.env {
				t.Setenv(name, v)
			}
			var mu sync.Mutex
			var sent []string
			emu := emulator.New(emulator.Options{Domains: []emulator.DomainSpec{}, NoCaseDomains: true}) // the fixtures only
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				sent = append(sent, r.URL.Query().Get("RegionId"))
				mu.Unlock()
				emu.ServeHTTP(w, r)
			}))
			defer srv.Close()
			extra := map[string]tftypes.Value{}
			if c.block != "" {
				extra["region"] = str(c.block)
			}
			server := NewProtocol6Server("test")()
			schemas := configuredWith(t, server, srv.URL, extra)
			readState(t, server, schemas, streamKind.name, map[string]tftypes.Value{
				"domain_name": str(emulator.FixtureStreamDomain), "lookback": str("24h"),
			})
			mu.Lock()
			defer mu.Unlock()
			if len(sent) == 0 || slices.ContainsFunc(sent, func(r string) bool { return r != c.want }) {
				t.Errorf("the requests carried RegionId %q, want %q", sent, c.want)
			}
		})
	}
}
