package cli

import (
	"strings"
	"testing"
	"time"

	"workbench/testutil"
)

func TestParseTimeFlagTakesDockersForms(t *testing.T) {
	utc := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for in, want := range map[string]time.Time{
		"10m":                            testNow.Add(-10 * time.Minute),
		"1h30m":                          testNow.Add(-90 * time.Minute),
		"2024-05-01T11:00:00Z":           utc("2024-05-01T11:00:00Z"),
		"2024-05-01T11:00:00.5Z":         utc("2024-05-01T11:00:00.5Z"),
		"2024-05-01T11:00:00.123456789Z": utc("2024-05-01T11:00:00.123456789Z"),
		"2024-05-01T13:00:00+02:00":      utc("2024-05-01T11:00:00Z"),
		"2024-05-01T09:00:00-02:00":      utc("2024-05-01T11:00:00Z"),
		"2024-05-01T11:00:00":            utc("2024-05-01T11:00:00Z"), // local time: UTC here
		"2024-05-01T11:30":               utc("2024-05-01T11:30:00Z"),
		"2024-05-01T11":                  utc("2024-05-01T11:00:00Z"),
		"2024-05-01":                     utc("2024-05-01T00:00:00Z"),
		"2024-05-01Z":                    utc("2024-05-01T00:00:00Z"),
		"1714560000":                     time.Unix(1714560000, 0),
		"1714560000.25":                  time.Unix(1714560000, 250000000),
		"0":                              time.Unix(0, 0),
	} {
		got, err := parseTimeFlag("since", in, testNow)
		if err != nil || !got.Equal(want) {
			t.Errorf("--since %s = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "yesterday", "10x", "2024-13-01", "2024-05-01T25:00:00Z", "1714560000.", ".5", "+5", "1.2.3", "2024-05-01T11:00:00+25:00", "1.1234567890"} {
		_, err := parseTimeFlag("since", in, testNow)
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "--since") {
			t.Errorf("--since %q: %v; want one line that names --since", in, err)
		}
	}
}

// FuzzParseTimeFlag gives --since any value: no panic, and a value refused gets one
// line naming the flag.
func FuzzParseTimeFlag(f *testing.F) {
	testutil.Seed(f, "10m", "2024-05-01T11:00:00Z", "2024-05-01T13:00:00+02:00", "2024-05-01", "1714560000.25", "0", "-", "T", "--", "1e9", "9999999999999999999", "2024-05-01T11:00:00.", "\x00")
	now := time.Now()
	f.Fuzz(func(t *testing.T, value string) {
		_, err := parseTimeFlag("since", value, now)
		if err != nil && (strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "--since ")) {
			t.Fatalf("%q: %q is not one line naming the flag", value, err)
		}
	})
}
