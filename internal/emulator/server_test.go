package emulator_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
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
