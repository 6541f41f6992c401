package exporter

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// writeCert writes a self-signed certificate for 127.0.0.1 and its key.
func writeCert(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ipmictl test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// Item 2: --web.config.file (exporter-toolkit's format) turns on TLS and
// basic auth: plain HTTP and requests without the password are refused.
func TestWebConfigTLSAndBasicAuth(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := writeCert(t, dir)
	hash, err := bcrypt.GenerateFromPassword([]byte("scrape-pw"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	webCfg := filepath.Join(dir, "web.yml")
	if err := os.WriteFile(webCfg, []byte("tls_server_config:\n  cert_file: "+certFile+"\n  key_file: "+keyFile+
		"\nbasic_auth_users:\n  prometheus: "+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig([]byte(lanConfig))
	if err != nil {
		t.Fatal(err)
	}
	x := New(cfg, "", Options{Logf: t.Logf})
	defer x.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: x.Handler(HandlerOptions{NoLocal: true})}
	done := make(chan error, 1)
	go func() { done <- Serve(ln, srv, webCfg, t.Logf) }()
	defer func() {
		srv.Close()
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	}()
	addr := ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 5 * time.Second}
	get := func(url, user, pw string) (int, error) {
		req, _ := http.NewRequest("GET", url, nil)
		if user != "" {
			req.SetBasicAuth(user, pw)
		}
		rsp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		rsp.Body.Close()
		return rsp.StatusCode, nil
	}
	for _, c := range []struct {
		url, user, pw string
		want          int
	}{
		{"https://" + addr + "/metrics", "", "", 401},
		{"https://" + addr + "/metrics", "prometheus", "wrong", 401},
		{"https://" + addr + "/metrics", "nobody", "scrape-pw", 401},
		{"https://" + addr + "/metrics", "prometheus", "scrape-pw", 200},
		{"http://" + addr + "/metrics", "prometheus", "scrape-pw", 400}, // plain HTTP to the TLS port
	} {
		got, err := get(c.url, c.user, c.pw)
		if err != nil || got != c.want {
			t.Errorf("GET %s as %q/%q: %d %v, want %d", c.url, c.user, c.pw, got, err, c.want)
		}
	}
	// Basic auth comes before the Host/Origin guard, and the guard still applies.
	req, _ := http.NewRequest("POST", "https://"+addr+"/-/reload", nil)
	req.SetBasicAuth("prometheus", "scrape-pw")
	req.Header.Set("Origin", "https://evil.example")
	if rsp, err := client.Do(req); err != nil || rsp.StatusCode != 403 {
		t.Errorf("POST /-/reload from a foreign origin with the password: %v %v, want 403", rsp.StatusCode, err)
	} else {
		rsp.Body.Close()
	}
}

// A broken web config fails before serving, in words naming the file.
func TestWebConfigErrors(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"bad-hash.yml": "basic_auth_users:\n  prometheus: not-a-bcrypt-hash\n",
		"no-key.yml":   "tls_server_config:\n  cert_file: /nonexistent/cert.pem\n",
		"unknown.yml":  "tls_server_config:\n  cert_fil: x\n",
		"missing-file": "",
	} {
		path := filepath.Join(dir, name)
		if text != "" {
			if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		err := ValidateWebConfig(path)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v; want an error naming the file", name, err)
		}
		ln, lerr := net.Listen("tcp", "127.0.0.1:0")
		if lerr != nil {
			t.Fatal(lerr)
		}
		if err := Serve(ln, &http.Server{}, path, nil); err == nil || errors.Is(err, http.ErrServerClosed) {
			t.Errorf("%s: Serve started: %v", name, err)
		}
		ln.Close()
	}
}
