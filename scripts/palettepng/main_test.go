package main

import (
	"image"
	"image/color"
	"testing"
)

// TestQuantize: a picture of few colours keeps them exactly; one of more than 256 gets
// 256, each pixel near its own colour.
func TestQuantize(t *testing.T) {
	few := image.NewRGBA(image.Rect(0, 0, 4, 1))
	cols := []color.RGBA{{28, 28, 28, 255}, {208, 208, 208, 255}, {0, 200, 0, 255}, {200, 0, 200, 255}}
	for i, c := range cols {
		few.Set(i, 0, c)
	}
	q := Quantize(few)
	for i, c := range cols {
		if got := q.At(i, 0).(color.RGBA); got != c {
			t.Errorf("pixel %d is %v, want %v", i, got, c)
		}
	}
	// Letters of six colours on a dark ground, their edges blended in 64 steps: 384
	// colours, as a terminal's picture has.
	fgs := []color.RGBA{{208, 208, 208, 255}, {0, 200, 0, 255}, {200, 0, 200, 255}, {0, 200, 200, 255}, {200, 200, 0, 255}, {60, 60, 255, 255}}
	many := image.NewRGBA(image.Rect(0, 0, 64, len(fgs)))
	for y, fg := range fgs {
		for x := 0; x < 64; x++ {
			blend := func(a, b uint8) uint8 { return uint8((int(a)*(63-x) + int(b)*x) / 63) }
			many.Set(x, y, color.RGBA{blend(28, fg.R), blend(28, fg.G), blend(28, fg.B), 255})
		}
	}
	q = Quantize(many)
	if len(q.Palette) > 256 {
		t.Fatalf("%d colours", len(q.Palette))
	}
	for x := 0; x < 64; x++ {
		for y := range fgs {
			want := many.RGBAAt(x, y)
			if got := q.At(x, y).(color.RGBA); dist(got, want) > 3*16*16 {
				t.Errorf("pixel %d,%d is %v, far from %v", x, y, got, want)
			}
		}
	}
}

func dist(a, b color.RGBA) int {
	dr, dg, db := int(a.R)-int(b.R), int(a.G)-int(b.G), int(a.B)-int(b.B)
	return dr*dr + dg*dg + db*db
}
