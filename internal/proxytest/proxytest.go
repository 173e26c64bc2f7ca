// Package proxytest is a forward HTTP proxy for tests: it forwards
// absolute-URI requests (http:// through a proxy) and tunnels CONNECT
// (https:// through a proxy) to host names that only it can resolve, and
// records what it forwarded. A client that reaches such a name has proven it
// went through the proxy. It never dials a name it was not given, so tests
// stay on loopback.
package proxytest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Proxy is a running forward proxy.
type Proxy struct {
	// URL is the proxy's address, for HTTP_PROXY, HTTPS_PROXY or http_proxy.
	URL string

	srv       *httptest.Server
	resolve   map[string]string
	transport *http.Transport

	mu      sync.Mutex
	seen    []string
	tunnels []net.Conn
}

// Start serves a proxy that resolves each name of hosts (a host name, no
// port) to its IP address, keeping the port of the request; it answers 502
// for any other host.
func Start(hosts map[string]string) *Proxy {
	p := &Proxy{resolve: make(map[string]string, len(hosts))}
	for name, ip := range hosts {
		p.resolve[strings.ToLower(name)] = ip
	}
	p.transport = &http.Transport{
		Proxy: nil, // Never chain to the environment's proxy.
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			target, err := p.target(addr)
			if err != nil {
				return nil, err
			}
			return (&net.Dialer{}).DialContext(ctx, network, target)
		},
	}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	p.URL = p.srv.URL
	return p
}

// Seen lists what the proxy forwarded: "CONNECT host:port" for a tunnel,
// "METHOD http://host:port/path" for a forwarded request.
func (p *Proxy) Seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

// Close stops the proxy and its tunnels.
func (p *Proxy) Close() {
	p.mu.Lock()
	for _, c := range p.tunnels {
		_ = c.Close()
	}
	p.tunnels = nil
	p.mu.Unlock()
	p.srv.Close()
	p.transport.CloseIdleConnections()
}

// target maps host:port to the address the proxy dials.
func (p *Proxy) target(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	ip, ok := p.resolve[strings.ToLower(host)]
	if !ok {
		return "", fmt.Errorf("proxytest: %s is not a host this proxy resolves", host)
	}
	return net.JoinHostPort(ip, port), nil
}

// record notes what was forwarded, and the connections of a tunnel, which
// the server no longer tracks once hijacked, to close them with the proxy.
func (p *Proxy) record(s string, tunnel ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = append(p.seen, s)
	p.tunnels = append(p.tunnels, tunnel...)
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		p.tunnel(w, r)
		return
	}
	if !r.URL.IsAbs() {
		http.Error(w, "proxytest: a proxy request carries an absolute URI", http.StatusBadRequest)
		return
	}
	if _, err := p.target(hostPort(r.URL.Host, r.URL.Scheme)); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	p.record(r.Method + " " + r.URL.String())
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.Header.Del("Proxy-Connection")
	out.Header.Del("Proxy-Authorization")
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// tunnel answers a CONNECT and copies bytes both ways until either side
// closes: TLS stays end to end between the client and the server.
func (p *Proxy) tunnel(w http.ResponseWriter, r *http.Request) {
	target, err := p.target(r.Host)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	upstream, err := net.Dial("tcp", target)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		_ = upstream.Close()
		return
	}
	p.record("CONNECT "+r.Host, conn, upstream)
	if _, err := conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		_ = conn.Close()
		_ = upstream.Close()
		return
	}
	// buf holds whatever the client sent after the CONNECT line.
	go copyAndClose(upstream, buf.Reader, conn)
	go copyAndClose(conn, upstream, upstream)
}

func copyAndClose(dst net.Conn, src io.Reader, srcConn net.Conn) {
	_, _ = io.Copy(dst, src)
	_ = dst.Close()
	_ = srcConn.Close()
}

// hostPort adds the scheme's default port to a URL host without one.
func hostPort(host, scheme string) string {
	if _, _, err := net.SplitHostPort(host); err == nil {
		return host
	}
	if scheme == "https" {
		return net.JoinHostPort(host, "443")
	}
	return net.JoinHostPort(host, "80")
}
