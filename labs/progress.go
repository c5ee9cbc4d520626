package labs

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"workbench/atomicfile"
)

// Progress is how far each bundled lab was played in the demos of one instance, kept
// in one small file.
type Progress struct {
	// Standing is the lab whose demo made what stands in the instance, "" when none:
	// a demo may remove it to replay another, since its progress is kept.
	Standing string `json:"standing,omitempty"`
	// Steps is how many steps of each lab have run, by lab name.
	Steps map[string]int `json:"steps,omitempty"`
}

// LoadProgress reads the progress file at path; a file that is not there is no
// progress yet.
func LoadProgress(path string) (Progress, error) {
	var p Progress
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, fmt.Errorf("read the demo progress: %w", err)
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return Progress{}, fmt.Errorf("the demo progress file %s is damaged (%v): remove it, and the demos start from their first step", path, err)
	}
	return p, nil
}

// Save writes the progress to path whole, making its directory if need be.
func (p Progress) Save(path string) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("keep the demo progress: %w", err)
	}
	if err := atomicfile.Write(path, append(b, '\n')); err != nil {
		return fmt.Errorf("keep the demo progress: %w", err)
	}
	return nil
}

// Played records that step steps of lab have run, and that its lab stands.
func (p *Progress) Played(lab string, step int) {
	if p.Steps == nil {
		p.Steps = map[string]int{}
	}
	p.Steps[lab], p.Standing = step, lab
}
