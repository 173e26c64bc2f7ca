package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	live "github.com/alibabacloud-go/live-20161101/v3/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/callbackwatch/terraform-provider-live/internal/emulator"
	"github.com/callbackwatch/terraform-provider-live/internal/liveapi"
)

// TestMain lets the test binary act as the command (see TestSignal).
func TestMain(m *testing.M) {
	if os.Getenv("LIVE_EMULATOR_RUN_MAIN") == "1" {
		os.Args = append([]string{"live-emulator"}, strings.Fields(os.Getenv("LIVE_EMULATOR_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var listening = regexp.MustCompile(`^live-emulator listening on (http://127\.0\.0\.1:\d+)\n$`)

// readLine returns the first stdout line, failing after a timeout.
func readLine(t *testing.T, r io.Reader) string {
	t.Helper()
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- s
	}()
	select {
	case s := <-line:
		return s
	case <-time.After(20 * time.Second):
		t.Fatal("no stdout line within 20s")
		return ""
	}
}

func query(t *testing.T, endpoint, id, secret, token string) (*live.DescribeLiveStreamsNotifyRecordsResponse, error) {
	t.Helper()
	cfg := &openapi.Config{AccessKeyId: tea.String(id), AccessKeySecret: tea.String(secret),
		Endpoint: tea.String(strings.TrimPrefix(endpoint, "http://")), Protocol: tea.String("HTTP")}
	if token != "" {
		cfg.SecurityToken = tea.String(token)
	}
	c, err := live.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.Client.DisableSDKError = tea.Bool(true)
	now := time.Now().UTC()
	return c.DescribeLiveStreamsNotifyRecordsWithContext(context.Background(), &live.DescribeLiveStreamsNotifyRecordsRequest{
		DomainName: tea.String(emulator.FixtureStreamDomain),
		StartTime:  tea.String(now.Add(-24 * time.Hour).Format(emulator.TimeLayout)),
		EndTime:    tea.String(now.Format(emulator.TimeLayout)),
	}, &dara.RuntimeOptions{})
}

// queryRPC reads the stream fixture domain through alibaba-cloud-sdk-go, which
// signs in the RPC style like the aliyun CLI, and returns TotalNum.
func queryRPC(t *testing.T, endpoint, id, secret, token string) (int, error) {
	t.Helper()
	c, err := sdk.NewClientWithOptions("cn-shanghai", sdk.NewConfig(), credentials.NewStsTokenCredential(id, secret, token))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Shutdown()
	req := requests.NewCommonRequest()
	req.Scheme, req.Domain = "http", strings.TrimPrefix(endpoint, "http://")
	req.Version, req.ApiName = emulator.APIVersion, emulator.ActionDescribeLiveStreamsNotifyRecords
	now := time.Now().UTC()
	req.QueryParams["DomainName"] = emulator.FixtureStreamDomain
	req.QueryParams["StartTime"] = now.Add(-24 * time.Hour).Format(emulator.TimeLayout)
	req.QueryParams["EndTime"] = now.Format(emulator.TimeLayout)
	resp, err := c.ProcessCommonRequest(req)
	if err != nil {
		return 0, err
	}
	var body struct{ TotalNum int }
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &body); err != nil {
		t.Fatalf("%v: %s", err, resp.GetHttpContentBytes())
	}
	return body.TotalNum, nil
}

func TestRunServesUntilCanceled(t *testing.T) {
	addrFile := filepath.Join(t.TempDir(), "addr")
	ctx, cancel := context.WithCancel(context.Background())
	stdoutR, stdoutW := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-seed", "3", "-addr-file", addrFile, "-access-key-id", "LTAI5tDemo",
			"-access-key-secret", "demo-secret", "-security-token", "tok"}, stdoutW, &stderr)
	}()

	m := listening.FindStringSubmatch(readLine(t, stdoutR))
	if m == nil {
		t.Fatal("stdout line does not match")
	}
	endpoint := m[1]
	if b, err := os.ReadFile(addrFile); err != nil || string(b) != endpoint+"\n" {
		t.Fatalf("addr file %q, %v", b, err)
	}
	resp, err := query(t, endpoint, "LTAI5tDemo", "demo-secret", "tok")
	if err != nil || tea.Int32Value(resp.Body.TotalNum) != 2 {
		t.Fatalf("query: %v %v", resp, err)
	}
	if _, err := query(t, endpoint, emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret, ""); err == nil {
		t.Fatal("default key accepted although -access-key-id replaced it")
	}
	if n, err := queryRPC(t, endpoint, "LTAI5tDemo", "demo-secret", "tok"); err != nil || n != 2 {
		t.Fatalf("RPC-signed query: TotalNum %d, %v", n, err)
	}
	if _, err := queryRPC(t, endpoint, "LTAI5tDemo", "demo-secret", "other-token"); err == nil {
		t.Fatal("RPC-signed query with another STS token accepted")
	}

	stopRun(t, cancel, done)
	if _, err := os.Stat(addrFile); !os.IsNotExist(err) {
		t.Errorf("addr file left behind: %v", err)
	}
}

