package nsutil

import (
	"bytes"
	"strings"
)

// limitedBuffer collects a command's output; what it keeps of standard error is
// trimmed for use in a one-line message.
type limitedBuffer struct{ bytes.Buffer }

// String returns the buffer without surrounding white space.
func (b *limitedBuffer) String() string { return strings.TrimSpace(b.Buffer.String()) }
