package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/faultline/faultline/sanitize"
	"github.com/faultline/faultline/ui"
)

func init() { register(newConfigCmd) }

type configOptions struct {
	defaults bool
}

func newConfigCmd(a *app) *cobra.Command {
	var o configOptions
	c := &cobra.Command{
		Use:   "config [--default]",
		Short: "check the explorer's config file, or print a commented default",
		Long: `The explorer reads $XDG_CONFIG_HOME/faultline/config.toml
(~/.config/faultline/config.toml): a theme (auto, dark or light), colours
and key bindings. A file with a mistake is refused, with its line, and the
defaults are used.

Without flags, config says where the file is and whether it is valid
(exit status 1 if not). --default prints a config file that sets every
setting to its default, commented out: a start for your own.`,
		Example: `  faultline config
  faultline config --default > ~/.config/faultline/config.toml`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return a.runConfig(o) },
	}
	c.Flags().BoolVar(&o.defaults, "default", false, "print the default config, commented")
	return c
}

func (a *app) runConfig(o configOptions) error {
	if o.defaults {
		_, err := fmt.Fprint(a.stdout, ui.DefaultConfigFile())
		return err
	}
	path := a.configPath()
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(a.stdout, "%s: none; the defaults apply (faultline config --default prints them)\n", sanitize.Line(path))
		return nil
	case err != nil:
		return fmt.Errorf("config: %w", err)
	}
	if _, err := ui.ParseConfig(data); err != nil {
		return fmt.Errorf("%s: %s", sanitize.Line(path), sanitize.Line(err.Error()))
	}
	fmt.Fprintf(a.stdout, "%s: valid\n", sanitize.Line(path))
	return nil
}

// configPath is $XDG_CONFIG_HOME/faultline/config.toml, else the same
// under ~/.config.
func (a *app) configPath() string {
	dir := a.getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home := a.getenv("HOME")
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "faultline", "config.toml")
}

// loadConfig reads the config file for the explorer: nil and no problem
// when there is none, nil and what is wrong when it is refused.
func (a *app) loadConfig() (*ui.Config, string) {
	path := a.configPath()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ""
	}
	if err != nil {
		return nil, fmt.Sprintf("config not read, defaults used: %s", sanitize.Line(err.Error()))
	}
	cfg, err := ui.ParseConfig(data)
	if err != nil {
		return nil, fmt.Sprintf("%s refused, defaults used: %s", sanitize.Line(path), sanitize.Line(err.Error()))
	}
	return &cfg, ""
}