// stopRun cancels a run and waits for it to return cleanly.
func stopRun(t *testing.T, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancel")
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-latency", "-1s"},
		{"-max-qps", "-3"},
		{"-start-time-grace", "-1s"},
		{"-access-key-secret", ""},
		{"-listen", "256.0.0.1:1"},
		{"extra"},
		{"-no-such-flag"},
		{"-tls"},
		{"-ca-out", "ca.pem"},
	} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
	if err := run(context.Background(), []string{"-h"}, io.Discard, io.Discard); err != nil {
		t.Errorf("-h: %v", err)
	}
}

func TestEdgeFlags(t *testing.T) {
	c, err := parseFlags([]string{"-start-time-grace", "1m", "-shuffle-ties", "-flagged-code", "1001", "-flagged-msg", "busy"}, io.Discard)
	if err != nil || c.startTimeGrace != time.Minute || !c.shuffleTies || c.flaggedCode != 1001 || c.flaggedMsg != "busy" {
		t.Fatalf("%+v, %v", c, err)
	}
	if c, err := parseFlags(nil, io.Discard); err != nil || c.startTimeGrace != 0 || c.shuffleTies || c.flaggedCode != 0 {
		t.Fatalf("defaults must be strict and fault-free: %+v, %v", c, err)
	}
}

// TestSignal runs the real main in a child process and stops it with
// SIGINT and SIGTERM.
func TestSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "LIVE_EMULATOR_RUN_MAIN=1", "LIVE_EMULATOR_ARGS=-max-qps 50 -latency 1ms")
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = cmd.Process.Kill() })
			m := listening.FindStringSubmatch(readLine(t, stdout))
			if m == nil {
				t.Fatalf("no listening line; stderr: %s", stderr.String())
			}
			if _, err := query(t, m[1], emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret, ""); err != nil {
				t.Fatalf("query: %v", err)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			waited := make(chan error, 1)
			go func() { waited <- cmd.Wait() }()
			select {
			case err := <-waited:
				if err != nil {
					t.Fatalf("exit after %s: %v; stderr: %s", sig, err, stderr.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("still running 10s after %s", sig)
			}
			if !strings.Contains(stderr.String(), "shutting down") {
				t.Errorf("stderr: %s", stderr.String())
			}
		})
	}
}

// TestTLS: with -tls the emulator serves HTTPS under a CA made for the run,
// written to -ca-out before the stdout line and removed on exit. A client
// trusting that file reads; one that does not fails on the certificate.
func TestTLS(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	ctx, cancel := context.WithCancel(context.Background())
	stdoutR, stdoutW := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-tls", "-ca-out", caFile}, stdoutW, io.Discard) }()

	line := readLine(t, stdoutR)
	m := regexp.MustCompile(`^live-emulator listening on (https://127\.0\.0\.1:\d+)\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("stdout line %q", line)
	}
	roots, n, err := liveapi.LoadCABundle(caFile)
	if err != nil || n != 1 {
		t.Fatalf("the CA file: %d certificates, %v", n, err)
	}
	read := func(roots *x509.CertPool) error {
		ep, err := liveapi.ParseEndpoint(m[1])
		if err != nil {
			t.Fatal(err)
		}
		cred, _, err := liveapi.NewCredential(liveapi.CredentialConfig{AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret})
		if err != nil {
			t.Fatal(err)
		}
		c, err := liveapi.New(liveapi.Config{Endpoint: &ep, Credential: cred, RootCAs: roots})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		_, err = liveapi.List(context.Background(), c, liveapi.StreamNotifyRecords, liveapi.Query{DomainName: emulator.FixtureStreamDomain, StartTime: now.Add(-time.Hour), EndTime: now})
		return err
	}
	if err := read(roots); err != nil {
		t.Errorf("trusting the CA file: %v", err)
	}
	var apiErr *liveapi.APIError
	if err := read(nil); !errors.As(err, &apiErr) || apiErr.Class != liveapi.ClassCertificate {
		t.Errorf("without the CA file: %v, want a certificate error", err)
	}

	stopRun(t, cancel, done)
	if _, err := os.Stat(caFile); !os.IsNotExist(err) {
		t.Errorf("the CA file was left behind: %v", err)
	}
}
