// Command palettepng rewrites PNG files as palette PNGs of at most 256 colours, for the
// README's screenshots: a terminal's picture has few colours besides the edges of its
// letters, so the popular colours, each the mean of a small cube of the colour space,
// keep it sharp at a tenth of the size.
//
//	go run ./scripts/palettepng FILE.png...
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: palettepng FILE.png...")
		os.Exit(2)
	}
	for _, path := range os.Args[1:] {
		if err := rewrite(path); err != nil {
			fmt.Fprintln(os.Stderr, "palettepng: "+err.Error())
			os.Exit(1)
		}
	}
}

// rewrite replaces the PNG at path with its palette version.
func rewrite(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	out, err := os.CreateTemp(filepath.Dir(path), ".palettepng-*")
	if err != nil {
		return err
	}
	defer os.Remove(out.Name())
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(out, Quantize(img)); err != nil {
		out.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := out.Close(); err != nil {
		return err
	}
	if err := os.Chmod(out.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(out.Name(), path)
}

// cube is one 8x8x8 cube of the RGB space and the pixels that fall in it.
type cube struct {
	r, g, b, n int
}

// Quantize returns img with at most 256 colours: the means of the most popular cubes,
// every pixel drawn in the nearest of them (no dithering, which would cost size).
func Quantize(img image.Image) *image.Paletted {
	bounds := img.Bounds()
	cubes := map[int]*cube{}
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r, g, b := rgb(img.At(x, y))
			k := (r>>3)<<10 | (g>>3)<<5 | b>>3
			c := cubes[k]
			if c == nil {
				c = &cube{}
				cubes[k] = c
			}
			c.r, c.g, c.b, c.n = c.r+r, c.g+g, c.b+b, c.n+1
		}
	}
	all := make([]*cube, 0, len(cubes))
	for _, c := range cubes {
		all = append(all, c)
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].n != all[j].n {
			return all[i].n > all[j].n
		}
		return all[i].r*65536+all[i].g*256+all[i].b < all[j].r*65536+all[j].g*256+all[j].b
	})
	pal := make(color.Palette, 0, 256)
	for _, c := range all[:min(256, len(all))] {
		pal = append(pal, color.RGBA{uint8(c.r / c.n), uint8(c.g / c.n), uint8(c.b / c.n), 255})
	}
	out := image.NewPaletted(bounds, pal)
	index := map[[3]int]uint8{}
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r, g, b := rgb(img.At(x, y))
			i, ok := index[[3]int{r, g, b}]
			if !ok {
				i = uint8(pal.Index(color.RGBA{uint8(r), uint8(g), uint8(b), 255}))
				index[[3]int{r, g, b}] = i
			}
			out.SetColorIndex(x, y, i)
		}
	}
	return out
}

// rgb is a colour's 8-bit channels, composed over black.
func rgb(c color.Color) (r, g, b int) {
	r32, g32, b32, _ := c.RGBA()
	return int(r32 >> 8), int(g32 >> 8), int(b32 >> 8)
}
