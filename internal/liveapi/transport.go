package liveapi

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
)

// ParseProxyURL parses a proxy address as net/http and httpproxy read the
// proxy environment variables ("host:port" means http://host:port), but
// refuses what they would silently ignore: an address that does not parse,
// has no host, or names a scheme net/http cannot use.
func ParseProxyURL(s string) (*url.URL, error) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		// "proxy.example.com:3128" parses with the host as its scheme.
		if withScheme, err2 := url.Parse("http://" + s); err2 == nil && !strings.Contains(s, "://") {
			u, err = withScheme, nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL: %w", s, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "socks5", "socks5h":
	default:
		return nil, fmt.Errorf("%q has the scheme %q; a proxy is http://, https://, socks5:// or socks5h://", s, u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%q has no host", s)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q has a path, query or fragment; a proxy is scheme://host:port", s)
	}
	return u, nil
}

// ErrNoCertificates marks a CA bundle that holds no PEM certificate.
var ErrNoCertificates = errors.New("no PEM certificate")

// LoadCABundle reads a PEM file of certificate authorities and returns the
// system's trusted roots plus them, and how many it added. A file that
// cannot be read, a CERTIFICATE block that does not parse and a file without
// any certificate are errors, so that a wrong path never silently leaves the
// endpoint untrusted.
func LoadCABundle(path string) (*x509.CertPool, int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	n := 0
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue // Keys and other blocks are not ours to judge.
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: certificate %d does not parse: %w", path, n+1, err)
		}
		pool.AddCert(cert)
		n++
	}
	if n == 0 {
		return nil, 0, fmt.Errorf("%s: %w (a file of -----BEGIN CERTIFICATE----- blocks)", path, ErrNoCertificates)
	}
	return pool, n, nil
}
