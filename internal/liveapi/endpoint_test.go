package liveapi

import "testing"

func TestParseEndpoint(t *testing.T) {
	for _, tc := range []struct {
		in       string
		host     string
		protocol string
		loopback bool
		wantErr  bool
	}{
		{in: "live.aliyuncs.com", host: "live.aliyuncs.com", protocol: "HTTPS"},
		{in: "127.0.0.1:8080", host: "127.0.0.1:8080", protocol: "HTTPS", loopback: true},
		{in: "http://127.0.0.1:8080", host: "127.0.0.1:8080", protocol: "HTTP", loopback: true},
		{in: "http://localhost:1", host: "localhost:1", protocol: "HTTP", loopback: true},
		{in: "https://live.example.internal/", host: "live.example.internal", protocol: "HTTPS"},
		{in: "HTTP://[::1]:9000", host: "[::1]:9000", protocol: "HTTP", loopback: true},
		{in: "ftp://host", wantErr: true},
		{in: "https://host/path", wantErr: true},
		{in: "https://user:pw@host", wantErr: true},
		{in: "https://host?x=1", wantErr: true},
		{in: "", wantErr: true},
		{in: "http://", wantErr: true},
	} {
		ep, err := ParseEndpoint(tc.in)
		if tc.wantErr {
			if err == nil {
				t.Errorf("ParseEndpoint(%q) = %+v, want an error", tc.in, ep)
			}
			continue
		}
		if err != nil || ep.Host != tc.host || ep.Protocol != tc.protocol || ep.IsLoopback() != tc.loopback {
			t.Errorf("ParseEndpoint(%q) = %+v (loopback %v), %v; want %s %s loopback %v", tc.in, ep, ep.IsLoopback(), err, tc.host, tc.protocol, tc.loopback)
		}
	}
}
