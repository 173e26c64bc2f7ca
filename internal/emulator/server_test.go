package emulator_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"

	"sync"
	"sync/atomic"
	"time"
)

// Both signature styles enter one pipeline: the same query answers the same
// page and the counters count both under the action's name. The V3 half is
// the SDK request the rest of the suite makes, unchanged.
func TestBothStylesShareThePipeline(t *testing.T) {
	e := newEnv(t, emulator.Options{})
	v3 := e.client(t)
	rpc := rpcClient(t, emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret, "")
	for _, a := range apis {
		p := fullWindow(fixedNow, params{Domain: "live1.example.com", PageSize: 7, PageNumber: 3})
		e.emu.ResetStats()
		pg, err := a.fetch(context.Background(), v3, p)
		if err != nil {
			t.Fatalf("%s V3: %v", a.name, err)
		}
		resp, err := rpc.ProcessCommonRequest(e.rpcRequest(http.MethodGet, a.name, map[string]string{
			"DomainName": p.Domain, "StartTime": p.Start, "EndTime": p.End,
			"PageSize": itoa(p.PageSize), "PageNumber": itoa(p.PageNumber),
		}, false))
		if err != nil {
			t.Fatalf("%s RPC: %v", a.name, err)
		}
		answer, rows := decodeRPCAnswer(t, resp.GetHttpContentBytes())
		if len(pg.rows) != 7 || !slices.Equal(rows, pg.rows) || answer.TotalNum != int(pg.totalNum) {
			t.Fatalf("%s: the RPC page differs from the V3 page:\n got %+v\nwant %+v", a.name, rows, pg.rows)
		}
		if st := e.emu.Stats(); st.ByAction[a.name] != 2 || len(st.ByAction) != 1 {
			t.Fatalf("%s: ByAction %v", a.name, st.ByAction)
		}
	}
}

// MaxQPS limits an AccessKeyId, not a signature style: a V3 call spends the
// quota an RPC call in the same second then lacks.
func TestBothStylesShareTheQuota(t *testing.T) {
	e := newEnv(t, emulator.Options{MaxQPS: 1})
	if _, err := recordAPI.fetch(context.Background(), e.client(t), fixtureParams()); err != nil {
		t.Fatal(err)
	}
	rpc := rpcClient(t, emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret, "")
	_, err := rpc.ProcessCommonRequest(e.rpcRequest(http.MethodGet, recordAPI.name, validQuery(fixedNow, recordAPI.fixtureDomain), false))
	var serverErr *sdkerrors.ServerError
	if !errors.As(err, &serverErr) || serverErr.ErrorCode() != "Throttling.User" || serverErr.HttpStatus() != http.StatusBadRequest {
		t.Fatalf("RPC call after the V3 call spent the second's quota: %v", err)
	}
}

func TestLatency(t *testing.T) {
	const latency = 150 * time.Millisecond
	e := newEnv(t, emulator.Options{Latency: latency})
	c := e.client(t)
	start := time.Now()
	if _, err := recordAPI.fetch(context.Background(), c, fixtureParams()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < latency {
		t.Fatalf("answered after %s, want >= %s", d, latency)
	}

	// A client that gives up is not answered, and the server stops waiting.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := recordAPI.fetch(ctx, c, fixtureParams()); err == nil {
		t.Fatal("call with a 30ms deadline succeeded against 150ms latency")
	}
	waitFor(t, func() bool { return e.emu.Stats().Canceled == 1 })
	if st := e.emu.Stats(); st.ByStatus[200] != 1 || st.Requests != 2 {
		t.Errorf("stats %+v", st)
	}
}

// Many clients at once, while records are being added: run with -race.
func TestConcurrentClients(t *testing.T) {
	e := newEnv(t, emulator.Options{Latency: 5 * time.Millisecond})
	const workers, calls = 16, 10
	var failures atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() { // a writer inserting records into the domain being read
		for i := 0; i < 500; i++ {
			select {
			case <-stop:
				return
			default:
			}
			e.emu.AddRecordCallbacks(emulator.RecordCallback{Notify: emulator.Notify{
				DomainName: "paging.example.com", AppName: "live", StreamName: "w" + itoa(i),
				NotifyTime: fixedNow.Add(-time.Duration(i) * time.Second), NotifyResult: "success", NotifyType: "file_created",
			}, StorageType: "oss"})
			time.Sleep(2 * time.Millisecond)
		}
	})
	var readers sync.WaitGroup
	for w := range workers {
		readers.Go(func() {
			c := e.client(t, ownHTTPClient()) // see ownHTTPClient: the SDK's shared client races
			a := apis[w%2]
			for n := 1; n <= calls; n++ {
				pg, err := a.fetch(context.Background(), c, fullWindow(fixedNow, params{Domain: "paging.example.com", PageSize: 50, PageNumber: n, Status: []string{"", "success", "failed"}[n%3]}))
				if err != nil || len(pg.rows) == 0 && n <= int(pg.totalPage) {
					failures.Add(1)
					t.Errorf("worker %d call %d: %v", w, n, err)
				}
			}
		})
	}
	readers.Wait()
	close(stop)
	wg.Wait()
	st := e.emu.Stats()
	if failures.Load() != 0 || st.ByStatus[200] != workers*calls || st.InFlight != 0 {
		t.Errorf("stats %+v", st)
	}
	if st.PeakInFlight < 2 {
		t.Errorf("PeakInFlight %d: requests did not overlap", st.PeakInFlight)
	}
}
