package liveapi

import (
	"testing"
)

func TestQueryParams(t *testing.T) {
	q := Query{DomainName: "example.com", AppName: "app", Status: "failed", StorageType: "oss"}
	q.StartTime = mustTime(t, "2024-05-01T16:00:00+08:00")
	q.EndTime = mustTime(t, "2024-05-01T17:00:00+08:00")
	p := q.params("cn-shanghai", 3, false)
	want := map[string]string{"DomainName": "example.com", "AppName": "app", "Status": "failed", "RegionId": "cn-shanghai",
		"StartTime": "2024-05-01T08:00:00Z", "EndTime": "2024-05-01T09:00:00Z", "PageSize": "500", "PageNumber": "3"}
	if len(p) != len(want) {
		t.Errorf("params: got %d keys, want %d: %v", len(p), len(want), p)
	}
	for k, v := range want {
		if p[k] == nil || *p[k] != v {
			t.Errorf("param %s: got %v, want %s", k, p[k], v)
		}
	}
	if _, ok := q.params("", 1, true)["StorageType"]; !ok {
		t.Errorf("StorageType must be sent to the record action")
	}
}
