package core

import (
	"fmt"
	"strings"
)

// ParseEnv reads one -e option. "K=V" sets K; a bare "K" takes K's value from
// lookup (the caller's environment) and is dropped when it has none, as Docker does.
func ParseEnv(s string, lookup func(string) (string, bool)) (kv string, ok bool, err error) {
	key, val, hasValue := strings.Cut(s, "=")
	if err := checkEnvKey(key); err != nil {
		return "", false, fmt.Errorf("-e %q: %w", s, err)
	}
	if strings.ContainsRune(val, 0) {
		return "", false, fmt.Errorf("-e %q: a value may not contain a NUL byte", s)
	}
	if hasValue {
		return key + "=" + val, true, nil
	}
	if lookup == nil {
		return "", false, nil
	}
	v, found := lookup(key)
	if !found {
		return "", false, nil
	}
	return key + "=" + v, true, nil
}

func checkEnvKey(key string) error {
	if key == "" {
		return fmt.Errorf("the variable name is empty: use NAME=VALUE, e.g. -e DEBUG=1")
	}
	if strings.ContainsAny(key, "\x00 \t\n") {
		return fmt.Errorf("the variable name %q has white space or a NUL byte: use NAME=VALUE", key)
	}
	return nil
}

// MergeEnv overlays the variables of over on base: a key set in both takes over's
// value, in base's position; new keys keep their order at the end.
func MergeEnv(base, over []string) []string {
	out := append([]string(nil), base...)
	index := map[string]int{}
	for i, kv := range out {
		k, _, _ := strings.Cut(kv, "=")
		index[k] = i
	}
	for _, kv := range over {
		k, _, _ := strings.Cut(kv, "=")
		if i, ok := index[k]; ok {
			out[i] = kv
			continue
		}
		index[k] = len(out)
		out = append(out, kv)
	}
	return out
}

// envValue is the value of key in env, or "".
func envValue(env []string, key string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(env[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}
