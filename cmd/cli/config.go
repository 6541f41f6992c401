package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/ipmictl/ipmictl/internal/safefile"
	"github.com/ipmictl/ipmictl/internal/yamlcheck"
)

// Profile is one named BMC in the config file. -H NAME selects it; fields
// fill in what the command line leaves unset.
type Profile struct {
	Host            string   `mapstructure:"host"`
	Port            int      `mapstructure:"port"`
	Interface       string   `mapstructure:"interface"`
	Username        string   `mapstructure:"username"`
	User            string   `mapstructure:"user"` // alias of username
	PasswordFile    string   `mapstructure:"password_file"`
	PasswordCommand string   `mapstructure:"password_command"`
	KgHex           string   `mapstructure:"kg_hex"`
	CipherSuite     *int     `mapstructure:"cipher"`
	Privilege       string   `mapstructure:"privilege"`
	Timeout         int      `mapstructure:"timeout"`
	Retries         *int     `mapstructure:"retries"`
	Tags            []string `mapstructure:"tags"`
}

// FileConfig is ~/.config/ipmictl/config.yaml.
type FileConfig struct {
	Defaults Profile            `mapstructure:"defaults"`
	Profiles map[string]Profile `mapstructure:"profiles"`
}

// defaultConfigPath follows the XDG base directory spec.
func defaultConfigPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "ipmictl", "config.yaml")
}

// maxConfigFile bounds the config file: it names BMCs, a few hundred
// bytes each.
const maxConfigFile = 4 << 20

// readFileConfig loads the config file; a missing default file is not an
// error, a missing explicit one is. The file can run programs
// (password_command), so it is read through safefile.ReadPrivate: the
// file and every directory above it must belong to this user or root
// and be writable by nobody else. The bytes checked are the bytes
// parsed: the schema check and viper both read them from memory.
func readFileConfig(path string, explicit bool) (*FileConfig, error) {
	cfg := &FileConfig{}
	if path == "" {
		return cfg, nil
	}
	data, err := safefile.ReadPrivate(path, maxConfigFile)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return cfg, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config file %s", pathErrorText(err))
	}
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case "", ".yaml", ".yml", ".json":
	default:
		return nil, fmt.Errorf("config file %s: write it in YAML (.yaml, .yml) or JSON (.json), not %s", path, ext)
	}
	if err := checkConfigSchema(data); err != nil {
		if ce, ok := err.(*yamlcheck.Error); ok && ce.Line == 0 {
			return nil, fmt.Errorf("%s: %s", path, ce.Msg)
		}
		return nil, fmt.Errorf("%s %v", path, err)
	}
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("config file %s: not valid YAML", path)
	}
	if err := v.Unmarshal(cfg); err != nil {
		// checkConfigSchema accepts only what decodes; this is a
		// fault of ours, said without Go's words.
		return nil, fmt.Errorf("config file %s: cannot be read (a value of an unexpected kind)", path)
	}
	return cfg, nil
}

// checkConfigSchema checks every key and value of the config file
// against FileConfig before viper sees it: an unknown key (a typo'd
// "pasword" would otherwise be ignored and the login fail for no visible
// reason) or a value of the wrong kind is an error naming the line, the
// key and the profile. Keys are case-insensitive, as viper's are.
func checkConfigSchema(data []byte) error {
	return yamlcheck.Check(data, reflect.TypeOf(FileConfig{}), configCheck)
}

var configCheck = yamlcheck.Options{
	Tag:      "mapstructure",
	FoldCase: true,
	Weak:     true,
	Entry: func(mapName, key string) string {
		if mapName == "profiles" {
			return fmt.Sprintf("profile %q", key)
		}
		return ""
	},
	Hint: func(key string, known []string) string {
		switch strings.ToLower(key) {
		case "password", "pass", "pasword":
			if slices.Contains(known, "password_file") {
				return ": the config holds no passwords; use password_file or password_command"
			}
		case "profile", "default":
			if s := yamlcheck.Closest(key, []string{"profiles", "defaults"}); s != "" {
				return fmt.Sprintf(" (did you mean %q?)", s)
			}
		}
		return ""
	},
}

// pathErrorText says what went wrong opening a file without Go's
// operation names: "/x/y: no such file or directory".
func pathErrorText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Path + ": " + pe.Err.Error()
	}
	return err.Error()
}

// loadConfig fills options the command line left unset from IPMICTL_*
// environment variables, then the selected profile, then the defaults.
func loadConfig(f *Factory, cmd *cobra.Command) error {
	o := f.Opts
	flags := cmd.Flags()
	set := func(name string) bool { return flags.Changed(name) }

	path, explicit := o.ConfigFile, o.ConfigFile != ""
	if !explicit {
		if p := os.Getenv("IPMICTL_CONFIG"); p != "" {
			path, explicit = p, true
		} else {
			path = defaultConfigPath()
		}
	}
	// The command line is parsed and nothing is sent yet: take the
	// secrets out of the process's argument memory (ps, /proc).
	if !f.single {
		scrubProcessArgs(f, flags)
	}
	// A fan-out child gets the file its parent read: one parse per run,
	// not one per host.
	if f.FileConfig == nil {
		cfg, err := readFileConfig(path, explicit)
		if err != nil {
			return &UsageError{msg: err.Error()}
		}
		f.FileConfig = cfg
	}
	cfg := f.FileConfig

	env := func(name string) string { return os.Getenv("IPMICTL_" + name) }
	str := func(dst *string, flag, envName string, fromFile ...string) {
		if set(flag) {
			return
		}
		if v := env(envName); v != "" {
			*dst = v
			return
		}
		for _, v := range fromFile {
			if v != "" {
				*dst = v
				return
			}
		}
	}
	num := func(dst *int, flag, envName string, fromFile ...*int) error {
		if set(flag) {
			return nil
		}
		if v := env(envName); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return UsageErrorf("IPMICTL_%s=%q is not a number", envName, v)
			}
			*dst = n
			return nil
		}
		for _, v := range fromFile {
			if v != nil {
				*dst = *v
				return nil
			}
		}
		return nil
	}

	str(&o.Host, "host", "HOST")
	prof, named := cfg.Profiles[o.Host]
	if o.Host != "" && named {
		o.Profile = o.Host
		o.Host = prof.Host
	}
	d := cfg.Defaults
	str(&o.Interface, "interface", "INTERFACE", prof.Interface, d.Interface)
	str(&o.Username, "username", "USERNAME", prof.Username, prof.User, d.Username, d.User)
	str(&o.Privilege, "privilege", "PRIVILEGE", prof.Privilege, d.Privilege)
	str(&o.Output, "output", "OUTPUT")
	str(&o.KgHex, "kg-hex", "KG_HEX", prof.KgHex, d.KgHex)
	applyPasswordSource(o, slices.ContainsFunc(passwordFlags, set), env("PASSWORD_FILE"), prof, d)
	intp := func(v int) *int {
		if v == 0 {
			return nil
		}
		return &v
	}
	for _, e := range []error{
		num(&o.Port, "port", "PORT", intp(prof.Port), intp(d.Port)),
		num(&o.CipherSuite, "cipher-suite", "CIPHER_SUITE", prof.CipherSuite, d.CipherSuite),
		num(&o.Timeout, "timeout", "TIMEOUT", intp(prof.Timeout), intp(d.Timeout)),
		num(&o.Retries, "retries", "RETRIES", prof.Retries, d.Retries),
	} {
		if e != nil {
			return e
		}
	}
	return nil
}

func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}
