package core

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math/big"
)

// maxNameLen bounds a container name; Docker has no limit, but a name also ends up in
// /etc/hosts lines and file names.
const maxNameLen = 128

// CheckName says whether name can name a container: Docker's rule
// [a-zA-Z0-9][a-zA-Z0-9_.-]*.
func CheckName(name string) error {
	if name == "" {
		return fmt.Errorf("container name is empty: give one made of letters, digits, '_', '.' and '-', e.g. --name web")
	}
	if len(name) > maxNameLen {
		return fmt.Errorf("container name is %d characters long: use at most %d", len(name), maxNameLen)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if i > 0 {
			ok = ok || c == '_' || c == '.' || c == '-'
		}
		if !ok {
			return fmt.Errorf("container name %q is invalid: use [a-zA-Z0-9][a-zA-Z0-9_.-]*, e.g. --name web-1", name)
		}
	}
	return nil
}

// NewID returns a random container ID of 64 hex digits.
func NewID() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

var (
	adjectives = []string{"agile", "brave", "calm", "clever", "eager", "fancy", "gentle", "happy",
		"jolly", "keen", "lucid", "merry", "nimble", "proud", "quiet", "quirky", "sharp",
		"silly", "steady", "sunny", "swift", "tender", "vivid", "witty", "zealous"}
	nouns = []string{"babbage", "curie", "darwin", "einstein", "euler", "faraday", "gauss",
		"hopper", "hypatia", "kepler", "knuth", "lamport", "lovelace", "maxwell", "newton",
		"noether", "pascal", "ritchie", "shannon", "thompson", "torvalds", "turing", "wozniak"}
)

// RandomName returns an "adjective_noun" name; taken says whether a name is in use,
// and a digit is added on a clash as Docker does.
func RandomName(taken func(string) bool) string {
	for i := 0; ; i++ {
		name := pick(adjectives) + "_" + pick(nouns)
		if i > 3 {
			name += itoa(int(pickN(10)))
		}
		if !taken(name) {
			return name
		}
	}
}

func pick(words []string) string { return words[pickN(int64(len(words)))] }

func pickN(n int64) int64 {
	v, err := rand.Int(rand.Reader, big.NewInt(n))
	if err != nil {
		return 0
	}
	return v.Int64()
}
