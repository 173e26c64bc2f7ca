package liveapi

import (
	"fmt"
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	stop, err := startCloudStubs()
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the metadata and STS stubs:", err)
		os.Exit(1)
	}
	code := m.Run()
	stop()
	os.Exit(code)
}
