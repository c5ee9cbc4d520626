package tui

import (
	"os"
	"runtime/pprof"
	"time"
)

func init() {
	if p := os.Getenv("WB_PROF"); p != "" {
		f, _ := os.Create(p)
		pprof.StartCPUProfile(f)
		go func() { time.Sleep(25 * time.Second); pprof.StopCPUProfile(); f.Close() }()
	}
}
