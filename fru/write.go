package fru

import (
	"bytes"
	"context"
	"fmt"

	"github.com/ipmictl/ipmictl/ipmi"
)

// WriteAt writes data at off in chunks the BMC accepts. A BMC that writes
// fewer bytes than sent is asked again for the rest.
func (fc *Client) WriteAt(ctx context.Context, dev Device, info Info, off int, data []byte) error {
	if off < 0 || off+len(data) > info.Size {
		return fmt.Errorf("fru: write of %d bytes at %d outside the %d-byte device", len(data), off, info.Size)
	}
	if info.WordAccess && (off%2 != 0 || len(data)%2 != 0) {
		return fmt.Errorf("fru: device is word-addressed; write offset %d and length %d must be even", off, len(data))
	}
	done := 0
	for done < len(data) {
		fc.mu.Lock()
		n := min(fc.writeChunk, len(data)-done)
		fc.mu.Unlock()
		if info.WordAccess {
			n &^= 1
			if n == 0 {
				n = 2
			}
		}
		pos := off + done
		addr := pos
		if info.WordAccess {
			addr = pos / 2
		}
		if addr > 0xFFFF {
			return fmt.Errorf("fru: write at byte %d cannot be addressed", pos)
		}
		req := append([]byte{dev.ID, byte(addr), byte(addr >> 8)}, data[done:done+n]...)
		rsp, err := fc.send(ctx, dev, CmdWriteData, req)
		if err != nil {
			return err
		}
		if tooBig(rsp.Code) {
			fc.mu.Lock()
			next := min(fc.writeChunk-1, shrink(min(fc.writeChunk, n)))
			ok := next >= minChunk && (!info.WordAccess || next >= 2)
			if ok {
				fc.writeChunk = next
			}
			fc.mu.Unlock()
			if !ok {
				return completion(CmdWriteData, rsp.Code)
			}
			continue
		}
		if rsp.Code == codeWriteProtected {
			return fmt.Errorf("fru: byte %d is write-protected: %w", pos, completion(CmdWriteData, rsp.Code))
		}
		if rsp.Code != ipmi.CodeOK {
			return completion(CmdWriteData, rsp.Code)
		}
		if len(rsp.Data) < 1 {
			return ipmi.ShortError("Write FRU Data response", len(rsp.Data), 1)
		}
		wrote := int(rsp.Data[0])
		if info.WordAccess {
			wrote *= 2
		}
		if wrote == 0 || wrote > n {
			return &ipmi.FormatError{What: "Write FRU Data response", Offset: 0,
				Msg: fmt.Sprintf("BMC says it wrote %d bytes of %d sent", wrote, n)}
		}
		done += wrote
	}
	return nil
}

// VerifyError reports a read-back that differs from what was written.
type VerifyError struct {
	Offset      int
	Wrote, Read byte
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("fru: verify failed at byte %d: wrote 0x%02x, read back 0x%02x", e.Offset, e.Wrote, e.Read)
}

// WriteResult says what WriteImage did.
type WriteResult struct {
	Size         int  `json:"size"`          // device size
	Length       int  `json:"length"`        // bytes of the image
	BytesWritten int  `json:"bytes_written"` // bytes sent in Write FRU Data requests
	Verified     bool `json:"verified"`
}

// WriteImage writes image at offset 0. With onlyChanged it first reads the
// device and sends only the runs of bytes that differ. Either way it then
// reads the image range back and compares.
func (fc *Client) WriteImage(ctx context.Context, dev Device, image []byte, onlyChanged bool) (*WriteResult, error) {
	info, err := fc.Info(ctx, dev)
	if err != nil {
		return nil, err
	}
	res := &WriteResult{Size: info.Size, Length: len(image)}
	if len(image) > info.Size {
		return res, fmt.Errorf("%w: image is %d bytes, the device holds %d", ErrImageTooLarge, len(image), info.Size)
	}
	var cur []byte
	if onlyChanged || (info.WordAccess && len(image)%2 != 0) {
		cur, err = fc.ReadAt(ctx, dev, info, 0, info.Size)
		if err != nil {
			return res, fmt.Errorf("fru: reading the device before writing: %w", err)
		}
	}
	return fc.writeVerify(ctx, dev, info, cur, image, onlyChanged)
}

// WriteChanged writes image over a device whose content cur was just
// read (by ReadAll), sending only the bytes that differ, then reads the
// image range back and compares.
func (fc *Client) WriteChanged(ctx context.Context, dev Device, info Info, cur, image []byte) (*WriteResult, error) {
	if len(cur) != info.Size {
		return nil, fmt.Errorf("fru: current content is %d bytes, the device holds %d", len(cur), info.Size)
	}
	if len(image) > info.Size {
		return &WriteResult{Size: info.Size, Length: len(image)}, fmt.Errorf("%w: image is %d bytes, the device holds %d", ErrImageTooLarge, len(image), info.Size)
	}
	return fc.writeVerify(ctx, dev, info, cur, image, true)
}

func (fc *Client) writeVerify(ctx context.Context, dev Device, info Info, cur, image []byte, onlyChanged bool) (*WriteResult, error) {
	res := &WriteResult{Size: info.Size, Length: len(image)}
	data := image
	if info.WordAccess && len(data)%2 != 0 {
		// Keep the device's byte after an odd-length image.
		data = append(append([]byte(nil), data...), cur[len(data)])
	}
	runs := [][2]int{{0, len(data)}}
	if onlyChanged {
		runs = diffRuns(cur[:len(data)], data, 8, info.WordAccess)
	}
	for _, r := range runs {
		if err := fc.WriteAt(ctx, dev, info, r[0], data[r[0]:r[1]]); err != nil {
			return res, err
		}
		res.BytesWritten += r[1] - r[0]
	}
	back, err := fc.ReadAt(ctx, dev, info, 0, len(image))
	if err != nil {
		return res, fmt.Errorf("fru: reading back after the write: %w", err)
	}
	if i := firstDiff(back, image); i >= 0 {
		e := &VerifyError{Offset: i, Wrote: image[i]}
		if i < len(back) {
			e.Read = back[i]
		}
		return res, e
	}
	res.Verified = true
	return res, nil
}

func firstDiff(a, b []byte) int {
	if bytes.Equal(a, b) {
		return -1
	}
	for i := range b {
		if i >= len(a) || a[i] != b[i] {
			return i
		}
	}
	return len(b)
}

// diffRuns returns the [start, end) ranges where old and new differ,
// merging runs closer than gap bytes (one request is cheaper than two).
// On word devices the runs are widened to even boundaries.
func diffRuns(old, new []byte, gap int, words bool) [][2]int {
	var runs [][2]int
	for i := 0; i < len(new); i++ {
		if old[i] == new[i] {
			continue
		}
		start := i
		end := i + 1
		for j := i + 1; j < len(new); j++ {
			if old[j] != new[j] {
				end = j + 1
			} else if j-end >= gap {
				break
			}
		}
		if words {
			start &^= 1
			end = min((end+1)&^1, len(new))
		}
		if n := len(runs); n > 0 && start <= runs[n-1][1] {
			runs[n-1][1] = max(runs[n-1][1], end)
		} else {
			runs = append(runs, [2]int{start, end})
		}
		i = end - 1
	}
	return runs
}
