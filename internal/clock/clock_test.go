package clock

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

func TestSleep(t *testing.T) {
	start := time.Now()
	if err := Sleep(context.Background(), 20*time.Millisecond); err != nil || time.Since(start) < 20*time.Millisecond {
		t.Errorf("Sleep(20ms) = %v after %s", err, time.Since(start))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep with a canceled context = %v", err)
	}
	// Nothing to wait for: no error even from a canceled context.
	if err := Sleep(ctx, 0); err != nil {
		t.Errorf("Sleep(0) = %v", err)
	}
}

// TestWatchStalls keeps the process from running the watcher for a while:
// with one P, a goroutine that spins without yielding holds it until the
// runtime preempts it, 10 ms at the soonest, so the watcher must report a
// stall of at least 5 ms. A busy machine only makes the stall longer.
func TestWatchStalls(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	stop := WatchStalls()
	time.Sleep(5 * time.Millisecond) // let the watcher start sleeping
	spin(50 * time.Millisecond)
	if d := stop(); d < 5*time.Millisecond {
		t.Errorf("longest stall %s while the only P spun for 50ms", d)
	}
}

// spin burns the CPU for d without a call that yields.
func spin(d time.Duration) {
	end := time.Now().Add(d)
	for n := 0; time.Now().Before(end); n++ {
		for range 1000 {
			n ^= n << 1
		}
	}
}
