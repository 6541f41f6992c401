package frucmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/fru"
	"github.com/spf13/cobra"
)

// fruFileResult reports `fru read` and `fru write` in ipmitool's words.
type fruFileResult struct {
	ID           uint8  `json:"id"`
	File         string `json:"file"`
	Size         int    `json:"size"`
	Length       int    `json:"length"`
	BytesWritten int    `json:"bytes_written,omitempty"`
	Verified     bool   `json:"verified,omitempty"`
	write        bool
}

func (r *fruFileResult) WriteText(w io.Writer) error {
	if !r.write {
		_, err := fmt.Fprintf(w, "Fru Size         : %d bytes\nDone\n", r.Size)
		return err
	}
	_, err := fmt.Fprintf(w, "Fru Size         : %d bytes\nSize to Write    : %d bytes\n"+
		"Wrote %d changed bytes; read back %d bytes and verified\n", r.Size, r.Length, r.BytesWritten, r.Length)
	return err
}

func newFruReadCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*fruFileResult](&cobra.Command{
		Use:   "read ID FILE",
		Short: "Save a FRU device's whole content to FILE",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := fruParseID(args[0])
			if err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			b, info, err := fru.NewClient(c).ReadAll(f.Context(), fru.Device{ID: id})
			if err != nil && !errors.Is(err, fru.ErrNoProgress) {
				return fmt.Errorf("reading FRU ID %d: %w", id, err)
			}
			if err != nil {
				fmt.Fprintf(f.IO.ErrOut, "FRU ID %d: warning: %v; the rest of the file is zeros\n", id, err)
			}
			if err := os.WriteFile(args[1], b, 0o644); err != nil {
				return err
			}
			return f.Render(&fruFileResult{ID: id, File: args[1], Size: info.Size, Length: len(b)})
		},
	})
}

func newFruWriteCmd(f *cli.Factory) *cobra.Command {
	var force, all bool
	cmd := cli.Returns[*fruFileResult](&cobra.Command{
		Use:   "write ID FILE",
		Short: "Write FILE to a FRU device, then read it back and compare",
		Long: `Write a FRU image to a device. The image is decoded first and refused when it
is not a FRU image or has checksum or layout errors (--force writes it anyway).
Only the bytes that differ from the device are sent (--all sends every byte);
afterwards the whole image range is read back and compared.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := fruParseID(args[0])
			if err != nil {
				return err
			}
			data, err := os.ReadFile(args[1])
			if err != nil {
				return err
			}
			if err := fruValidate(f, args[1], data, force); err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			res, err := fru.NewClient(c).WriteImage(f.Context(), fru.Device{ID: id}, data, !all)
			if err != nil {
				return fmt.Errorf("writing FRU ID %d: %w", id, err)
			}
			return f.Render(&fruFileResult{ID: id, File: args[1], Size: res.Size, Length: res.Length,
				BytesWritten: res.BytesWritten, Verified: res.Verified, write: true})
		},
	})
	cmd.Flags().BoolVar(&force, "force", false, "write even if the image does not decode cleanly")
	cmd.Flags().BoolVar(&all, "all", false, "write every byte, not only those that differ")
	return cmd
}

// fruValidate refuses an image that is not a clean FRU image.
func fruValidate(f *cli.Factory, name string, data []byte, force bool) error {
	img, err := fru.Parse(data)
	if err != nil {
		if force {
			fmt.Fprintf(f.IO.ErrOut, "%s: %v (writing anyway: --force)\n", name, err)
			return nil
		}
		return fmt.Errorf("%s is not a FRU image: %w (use --force to write it anyway)", name, err)
	}
	for _, w := range img.Warnings {
		fmt.Fprintf(f.IO.ErrOut, "%s: %s\n", name, w)
	}
	if len(img.Warnings) > 0 && !force {
		return fmt.Errorf("%s has %d format problems; fix them or use --force", name, len(img.Warnings))
	}
	return nil
}

// fruEditResult reports `fru edit`.
type fruEditResult struct {
	ID           uint8  `json:"id"`
	Area         string `json:"area"`
	Index        int    `json:"index"`
	Field        string `json:"field"`
	Value        string `json:"value"`
	BytesWritten int    `json:"bytes_written"`
	Verified     bool   `json:"verified"`
}

func (r *fruEditResult) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "FRU ID %d: %s %s set to %q (%d bytes written, read back and verified)\n",
		r.ID, r.Area, r.Field, r.Value, r.BytesWritten)
	return err
}

func fruFieldName(area fru.AreaKind, index int) string {
	var names []string
	switch area {
	case fru.AreaChassis:
		names = fru.ChassisFieldNames
	case fru.AreaBoard:
		names = fru.BoardFieldNames
	case fru.AreaProduct:
		names = fru.ProductFieldNames
	}
	if index < len(names) {
		return names[index]
	}
	return fmt.Sprintf("Custom Field %d", index-len(names))
}

func newFruEditCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*fruEditResult](&cobra.Command{
		Use:   "edit ID field AREA INDEX VALUE",
		Short: "Change one chassis (c), board (b) or product (p) field",
		Long: `Set field INDEX of an info area, numbered as ipmitool numbers them (board:
0 manufacturer, 1 product name, 2 serial, 3 part number, 4 FRU file ID, then
custom fields; product: 0 manufacturer, 1 name, 2 part number, 3 version,
4 serial, 5 asset tag, 6 FRU file ID, then custom; chassis: 0 part number,
1 serial, then custom). INDEX one past the last field adds a custom field.
The value may be longer or shorter than the old one: the image is re-packed,
with offsets and checksums fixed, and only the changed bytes are written,
then read back and compared.`,
		Args: cobra.ExactArgs(5),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := fruParseID(args[0])
			if err != nil {
				return err
			}
			if args[1] != "field" {
				return cli.UsageErrorf("fru edit: only \"field\" editing is supported, got %q", args[1])
			}
			area, err := fru.ParseAreaLetter(args[2])
			if err != nil {
				return cli.UsageErrorf("%v", err)
			}
			index, err := strconv.Atoi(args[3])
			if err != nil || index < 0 {
				return cli.UsageErrorf("field index %q: use a number from 0", args[3])
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			fc := fru.NewClient(c)
			dev := fru.Device{ID: id}
			orig, info, err := fc.ReadAll(f.Context(), dev)
			if err != nil {
				return fmt.Errorf("reading FRU ID %d: %w", id, err)
			}
			edited, _, err := fru.Rebuild(orig, func(img *fru.Image) error { return img.SetField(area, index, args[4]) })
			if err != nil {
				return err
			}
			res, err := fc.WriteChanged(f.Context(), dev, info, orig, edited)
			if err != nil {
				return fmt.Errorf("writing FRU ID %d: %w", id, err)
			}
			return f.Render(&fruEditResult{ID: id, Area: area.String(), Index: index, Field: fruFieldName(area, index),
				Value: args[4], BytesWritten: res.BytesWritten, Verified: res.Verified})
		},
	})
}

// Columns and Rows give fruEditResult a table form, one row per field.
func (r *fruEditResult) Columns() []string { return cli.FieldColumns }
func (r *fruEditResult) Rows() [][]string  { return cli.FieldRows(r) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (r *fruEditResult) WriteCSV(w io.Writer) error { return r.WriteText(w) }

// Columns and Rows give fruFileResult a table form, one row per field.
func (r *fruFileResult) Columns() []string { return cli.FieldColumns }
func (r *fruFileResult) Rows() [][]string  { return cli.FieldRows(r) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (r *fruFileResult) WriteCSV(w io.Writer) error { return r.WriteText(w) }
