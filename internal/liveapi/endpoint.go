package liveapi

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Endpoint is where requests go: a host[:port] and the scheme to use.
type Endpoint struct {
	Host     string // host or host:port
	Protocol string // "HTTPS" or "HTTP"
}

// ParseEndpoint accepts "host[:port]" (HTTPS) or an http:// or https:// URL
// without a path, as the provider's endpoint argument does.
func ParseEndpoint(s string) (Endpoint, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Endpoint{}, fmt.Errorf("endpoint is empty")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return Endpoint{}, fmt.Errorf("endpoint %q is not a host[:port] or URL: %w", s, err)
	}
	var protocol string
	switch strings.ToLower(u.Scheme) {
	case "https":
		protocol = "HTTPS"
	case "http":
		protocol = "HTTP"
	default:
		return Endpoint{}, fmt.Errorf("endpoint scheme %q is not supported: use http:// or https://", u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return Endpoint{}, fmt.Errorf("endpoint %q has no host", s)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return Endpoint{}, fmt.Errorf("endpoint %q must be a bare host[:port] or scheme://host[:port], without path, query or credentials", s)
	}
	return Endpoint{Host: u.Host, Protocol: protocol}, nil
}

// IsLoopback tells whether the endpoint host is this machine, where plain
// HTTP does not expose credentials or data to a network.
func (e Endpoint) IsLoopback() bool {
	host := e.Host
	if h, _, err := net.SplitHostPort(e.Host); err == nil {
		host = h
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
