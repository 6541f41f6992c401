package fru

import (
	"context"
	"errors"
)

// sparse holds the bytes of a device read so far, so that decoding reads
// only the areas the header points at instead of the whole device.
type sparse struct {
	fc   *Client
	dev  Device
	info Info
	buf  []byte
	have []bool
}

// ensure fetches every byte of [off, off+n) not yet read. Each fetch reads
// at least one full chunk, so neighbouring areas cost no extra requests.
func (s *sparse) ensure(ctx context.Context, off, n int) error {
	end := min(off+n, len(s.buf))
	for i := max(off, 0); i < end; {
		if s.have[i] {
			i++
			continue
		}
		j := i
		for j < end && !s.have[j] {
			j++
		}
		// Round up to whole chunks: the next area usually follows.
		chunk := s.fc.ReadChunk()
		length := min((j-i+chunk-1)/chunk*chunk, len(s.buf)-i)
		b, err := s.fc.ReadAt(ctx, s.dev, s.info, i, length)
		copy(s.buf[i:], b)
		for k := range b {
			s.have[i+k] = true
		}
		if err != nil {
			return err
		}
		i += len(b)
	}
	return nil
}

// ReadImage reads the parts of a FRU device that decoding needs (header,
// areas, multi-record list) and decodes them. A BMC that stops returning
// data early gives an image decoded from what did arrive, with a warning.
func (fc *Client) ReadImage(ctx context.Context, dev Device) (*Image, Info, error) {
	info, err := fc.Info(ctx, dev)
	if err != nil {
		return nil, info, err
	}
	s := &sparse{fc: fc, dev: dev, info: info, buf: make([]byte, info.Size), have: make([]bool, info.Size)}
	stopped, err := s.fetchAreas(ctx)
	if err != nil && !stopped {
		return nil, info, err
	}
	img, perr := Parse(s.buf)
	if perr != nil {
		if err != nil {
			return nil, info, err
		}
		return nil, info, perr
	}
	if stopped {
		img.warnf(AreaHeader, 0, "reading stopped early: %v", err)
	}
	return img, info, nil
}

// fetchAreas walks the structure as Parse will, fetching as it goes. It
// reports stopped when the BMC ran out of data (ErrNoProgress).
func (s *sparse) fetchAreas(ctx context.Context) (stopped bool, err error) {
	defer func() { stopped = errors.Is(err, ErrNoProgress) }()
	if err := s.ensure(ctx, 0, HeaderLen); err != nil {
		return false, err
	}
	b := s.buf
	if len(b) < HeaderLen || b[0]&0x0F != 1 {
		return false, nil
	}
	h := Header{InternalUseOffset: int(b[1]) * 8, ChassisOffset: int(b[2]) * 8, BoardOffset: int(b[3]) * 8,
		ProductOffset: int(b[4]) * 8, MultiRecordOffset: int(b[5]) * 8}
	if off := h.InternalUseOffset; off != 0 && off < len(b) {
		if err := s.ensure(ctx, off, h.nextOffset(off, len(b))-off); err != nil {
			return false, err
		}
	}
	for _, off := range []int{h.ChassisOffset, h.BoardOffset, h.ProductOffset} {
		if off == 0 || off >= len(b) {
			continue
		}
		if err := s.ensure(ctx, off, 2); err != nil {
			return false, err
		}
		if off+1 < len(b) {
			if err := s.ensure(ctx, off, int(b[off+1])*8); err != nil {
				return false, err
			}
		}
	}
	off := h.MultiRecordOffset
	for n := 0; off != 0 && off+MultiRecordHeaderLen <= len(b) && n <= len(b)/MultiRecordHeaderLen; n++ {
		if err := s.ensure(ctx, off, MultiRecordHeaderLen); err != nil {
			return false, err
		}
		rh := b[off : off+MultiRecordHeaderLen]
		if sum(rh) != 0 {
			break
		}
		if err := s.ensure(ctx, off+MultiRecordHeaderLen, int(rh[2])); err != nil {
			return false, err
		}
		if rh[1]&0x80 != 0 {
			break
		}
		off += MultiRecordHeaderLen + int(rh[2])
	}
	return false, nil
}
