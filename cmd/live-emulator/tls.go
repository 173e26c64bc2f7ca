package main

// HTTPS mode (-tls -ca-out PATH): the emulator as a private endpoint whose
// certificate no system trusts, for trying custom_ca_bundle and
// ALIBABA_CLOUD_CA_BUNDLE, or the certificate error without them.

import (
	"crypto/tls"
	"errors"
	"net"
	"os"

	"github.com/callbackwatch/terraform-provider-live/internal/tlstest"
)

// checkTLSFlags: a CA file without TLS, or TLS without a CA file a client
// could trust, is a mistake.
func checkTLSFlags(c config) error {
	switch {
	case c.tls && c.caOut == "":
		return errors.New("-tls needs -ca-out PATH: clients trust the emulator only through that CA file")
	case !c.tls && c.caOut != "":
		return errors.New("-ca-out is only for -tls")
	}
	return nil
}

// listenTLS makes a CA for this run, writes its certificate to caOut and
// wraps ln in TLS with a certificate the CA issued for the loopback names and
// the host of listen. The returned function removes caOut.
func listenTLS(ln net.Listener, listen, caOut string) (net.Listener, func(), error) {
	ca, err := tlstest.NewCA("live-emulator CA")
	if err != nil {
		return nil, nil, err
	}
	hosts := append([]string(nil), tlstest.LocalHosts...)
	if host, _, err := net.SplitHostPort(listen); err == nil && host != "" && !isLocal(host) {
		if ip := net.ParseIP(host); ip == nil || !ip.IsUnspecified() {
			hosts = append(hosts, host)
		}
	}
	cfg, err := ca.ServerConfig(hosts...)
	if err != nil {
		return nil, nil, err
	}
	if err := writeFileAtomic(caOut, string(ca.PEM)); err != nil {
		return nil, nil, err
	}
	return tls.NewListener(ln, cfg), func() { _ = os.Remove(caOut) }, nil
}

func isLocal(host string) bool {
	for _, h := range tlstest.LocalHosts {
		if h == host {
			return true
		}
	}
	return false
}
