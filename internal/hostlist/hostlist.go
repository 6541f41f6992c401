// Package hostlist expands pdsh/FreeIPMI host ranges: "rack[1-4]-node[01-40]"
// is 160 names, "node[1,3,7-9],spare" is five. Zero padding follows the
// range's lower bound, as in pdsh ("[01-10]" gives 01..10).
package hostlist

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxHosts bounds one expansion, so a typo like "[0-999999]" fails at
// once instead of building a million names (130 MB, a second) and then
// trying to reach them. 65536 is far beyond one fan-out's reach.
const MaxHosts = 1 << 16

// Expand expands a comma-separated list of host patterns, keeping order
// and dropping duplicates.
func Expand(list string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, pat := range splitTop(list) {
		pat = strings.TrimSpace(pat)
		if pat == "" {
			continue
		}
		hosts, err := expandOne(pat)
		if err != nil {
			return nil, err
		}
		for _, h := range hosts {
			if !seen[h] {
				seen[h] = true
				out = append(out, h)
				if len(out) > MaxHosts {
					return nil, fmt.Errorf("host list %q expands to more than %d hosts", list, MaxHosts)
				}
			}
		}
	}
	return out, nil
}

// splitTop splits on commas outside brackets.
func splitTop(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '[':
			depth++
		case ']':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

// expandOne expands one pattern, bracket by bracket, left to right.
func expandOne(pat string) ([]string, error) {
	open := strings.IndexByte(pat, '[')
	if open < 0 {
		if strings.ContainsRune(pat, ']') {
			return nil, fmt.Errorf("host pattern %q: ']' without '['", pat)
		}
		return []string{pat}, nil
	}
	if isIPv6Literal(pat) {
		return []string{pat}, nil
	}
	closeAt := strings.IndexByte(pat[open:], ']')
	if closeAt < 0 {
		return nil, fmt.Errorf("host pattern %q: '[' without ']'", pat)
	}
	closeAt += open
	prefix, body, rest := pat[:open], pat[open+1:closeAt], pat[closeAt+1:]
	items, err := expandRange(pat, body)
	if err != nil {
		return nil, err
	}
	tails, err := expandOne(rest)
	if err != nil {
		return nil, err
	}
	if len(items)*len(tails) > MaxHosts {
		return nil, fmt.Errorf("host pattern %q expands to more than %d hosts", pat, MaxHosts)
	}
	out := make([]string, 0, len(items)*len(tails))
	for _, it := range items {
		for _, t := range tails {
			out = append(out, prefix+it+t)
		}
	}
	return out, nil
}

// isIPv6Literal reports "[v6]" and "[v6]:port" host forms, which are
// addresses, not ranges.
func isIPv6Literal(pat string) bool {
	if !strings.HasPrefix(pat, "[") {
		return false
	}
	end := strings.IndexByte(pat, ']')
	return end > 0 && strings.Contains(pat[1:end], ":")
}

// expandRange expands "1-4,7,09-11".
func expandRange(pat, body string) ([]string, error) {
	var out []string
	for _, part := range strings.Split(body, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		if !isRange {
			if strings.TrimSpace(lo) == "" { // "[ ]" would name the host " "
				return nil, fmt.Errorf("host pattern %q: empty item in [%s]", pat, body)
			}
			out = append(out, lo)
			continue
		}
		a, err1 := strconv.Atoi(lo)
		b, err2 := strconv.Atoi(hi)
		if err1 != nil || err2 != nil || a < 0 || b < a {
			return nil, fmt.Errorf("host pattern %q: bad range %q (want LOW-HIGH, numbers, LOW <= HIGH)", pat, part)
		}
		if b-a >= MaxHosts {
			return nil, fmt.Errorf("host pattern %q: range %q is too large", pat, part)
		}
		width := 0
		if len(lo) > 1 && lo[0] == '0' {
			width = len(lo)
		}
		for n := a; n <= b; n++ {
			out = append(out, fmt.Sprintf("%0*d", width, n))
		}
	}
	return out, nil
}

// Compress is the inverse for display: it folds hosts that differ only in
// one trailing number into ranges ("node1,node2,node3" → "node[1-3]").
func Compress(hosts []string) string {
	type group struct {
		prefix, suffix string
		width          int
		nums           []int
	}
	var order []string
	groups := map[string]*group{}
	for _, h := range hosts {
		p, num, s, w, ok := splitNumber(h)
		if !ok {
			order = append(order, "\x00"+h)
			continue
		}
		key := fmt.Sprintf("%s\x00%s\x00%d", p, s, w)
		g, exists := groups[key]
		if !exists {
			g = &group{prefix: p, suffix: s, width: w}
			groups[key] = g
			order = append(order, key)
		}
		g.nums = append(g.nums, num)
	}
	var parts []string
	for _, k := range order {
		if strings.HasPrefix(k, "\x00") {
			parts = append(parts, k[1:])
			continue
		}
		g := groups[k]
		if len(g.nums) == 1 {
			parts = append(parts, fmt.Sprintf("%s%0*d%s", g.prefix, g.width, g.nums[0], g.suffix))
			continue
		}
		var rs []string
		for i := 0; i < len(g.nums); {
			j := i
			for j+1 < len(g.nums) && g.nums[j+1] == g.nums[j]+1 {
				j++
			}
			if i == j {
				rs = append(rs, fmt.Sprintf("%0*d", g.width, g.nums[i]))
			} else {
				rs = append(rs, fmt.Sprintf("%0*d-%0*d", g.width, g.nums[i], g.width, g.nums[j]))
			}
			i = j + 1
		}
		parts = append(parts, g.prefix+"["+strings.Join(rs, ",")+"]"+g.suffix)
	}
	return strings.Join(parts, ",")
}

// splitNumber splits "rack3-node07-bmc" at its last run of digits.
func splitNumber(h string) (prefix string, num int, suffix string, width int, ok bool) {
	end := -1
	for i := len(h) - 1; i >= 0; i-- {
		if h[i] >= '0' && h[i] <= '9' {
			end = i + 1
			break
		}
	}
	if end < 0 {
		return "", 0, "", 0, false
	}
	start := end
	for start > 0 && h[start-1] >= '0' && h[start-1] <= '9' {
		start--
	}
	digits := h[start:end]
	n, err := strconv.Atoi(digits)
	if err != nil || len(digits) > 9 {
		return "", 0, "", 0, false
	}
	if len(digits) > 1 && digits[0] == '0' {
		width = len(digits)
	}
	return h[:start], n, h[end:], width, true
}
