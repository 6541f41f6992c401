package sdr

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ipmictl/ipmictl/internal/safefile"
)

// Cache keeps decoded repositories on disk, one file per BMC, so a later
// run costs one Get SDR Repository Info instead of a walk. A file is used
// only when its repository info (record count, free space, addition and
// erase timestamps) equals what the BMC reports now; a corrupt or foreign
// file is ignored and rewritten, never trusted.
//
// Files are read through internal/safefile: a cache file that is a
// symbolic link, a FIFO, a device, larger than the format allows, or
// owned by another user is not read; the repository is read from the BMC
// instead (and Warn, when set, is told why).
type Cache struct {
	Dir string
	// Warn, when set, hears why a cache file was refused (not ours, not
	// a regular file, too large, corrupt) or could not be written for
	// safety (a directory others can write to): the command goes on
	// without the cache, and the user may want to know.
	Warn func(error)
}

func (c *Cache) warn(err error) {
	if c.Warn != nil && err != nil && !errors.Is(err, fs.ErrNotExist) {
		c.Warn(err)
	}
}

// DefaultCacheDir is $XDG_CACHE_HOME/ipmictl/sdr, or ~/.cache/ipmictl/sdr.
func DefaultCacheDir() (string, error) {
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "ipmictl", "sdr"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".cache", "ipmictl", "sdr"), nil
}

// path names the cache file of a BMC key (a hash, so keys may hold any
// characters and reveal nothing in a directory listing).
func (c *Cache) path(key string) string {
	return filepath.Join(c.Dir, c.name(key, ".sdr"))
}

func (c *Cache) name(key, ext string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16]) + ext
}

// Load returns the cached repository for key when it matches info, or
// nil when the file is missing, stale, corrupt or made for another key.
// chunk is the Get SDR read size the file remembers (also from a stale
// but intact file), so a re-walk wastes no requests finding it again.
func (c *Cache) Load(key string, info *RepoInfo) (repo *Repository, chunk int) {
	b, err := safefile.ReadCache(c.path(key), maxCacheFile)
	if err != nil {
		c.warn(fmt.Errorf("SDR cache not used: %w", err))
		return nil, 0
	}
	e, err := DecodeCacheFile(b)
	if err != nil {
		c.warn(fmt.Errorf("SDR cache not used: %s: %w", c.path(key), err))
		return nil, 0
	}
	if e.Key != key {
		return nil, 0
	}
	if e.Info != *info {
		return nil, e.ChunkSize
	}
	return e.Repository(), e.ChunkSize
}

// Save writes repo for key, atomically, readable only by the user.
func (c *Cache) Save(key string, repo *Repository) error {
	b, err := EncodeCacheFile(&CacheEntry{Key: key, Info: *repo.Info, ChunkSize: repo.ChunkSize, Records: rawRecords(repo.Records)})
	if err != nil {
		return err
	}
	return c.write(c.name(key, ".sdr"), b, maxCacheFile)
}

// write replaces the cache file name with b through a temporary file in
// the cache directory (created 0700, refused when others may write to
// it), so a reader never sees half a file. A file larger than the reader
// accepts (max) is not written.
func (c *Cache) write(name string, b []byte, max int64) error {
	if int64(len(b)) > max {
		return fmt.Errorf("sdr cache: %d bytes, more than the %d a cache file may hold", len(b), max)
	}
	err := safefile.WriteCache(c.Dir, name, b)
	if safefile.IsUnsafe(err) {
		c.warn(fmt.Errorf("SDR cache not written: %w", err))
	}
	return err
}

// Remove deletes the cache file of key, if any.
func (c *Cache) Remove(key string) error {
	err := os.Remove(c.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func rawRecords(rs []*Record) [][]byte {
	out := make([][]byte, len(rs))
	for i, r := range rs {
		out[i] = r.Raw
	}
	return out
}

// CacheEntry is the content of one cache file.
type CacheEntry struct {
	Key       string
	Info      RepoInfo
	ChunkSize int
	Records   [][]byte
}

// Repository decodes the entry's records. Records that no longer decode
// are dropped (the file's checksum already vouched for the bytes).
func (e *CacheEntry) Repository() *Repository {
	info := e.Info
	repo := &Repository{Info: &info, ChunkSize: e.ChunkSize}
	for _, raw := range e.Records {
		if r, err := Decode(raw); err == nil {
			repo.Records = append(repo.Records, r)
		}
	}
	return repo
}

// The SDR cache file's body (in the envelope of cachefile.go):
//
//	chunk size u8 | record count u16 | records (each a whole SDR, its
//	header giving its length)
var cacheMagic = []byte("ipmictl-sdr\x00")

// EncodeCacheFile serializes a cache entry.
func EncodeCacheFile(e *CacheEntry) ([]byte, error) {
	if len(e.Key) > maxCacheKey || len(e.Records) > 0xffff || e.ChunkSize < 0 || e.ChunkSize > 0xff {
		return nil, fmt.Errorf("sdr cache: entry out of range")
	}
	var b bytes.Buffer
	appendEnvelopeHead(&b, cacheMagic, e.Key, &e.Info)
	b.WriteByte(byte(e.ChunkSize))
	b.Write(binary.LittleEndian.AppendUint16(nil, uint16(len(e.Records))))
	for _, r := range e.Records {
		if len(r) < HeaderLen || len(r) != HeaderLen+int(r[4]) {
			return nil, fmt.Errorf("sdr cache: malformed record")
		}
		b.Write(r)
	}
	return sealEnvelope(&b), nil
}

// DecodeCacheFile parses and verifies a cache file. Any inconsistency
// (magic, format, checksum, lengths) is a *ipmi.FormatError.
func DecodeCacheFile(b []byte) (*CacheEntry, error) {
	key, info, body, bad, err := openEnvelope(b, cacheMagic, "SDR cache file", 1+2)
	if err != nil {
		return nil, err
	}
	e := &CacheEntry{Key: key, Info: *info, ChunkSize: int(body[0])}
	n := int(binary.LittleEndian.Uint16(body[1:]))
	off := 3
	if n > (len(body)-off)/HeaderLen {
		return nil, bad(off, "record count exceeds file size")
	}
	e.Records = make([][]byte, 0, n)
	for i := 0; i < n; i++ {
		if off+HeaderLen > len(body) {
			return nil, bad(off, "truncated record header")
		}
		end := off + HeaderLen + int(body[off+4])
		if end > len(body) {
			return nil, bad(off, "truncated record")
		}
		e.Records = append(e.Records, append([]byte(nil), body[off:end]...))
		off = end
	}
	if off != len(body) {
		return nil, bad(off, "trailing bytes")
	}
	return e, nil
}
