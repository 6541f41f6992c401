package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/viper"
)

// A config the schema check passes decodes without an error (whose text
// would be Go's), and no input makes the check panic.
func FuzzConfigSchema(f *testing.F) {
	for _, seed := range []string{
		"",
		"defaults:\n  username: admin\nprofiles:\n  bmc1:\n    host: 10.0.0.5\n    port: 623\n",
		"profiles:\n  bmc1:\n    cipher: 17\n    retries: 0\n    tags: [a, b]\n",
		"profiles:\n  bmc1:\n    pasword: x\n",
		"profiles:\n  - a\n",
		"defaults: &d\n  username: x\nprofiles:\n  b:\n    <<: *d\n    host: h\n",
		"profiles:\n  b:\n    port: 0x270f\n    timeout: 1_0\n",
		"{\"profiles\": {\"b\": {\"host\": \"h\", \"port\": 623}}}",
		"profiles:\n  b:\n    port: 99999999999\n",
		"profiles:\n  B:\n    host: x\n  b:\n    host: y\n",
		"profiles: *x\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		if err := checkConfigSchema([]byte(data)); err != nil {
			return
		}
		v := viper.New()
		v.SetConfigType("yaml")
		if err := v.ReadConfig(bytes.NewReader([]byte(data))); err != nil {
			return // the caller reports this in its own words
		}
		var cfg FileConfig
		if err := v.Unmarshal(&cfg); err != nil {
			t.Fatalf("schema check passed but decoding failed: %v", err)
		}
	})
}

// Whatever a line holds, masking finds the same secrets LineHasSecret
// does, and the masked line holds none of them.
func FuzzMaskSecrets(f *testing.F) {
	for _, seed := range []string{
		"mc info", "-P secret mc info", "-EPsecret mc info", "--password=x", "-k", "-y=",
		"user set password 3 'new pw'", "lan set 1 password pw", "sdr get -- -P", "-- -P x",
		"-vvk key mc info", "-P=", "'unterminated -P x", "-\xff\xfeP x",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		masked, secrets := MaskSecrets(line)
		if LineHasSecret(line) != (len(secrets) > 0) {
			t.Fatalf("%q: LineHasSecret disagrees with MaskSecrets", line)
		}
		for _, s := range secrets {
			if len(s) >= 3 && !strings.Contains(Mask, s) && strings.Contains(masked, s) {
				t.Fatalf("%q: masked %q still holds %q", line, masked, s)
			}
		}
	})
}
