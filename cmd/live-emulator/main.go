// Command live-emulator serves the ApsaraVideo Live callback-record API
// emulator (internal/emulator) over plain HTTP, or over HTTPS with -tls, for
// demos and manual tests. It verifies both signature styles of the real
// gateway, so every official client can talk to it: ACS3-HMAC-SHA256 (V3),
// as the darabonba SDKs such as github.com/alibabacloud-go/live-20161101/v3
// sign, and the RPC style (HMAC-SHA1, SignatureVersion 1.0), as
// github.com/aliyun/alibaba-cloud-sdk-go, the aliyun CLI and most scripts
// sign. CONTRIBUTING.md shows how to point the aliyun CLI or a script at it.
//
// On start it prints exactly one line to stdout,
//
//	live-emulator listening on http://127.0.0.1:PORT
//
// (https:// with -tls), which scripts parse to find the endpoint; everything
// else goes to stderr. It stops cleanly on SIGINT or SIGTERM.
//
// With -tls -ca-out PATH it makes a certificate authority for the run, serves
// HTTPS with a certificate that CA issued for 127.0.0.1, ::1, localhost and
// the -listen host, and writes the CA's PEM certificate to PATH before the
// stdout line (removed on exit). No system trusts that CA: point the
// provider's custom_ca_bundle (or ALIBABA_CLOUD_CA_BUNDLE) at PATH, and leave
// it out to see the certificate error.
//
// Usage:
//
//	live-emulator [-listen 127.0.0.1:0] [-seed N] [-latency 50ms] [-max-qps 100]
//	              [-access-key-id ID -access-key-secret SECRET [-security-token T]]
//	              [-start-time-grace 1m] [-shuffle-ties] [-flagged-code 1001 [-flagged-msg TEXT]]
//	              [-tls -ca-out PATH] [-addr-file PATH] [-v]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
)

// shutdownTimeout bounds how long in-flight requests may take to finish
// after a signal.
const shutdownTimeout = 5 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "live-emulator:", err)
		stop()
		os.Exit(1)
	}
}

type config struct {
	listen, addrFile             string
	accessKeyID, accessKeySecret string
	securityToken                string
	seed                         int64
	latency                      time.Duration
	maxQPS                       float64
	verbose                      bool
	startTimeGrace               time.Duration
	shuffleTies                  bool
	flaggedCode                  int
	flaggedMsg                   string
	tls                          bool
	caOut                        string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("live-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.listen, "listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	fs.Int64Var(&c.seed, "seed", 0, "seed of the generated data set")
	fs.DurationVar(&c.latency, "latency", 0, "delay added to every request, e.g. 50ms")
	fs.Float64Var(&c.maxQPS, "max-qps", 0, "per-AccessKeyId request limit; excess answers 400 Throttling.User (0 = unlimited)")
	fs.StringVar(&c.accessKeyID, "access-key-id", emulator.DefaultAccessKeyID, "the accepted AccessKeyId")
	fs.StringVar(&c.accessKeySecret, "access-key-secret", emulator.DefaultAccessKeySecret, "the accepted AccessKey secret")
	fs.StringVar(&c.securityToken, "security-token", "", "if set, the key is an STS key and requests must carry this token")
	fs.StringVar(&c.addrFile, "addr-file", "", "also write the endpoint URL (same as the stdout line) to this file; removed on exit")
	fs.BoolVar(&c.verbose, "v", false, "log every request to stderr")
	fs.DurationVar(&c.startTimeGrace, "start-time-grace", 0, "tolerance beyond 7 days before a StartTime is rejected (0 = strict to the second, as documented)")
	fs.BoolVar(&c.shuffleTies, "shuffle-ties", false, "answer records that share a NotifyTime in a new random order on every request")
	fs.IntVar(&c.flaggedCode, "flagged-code", 0, "answer DescribeLiveRecordNotifyRecords with HTTP 200, this non-zero Code and an empty list (0 = off)")
	fs.StringVar(&c.flaggedMsg, "flagged-msg", "flagged by the emulator", "the Msg of -flagged-code answers")
	fs.BoolVar(&c.tls, "tls", false, "serve HTTPS with a certificate from a CA made for this run (needs -ca-out)")
	fs.StringVar(&c.caOut, "ca-out", "", "with -tls, write the CA's PEM certificate to this file, for custom_ca_bundle; removed on exit")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	case c.accessKeyID == "" || c.accessKeySecret == "":
		return c, errors.New("-access-key-id and -access-key-secret must not be empty")
	case c.latency < 0:
		return c, errors.New("-latency must not be negative")
	case c.maxQPS < 0:
		return c, errors.New("-max-qps must not be negative")
	case c.startTimeGrace < 0:
		return c, errors.New("-start-time-grace must not be negative")
	}
	return c, checkTLSFlags(c)
}

// run serves until ctx is done. It is main without the process concerns,
// so that tests can drive it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}

	opts := emulator.Options{
		Seed:           cfg.seed,
		Latency:        cfg.latency,
		MaxQPS:         cfg.maxQPS,
		StartTimeGrace: cfg.startTimeGrace,
		ShuffleTies:    cfg.shuffleTies,
		Faults:         emulator.Faults{FlaggedAnswer: emulator.Flag{Code: cfg.flaggedCode, Msg: cfg.flaggedMsg}},
		Credentials: map[string]emulator.Credential{
			cfg.accessKeyID: {Secret: cfg.accessKeySecret, SecurityToken: cfg.securityToken},
		},
	}
	logger := log.New(stderr, "live-emulator: ", log.LstdFlags|log.Lmicroseconds)
	if cfg.verbose {
		opts.Logf = logger.Printf
	}
	emu := emulator.New(opts)

	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	if cfg.tls {
		tlsLn, removeCA, err := listenTLS(ln, cfg.listen, cfg.caOut)
		if err != nil {
			_ = ln.Close()
			return err
		}
		defer removeCA()
		ln, url = tlsLn, "https://"+ln.Addr().String()
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	if cfg.addrFile != "" {
		if err := writeFileAtomic(cfg.addrFile, url+"\n"); err != nil {
			_ = srv.Close()
			return err
		}
		defer os.Remove(cfg.addrFile)
	}
	// The one stdout line, written only once the listener accepts
	// connections and the address file (if any) exists.
	fmt.Fprintf(stdout, "live-emulator listening on %s\n", url)
	logger.Printf("%d domains, AccessKeyId %s, seed %d, latency %s, max-qps %g",
		len(emu.Domains()), cfg.accessKeyID, cfg.seed, cfg.latency, cfg.maxQPS)

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	logger.Printf("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// writeFileAtomic writes through a temporary file and a rename, so a script
// polling for the file never reads it half-written.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".live-emulator-addr-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
