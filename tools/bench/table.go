package main

import (
	"io"
	"strings"
	"unicode/utf8"
)

// table is a plain-text results table. The first text columns are
// aligned left, the rest (figures) right; a leading column that repeats
// the row above (with all the columns before it) is left blank, so each
// work, latency and cache is named once for its group of clients.
type table struct {
	header []string
	text   int // leading columns aligned left
	group  int // leading columns blanked when they repeat the row above
	rows   []tableLine
}

// tableLine is one row; a note (e.g. "not installed") replaces the
// figures and is printed unpadded after the text columns.
type tableLine struct {
	cells []string
	note  string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, tableLine{cells: cells}) }

func (t *table) addNote(note string, cells ...string) {
	t.rows = append(t.rows, tableLine{cells: cells, note: note})
}

func (t *table) render(w io.Writer) error {
	width := make([]int, len(t.header))
	for i, h := range t.header {
		width[i] = utf8.RuneCountInString(h)
	}
	for _, r := range t.rows {
		for i, c := range r.cells {
			if i < len(width) && (r.note == "" || i < t.text) {
				width[i] = max(width[i], utf8.RuneCountInString(c))
			}
		}
	}
	var b strings.Builder
	line := func(cells []string, note string) {
		var sb strings.Builder
		for i := range width {
			if i > 0 {
				sb.WriteString("  ")
			}
			if note != "" && i >= t.text {
				sb.WriteString(note)
				break
			}
			c := ""
			if i < len(cells) {
				c = cells[i]
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i < t.text {
				sb.WriteString(c + pad)
			} else {
				sb.WriteString(pad + c)
			}
		}
		b.WriteString(strings.TrimRight(sb.String(), " ") + "\n")
	}
	line(t.header, "")
	var prev []string
	for _, r := range t.rows {
		cells := append([]string(nil), r.cells...)
		for i := 0; i < t.group && i < len(cells) && i < len(prev) && cells[i] == prev[i]; i++ {
			cells[i] = ""
		}
		prev = r.cells
		line(cells, r.note)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
