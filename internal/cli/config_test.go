package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline/faultline/ui"
)

func TestConfigCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"XDG_CONFIG_HOME": dir}
	path := filepath.Join(dir, "faultline", "config.toml")

	r := runEnv(t, env, "config", "--default")
	if r.code != 0 || r.stdout != ui.DefaultConfigFile() {
		t.Fatalf("config --default: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runEnv(t, env, "config")
	if r.code != 0 || !strings.Contains(r.stdout, "none; the defaults apply") {
		t.Errorf("no file: %d %q", r.code, r.stdout)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, []byte(ui.DefaultConfigFile()), 0o600)
	if r = runEnv(t, env, "config"); r.code != 0 || !strings.Contains(r.stdout, "valid") {
		t.Errorf("the default file: %d %q %q", r.code, r.stdout, r.stderr)
	}
	os.WriteFile(path, []byte("theme = \"dark\"\n[keys.list]\nopen = [\"o\"]\n"), 0o600)
	r = runEnv(t, env, "config")
	if r.code != 1 || !strings.Contains(r.stderr, path) || !strings.Contains(r.stderr, "line 3") {
		t.Errorf("a bad file: %d %q %q", r.code, r.stdout, r.stderr)
	}
	a := &app{env: testEnv(env)}
	if cfg, problem := a.loadConfig(); cfg != nil || !strings.Contains(problem, "defaults used") || !strings.Contains(problem, "line 3") {
		t.Errorf("the explorer would take %v, %q", cfg, problem)
	}
	// without XDG_CONFIG_HOME, the file is under ~/.config
	a = &app{env: testEnv(map[string]string{"HOME": dir})}
	if got := a.configPath(); got != filepath.Join(dir, ".config", "faultline", "config.toml") {
		t.Errorf("config path %s", got)
	}
}
